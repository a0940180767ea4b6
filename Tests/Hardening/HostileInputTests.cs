using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Nodes;
using Cases.Tests.Attachments;
using Cases.Tests.Files;
using Cases.Tests.Infrastructure;

namespace Cases.Tests.Hardening;

/// <summary>The requests of the security review that got a 500, now refused with a 400 that names the field.</summary>
public class HostileInputTests(CasesAppFixture app) : IClassFixture<CasesAppFixture>
{
    [Fact]
    public async Task A_space_id_with_a_trailing_newline_is_refused_and_never_reaches_storage()
    {
        var response = await app.Http.PostAsJsonAsync("/s/abc%0A/api/cases", TestCases.NewCaseBody());
        await response.Error(HttpStatusCode.BadRequest, "Invalid space id");
        await (await app.Http.GetAsync("/s/abc%0A/api/cases/_find")).Error(HttpStatusCode.BadRequest, "Invalid space id");
    }

    [Fact]
    public async Task Case_comment_and_custom_field_keys_with_a_trailing_newline_are_not_found_or_refused()
    {
        var space = CasesAppFixture.NewSpace();
        var caseId = (await app.CreateCase(space))["id"]!.GetValue<string>();
        await (await app.Http.GetAsync(CasesAppFixture.Api(space, $"/cases/{caseId}%0A"))).Error(HttpStatusCode.NotFound, "not found");
        var commentId = (await app.AttachOk(space, caseId, AttachmentTestClient.UserComment("first")))["comments"]![0]!.Id();
        await (await app.Http.GetAsync(CasesAppFixture.Api(space, $"/cases/{caseId}/comments/{commentId}%0A"))).Error(HttpStatusCode.NotFound, "not found");
        await (await app.Http.GetAsync(CasesAppFixture.Api(space, $"/cases/{caseId}/files/{Guid.NewGuid()}%0A"))).Error(HttpStatusCode.NotFound, "not found");

        var configure = new JsonObject
        {
            ["owner"] = "securitySolution",
            ["connector"] = new JsonObject { ["id"] = "none", ["name"] = "none", ["type"] = ".none", ["fields"] = null },
            ["closure_type"] = "close-by-user",
            ["customFields"] = new JsonArray(new JsonObject { ["key"] = "ticket\n", ["label"] = "Ticket", ["type"] = "text", ["required"] = false }),
        };
        await (await app.Http.PostAsJsonAsync(CasesAppFixture.Api(space, "/cases/configure"), configure)).Error(HttpStatusCode.BadRequest, "Key must be lower case");
    }

    [Theory]
    [InlineData("from", "now-99999999999d")]
    [InlineData("from", "now-9999999y")]
    [InlineData("to", "now%2B2147483647M")]
    [InlineData("from", "now-%D9%A3d")]
    public async Task Date_math_out_of_range_or_with_other_digits_is_a_400_naming_the_parameter(string parameter, string value)
    {
        var space = CasesAppFixture.NewSpace();
        var watch = Stopwatch.StartNew();
        var response = await app.Http.GetAsync(CasesAppFixture.Api(space, $"/cases/_find?{parameter}={value}"));
        await response.Error(HttpStatusCode.BadRequest, $"supplied to \"{parameter}\"");
        Assert.True(watch.Elapsed < TimeSpan.FromSeconds(5), $"took {watch.Elapsed}");
        await (await app.Http.GetAsync(CasesAppFixture.Api(space, $"/cases/metrics?features=status&{parameter}={value}"))).Error(HttpStatusCode.BadRequest, parameter);
    }

    [Fact]
    public async Task Date_math_in_range_still_works()
    {
        var space = CasesAppFixture.NewSpace();
        await app.CreateCase(space);
        var found = await (await app.Http.GetAsync(CasesAppFixture.Api(space, "/cases/_find?from=now-999999999s&to=now%2B1d/d"))).Json();
        Assert.Equal(1, found["total"]!.GetValue<int>());
    }

    [Theory]
    [InlineData("a-very-long-extension")] // 21 characters
    [InlineData("pdf\r\nX-Injected: 1")]
    [InlineData("p\"df")]
    public async Task A_file_extension_must_be_at_most_16_letters_or_digits_and_nothing_is_stored_otherwise(string extension)
    {
        var space = CasesAppFixture.NewSpace();
        var caseId = (await app.CreateCase(space))["id"]!.GetValue<string>();
        var response = await app.UploadRaw(space, caseId, "report." + extension, "text/plain", "hello"u8.ToArray());
        await response.Error(HttpStatusCode.BadRequest, "The file extension");
        Assert.Empty(await app.Blobs(space, caseId));
        Assert.Equal(0, (await app.Get(space, $"/cases/{caseId}/files"))["total"]!.GetValue<int>());
    }

