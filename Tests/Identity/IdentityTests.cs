using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Nodes;
using Cases.Tests.Infrastructure;

namespace Cases.Tests.Identity;

public sealed class IdentityTests(CasesAppFixture app) : IClassFixture<CasesAppFixture>
{
    [Fact]
    public async Task The_App_Service_principal_fills_created_by_updated_by_and_closed_by()
    {
        var space = CasesAppFixture.NewSpace();
        var principal = Convert.ToBase64String(Encoding.UTF8.GetBytes("""
            {"auth_typ":"aad","name_typ":"name","role_typ":"roles","claims":[
              {"typ":"name","val":"Ada Lovelace"},
              {"typ":"preferred_username","val":"ada@contoso.com"},
              {"typ":"http://schemas.xmlsoap.org/ws/2005/05/identity/claims/emailaddress","val":"ada@contoso.com"},
              {"typ":"http://schemas.microsoft.com/identity/claims/objectidentifier","val":"0b7e5b4c-1111-2222-3333-444455556666"},
              {"typ":"roles","val":"Cases.Admin"}]}
            """));
        using var request = new HttpRequestMessage(HttpMethod.Post, CasesAppFixture.Api(space, "/cases")) { Content = JsonContent.Create(TestCases.NewCaseBody()) };
        request.Headers.Add("X-MS-CLIENT-PRINCIPAL", principal);
        var created = await (await app.Http.SendAsync(request)).Json();

        var expected = JsonNode.Parse("""{"email":"ada@contoso.com","full_name":"Ada Lovelace","username":"ada@contoso.com","profile_uid":"0b7e5b4c-1111-2222-3333-444455556666"}""");
        Assert.True(JsonNode.DeepEquals(expected, created["created_by"]), created["created_by"]!.ToJsonString());

        using var close = new HttpRequestMessage(HttpMethod.Patch, CasesAppFixture.Api(space, "/cases"))
        {
            Content = JsonContent.Create(new { cases = new[] { new { id = created["id"]!.GetValue<string>(), version = created["version"]!.GetValue<string>(), status = "closed" } } }),
        };
        close.Headers.Add("X-MS-CLIENT-PRINCIPAL", principal);
        var closed = (await (await app.Http.SendAsync(close)).Json())[0]!;
        Assert.True(JsonNode.DeepEquals(expected, closed["closed_by"]));
        Assert.True(JsonNode.DeepEquals(expected, closed["updated_by"]));
    }

    [Fact]
    public async Task Without_a_principal_the_configured_local_user_acts()
    {
        var created = await app.CreateCase(CasesAppFixture.NewSpace());
        var expected = JsonNode.Parse("""{"email":null,"full_name":null,"username":"local-tester"}""");
        Assert.True(JsonNode.DeepEquals(expected, created["created_by"]), created["created_by"]!.ToJsonString());
    }

    [Fact]
    public async Task A_forged_principal_that_is_not_base64_json_is_refused()
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/cases") { Content = JsonContent.Create(TestCases.NewCaseBody()) };
        request.Headers.Add("X-MS-CLIENT-PRINCIPAL", "not-base64!");
        await (await app.Http.SendAsync(request)).Error(System.Net.HttpStatusCode.Unauthorized, "X-MS-CLIENT-PRINCIPAL");
    }
}

/// <summary>Where the app is not told to trust the platform, the principal header is ignored: anyone could send it.</summary>
public sealed class UntrustedIdentityTests(UntrustedIdentityTests.Fixture app) : IClassFixture<UntrustedIdentityTests.Fixture>
{
    public sealed class Fixture : CasesAppFixture
    {
        protected override IEnumerable<KeyValuePair<string, string?>> Settings => [new("Cases:Identity:TrustClientPrincipal", "false")];
    }

    [Fact]
    public async Task The_principal_header_is_ignored_unless_trusted()
    {
        var principal = Convert.ToBase64String(Encoding.UTF8.GetBytes("""{"claims":[{"typ":"preferred_username","val":"mallory"}]}"""));
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/cases") { Content = JsonContent.Create(TestCases.NewCaseBody()) };
        request.Headers.Add("X-MS-CLIENT-PRINCIPAL", principal);
        var created = await (await app.Http.SendAsync(request)).Json();
        Assert.Equal("local-tester", created["created_by"]!["username"]!.GetValue<string>());
    }
}

/// <summary>In Azure the local user is off: a request without a principal is refused, not served as somebody.</summary>
public sealed class NoLocalUserTests(NoLocalUserTests.Fixture app) : IClassFixture<NoLocalUserTests.Fixture>
{
    public sealed class Fixture : CasesAppFixture
    {
        protected override IEnumerable<KeyValuePair<string, string?>> Settings => [new("Cases:Identity:LocalUserEnabled", "false")];
    }

    [Fact]
    public async Task A_request_without_a_principal_gets_401()
    {
        await (await app.Http.PostAsJsonAsync("/api/cases", TestCases.NewCaseBody())).Error(System.Net.HttpStatusCode.Unauthorized, "Authentication is required");
    }
}
