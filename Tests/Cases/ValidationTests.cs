using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Nodes;
using Cases.Tests.Infrastructure;

namespace Cases.Tests.Cases;

/// <summary>Everything a client can get wrong ends in a 400 with Kibana's body and a message naming the field and limit.</summary>
public sealed class ValidationTests(CasesAppFixture app) : IClassFixture<CasesAppFixture>
{
    public static TheoryData<string, string> InvalidCreates => new()
    {
        { """{"title": "TITLE161"}""", "The length of the title is too long. The maximum length is 160." },
        { """{"title": "   "}""", "The title field cannot be an empty string." },
        { """{"description": "DESCRIPTION30001"}""", "The length of the description is too long. The maximum length is 30000." },
        { """{"description": ""}""", "The description field cannot be an empty string." },
        { """{"tags": "TAGS201"}""", "The length of the field tags is too long. Array must be of length <= 200." },
        { """{"tags": ["TAG257"]}""", "The length of the tag is too long. The maximum length is 256." },
        { """{"tags": [""]}""", "The tag field cannot be an empty string." },
        { """{"category": "CATEGORY51"}""", "The length of the category is too long. The maximum length is 50." },
        { """{"assignees": "ASSIGNEES11"}""", "The length of the field assignees is too long. Array must be of length <= 10." },
        { """{"severity": "urgent"}""", "Invalid value \"urgent\" supplied to \"severity\"" },
        { """{"owner": "everyone"}""", "Invalid value \"everyone\" supplied to \"owner\"" },
        { """{"owner": null}""", "Invalid value \"undefined\" supplied to \"owner\"" },
        { """{"settings": null}""", "Invalid value \"undefined\" supplied to \"settings\"" },
        { """{"connector": {"id": "x", "name": "x", "type": ".email", "fields": null}}""", "Invalid value \".email\" supplied to \"connector.type\"" },
        { """{"tags": "not-an-array"}""", "supplied to \"tags\"" },
        { """{"title": 42}""", "Invalid value \"42\" supplied to \"title\"" },
        { """{"settings": {"syncAlerts": "yes"}}""", "supplied to \"settings,syncAlerts\"" },
        { """{"foo": 1, "bar": 2}""", "invalid keys \"foo,bar\"" },
        { """{"customFields": [{"key": "a", "type": "toggle", "value": "x"}]}""", "The value of custom field a is not a valid toggle." },
    };

    [Theory]
    [MemberData(nameof(InvalidCreates))]
    public async Task Invalid_create_requests_get_400_naming_the_field_and_limit(string overrides, string message)
    {
        var body = TestCases.NewCaseBody();
        foreach (var (key, value) in JsonNode.Parse(Expand(overrides))!.AsObject())
            body[key] = value?.DeepClone();
        if (body["owner"] is null && overrides.Contains("\"owner\": null")) body.Remove("owner");
        if (body["settings"] is null && overrides.Contains("\"settings\": null")) body.Remove("settings");

        var response = await app.Http.PostAsJsonAsync("/api/cases", body);
        await response.Error(HttpStatusCode.BadRequest, message);
    }

    [Theory]
    [InlineData("{not json", "The request body is not valid JSON")]
    [InlineData("[1,2]", "The request body must be a JSON object.")]
    [InlineData("", "The request body is not valid JSON")]
    public async Task Malformed_bodies_get_400(string body, string message)
    {
        var response = await app.Http.PostAsync("/api/cases", new StringContent(body, Encoding.UTF8, "application/json"));
        await response.Error(HttpStatusCode.BadRequest, message);
        var patch = await app.Http.PatchAsync("/api/cases", new StringContent(body, Encoding.UTF8, "application/json"));
        await patch.Error(HttpStatusCode.BadRequest, message);
    }

    [Fact]
    public async Task Values_at_the_limits_are_accepted()
    {
        var space = CasesAppFixture.NewSpace();
        var created = await app.CreateCase(space, new
        {
            title = new string('t', 160),
            description = new string('d', 30_000),
            tags = Enumerable.Range(0, 200).Select(i => $"{i:D3}" + new string('g', 253)).ToArray(),
            category = new string('c', 50),
            assignees = Enumerable.Range(0, 10).Select(i => new { uid = $"u_{i}" }).ToArray(),
        });
        var fetched = await (await app.Http.GetAsync(CasesAppFixture.Api(space, $"/cases/{created["id"]}"))).Json();
        Assert.Equal(200, fetched["tags"]!.AsArray().Count);
        Assert.Equal(30_000, fetched["description"]!.GetValue<string>().Length);
    }

    [Fact]
    public async Task Unknown_routes_and_methods_get_Kibanas_error_body()
    {
        await (await app.Http.GetAsync("/api/nothing-here")).Error(HttpStatusCode.NotFound, "Not Found");
        await (await app.Http.PutAsync("/api/cases", new StringContent("{}"))).Error(HttpStatusCode.MethodNotAllowed, "not accepted");
    }

    [Fact]
    public async Task Invalid_space_ids_are_refused()
    {
        await (await app.Http.GetAsync("/s/Not%20A%20Space/api/cases/_find")).Error(HttpStatusCode.BadRequest, "Invalid space id");
    }

    static string Expand(string json) => json
        .Replace("\"TITLE161\"", Quoted(new string('t', 161)))
        .Replace("\"DESCRIPTION30001\"", Quoted(new string('d', 30_001)))
        .Replace("\"TAGS201\"", "[" + string.Join(',', Enumerable.Range(0, 201).Select(i => Quoted($"t{i}"))) + "]")
        .Replace("\"TAG257\"", Quoted(new string('g', 257)))
        .Replace("\"CATEGORY51\"", Quoted(new string('c', 51)))
        .Replace("\"ASSIGNEES11\"", "[" + string.Join(',', Enumerable.Range(0, 11).Select(i => $"{{\"uid\":\"u{i}\"}}")) + "]");

    static string Quoted(string s) => "\"" + s + "\"";
}