    [Fact]
    public async Task A_3038_character_extension_with_line_breaks_and_quotes_is_refused()
    {
        var space = CasesAppFixture.NewSpace();
        var caseId = (await app.CreateCase(space))["id"]!.GetValue<string>();
        var extension = string.Concat(Enumerable.Repeat("ab\r\n\"", 607)) + "abc";
        Assert.Equal(3_038, extension.Length);
        var response = await app.UploadRaw(space, caseId, "report." + extension, "text/plain", "hello"u8.ToArray());
        await response.Error(HttpStatusCode.BadRequest, "use 1 to 16 letters or digits");
        Assert.Empty(await app.Blobs(space, caseId));
    }

    [Fact]
    public async Task An_alert_id_that_escapes_past_the_table_key_limit_is_a_400_and_nothing_is_attached()
    {
        var space = CasesAppFixture.NewSpace();
        var caseId = (await app.CreateCase(space))["id"]!.GetValue<string>();
        var escapesLong = new string('_', 512); // each '_' is stored as %005F: 2,560 characters
        var response = await app.Attach(space, caseId, AttachmentTestClient.Alerts(["fine-1", escapesLong]));
        await response.Error(HttpStatusCode.BadRequest, "is too long: at most 441 characters once");
        Assert.Equal(0, (await app.Get(space, $"/cases/{caseId}"))["totalAlerts"]!.GetValue<int>());

        // The longest ids that fit are stored and found again.
        var longest = new string('a', 441);
        await app.AttachOk(space, caseId, AttachmentTestClient.Alerts([longest]));
        var holders = await app.Get(space, $"/cases/alerts/{longest}");
        Assert.Equal(caseId, holders[0]!["id"]!.GetValue<string>());
    }

    [Fact]
    public async Task An_alert_ecs_payload_past_its_size_or_values_per_field_is_a_400_and_nothing_is_attached()
    {
        var space = CasesAppFixture.NewSpace();
        var caseId = (await app.CreateCase(space, new { settings = new { syncAlerts = false, extractObservables = true } }))["id"]!.GetValue<string>();
        var large = new JsonObject { ["host"] = new JsonObject { ["name"] = "web-01", ["notes"] = new string('x', 5_000) } };
        await (await app.Attach(space, caseId, AttachmentTestClient.Alerts(["a-1"], ecs: new JsonArray(large))))
            .Error(HttpStatusCode.BadRequest, "The maximum size is 4096 characters of JSON");
        var many = new JsonObject { ["source"] = new JsonObject { ["ip"] = new JsonArray(Enumerable.Range(0, 51).Select(i => (JsonNode?)$"10.0.0.{i}").ToArray()) } };
        await (await app.Attach(space, caseId, AttachmentTestClient.Alerts(["a-1"], ecs: new JsonArray(many))))
            .Error(HttpStatusCode.BadRequest, "The ecs field source.ip has too many values. The maximum is 50.");
        Assert.Equal(0, (await app.Get(space, $"/cases/{caseId}"))["totalAlerts"]!.GetValue<int>());
        Assert.Empty((await app.Get(space, $"/cases/{caseId}/observables"))["observables"]!.AsArray());
    }

    [Fact]
    public async Task Crafted_emails_in_alert_ecs_are_checked_quickly_and_good_ones_still_extracted()
    {
        var space = CasesAppFixture.NewSpace();
        var caseId = (await app.CreateCase(space, new { settings = new { syncAlerts = false, extractObservables = true } }))["id"]!.GetValue<string>();
        // The worst the caps allow: 1,000 alerts (the request limit) whose ecs each carry crafted dotted user.email values.
        var crafted = "a@" + string.Concat(Enumerable.Repeat("a.", 900)) + "@";
        var ecs = new JsonArray(Enumerable.Range(0, 200).Select(i => (JsonNode?)new JsonObject
        {
            ["user"] = new JsonObject { ["email"] = new JsonArray(crafted, crafted) },
        }).ToArray());
        ecs[0]!["user"]!["email"]!.AsArray().Add("analyst@example.com");
        var watch = Stopwatch.StartNew();
        await app.AttachOk(space, caseId, AttachmentTestClient.Alerts(Enumerable.Range(0, 200).Select(i => $"alert-{i}"), ecs: ecs));
        Assert.True(watch.Elapsed < TimeSpan.FromSeconds(10), $"took {watch.Elapsed}");
        var observables = (await app.Get(space, $"/cases/{caseId}/observables"))["observables"]!.AsArray();
        Assert.Equal("analyst@example.com", Assert.Single(observables)!["value"]!.GetValue<string>());
    }
}
