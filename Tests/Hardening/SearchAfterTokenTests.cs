using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using Cases.Functions.Find;
using Cases.Functions.Hosting;
using Cases.Tests.Infrastructure;
using Microsoft.Extensions.Configuration;

namespace Cases.Tests.Hardening;

/// <summary>searchAfter tokens are signed: a client cannot make up positions, and every instance accepts every other's tokens.</summary>
public class SearchAfterTokenTests(CasesAppFixture app) : IClassFixture<CasesAppFixture>
{
    static string Base64Url(byte[] bytes) => Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');

    static byte[] FromBase64Url(string text)
    {
        var padded = text.Replace('-', '+').Replace('_', '/');
        return Convert.FromBase64String(padded + new string('=', (4 - padded.Length % 4) % 4));
    }

    async Task<(string Space, string Token)> FirstPage()
    {
        var space = CasesAppFixture.NewSpace();
        for (var i = 0; i < 3; i++) await app.CreateCase(space);
        var first = await (await app.Http.GetAsync(CasesAppFixture.Api(space, "/cases/_find?perPage=1"))).Json();
        return (space, first["searchAfter"]!.GetValue<string>());
    }

    [Fact]
    public async Task A_token_with_a_changed_position_or_no_signature_is_a_400()
    {
        var (space, token) = await FirstPage();
        var parts = token.Split('.');
        var payload = JsonNode.Parse(FromBase64Url(parts[0]))!.AsObject();
        payload["i"] = "00000000-0000-0000-0000-000000000000";
        var forged = Base64Url(Encoding.UTF8.GetBytes(payload.ToJsonString())) + "." + parts[1];
        foreach (var bad in new[] { forged, parts[0], parts[0] + "." + Base64Url(new byte[32]), token + "x" })
            await (await app.Http.GetAsync(CasesAppFixture.Api(space, $"/cases/_find?perPage=1&searchAfter={bad}")))
                .Error(HttpStatusCode.BadRequest, "supplied to \"searchAfter\"");

        var next = await (await app.Http.GetAsync(CasesAppFixture.Api(space, $"/cases/_find?perPage=1&searchAfter={token}"))).Json();
        Assert.Single(next["cases"]!.AsArray());
    }

    [Fact]
    public async Task Another_instance_over_the_same_storage_accepts_the_token_and_a_differently_keyed_one_refuses_it()
    {
        var (space, token) = await FirstPage();
        await using var same = new OtherInstance(app.TablePrefix, key: null);
        await same.InitializeAsync();
        var next = await (await same.Http.GetAsync(CasesAppFixture.Api(space, $"/cases/_find?perPage=1&searchAfter={token}"))).Json();
        Assert.Single(next["cases"]!.AsArray());

        await using var other = new OtherInstance(app.TablePrefix, key: new string('k', 40));
        await other.InitializeAsync();
        await (await other.Http.GetAsync(CasesAppFixture.Api(space, $"/cases/_find?perPage=1&searchAfter={token}")))
            .Error(HttpStatusCode.BadRequest, "supplied to \"searchAfter\"");
    }

    [Fact]
    public void The_key_is_configured_or_derived_from_the_connection_string_and_required_with_a_managed_identity()
    {
        IConfiguration Config(params (string, string)[] values) =>
            new ConfigurationBuilder().AddInMemoryCollection(values.Select(v => new KeyValuePair<string, string?>(v.Item1, v.Item2))).Build();
        var configured = SearchAfterKey.Derive(Config(("Cases:Find:TokenKey", new string('a', 32)), ("AzureWebJobsStorage:tableServiceUri", "https://x.table.core.windows.net")));
        Assert.Equal(Encoding.UTF8.GetBytes(new string('a', 32)), configured);
        Assert.Null(SearchAfterKey.Derive(Config(("Cases:Find:TokenKey", "short"))));
        Assert.Null(SearchAfterKey.Derive(Config(("AzureWebJobsStorage:tableServiceUri", "https://x.table.core.windows.net"))));
        var one = SearchAfterKey.Derive(Config(("AzureWebJobsStorage", "AccountName=a;AccountKey=one")));
        Assert.Equal(one, SearchAfterKey.Derive(Config(("AzureWebJobsStorage", "AccountName=a;AccountKey=one"))));
        Assert.NotEqual(one, SearchAfterKey.Derive(Config(("AzureWebJobsStorage", "AccountName=a;AccountKey=two"))));
        Assert.DoesNotContain("one", Encoding.UTF8.GetString(one!)); // derived, not the secret itself
    }

    [Fact]
    public async Task With_a_managed_identity_and_no_key_the_app_does_not_start()
    {
        var ex = await Assert.ThrowsAnyAsync<Exception>(async () =>
        {
            await using var app = CasesApp.Build(["--urls", "http://127.0.0.1:0", "--AzureWebJobsStorage:tableServiceUri=https://x.table.core.windows.net"]);
            await app.StartAsync();
            await app.StopAsync();
        });
        Assert.Contains("Cases:Find:TokenKey must be set", ex.ToString());
    }

    sealed class OtherInstance(string prefix, string? key) : CasesAppFixture, IAsyncDisposable
    {
        protected override IEnumerable<KeyValuePair<string, string?>> Settings =>
            key is null ? [new("Cases:Storage:TablePrefix", prefix)] : [new("Cases:Storage:TablePrefix", prefix), new("Cases:Find:TokenKey", key)];
        protected override bool OwnsTables => false;
        ValueTask IAsyncDisposable.DisposeAsync() => new(DisposeAsync());
    }
}
