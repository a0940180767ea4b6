using System.Net;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using Cases.Tests.Infrastructure;
using static Cases.Tests.Attachments.AttachmentTestClient;

namespace Cases.Tests.Connectors;

/// <summary>ServiceNow connectors with <c>isOAuth</c>: Kibana's validation, the JWT bearer grant, the token cached until it expires.</summary>
public sealed class ServiceNowOAuthTests(ConnectorsFixture app) : IClassFixture<ConnectorsFixture>
{
    const string ClientId = "3f8a0c1e-client";
    const string ClientSecret = "sn-client-secret-Q7w";
    const string User = "svc.elastic@example.com";
    const string KeyId = "elastic-jwt-key-1";
    const string KeyPassword = "pem-pass-K2";

    static readonly RSA Key = RSA.Create(2048);
    static readonly string EncryptedPem = Key.ExportEncryptedPkcs8PrivateKeyPem(KeyPassword,
        new PbeParameters(PbeEncryptionAlgorithm.Aes256Cbc, HashAlgorithmName.SHA256, 10_000));

    static RSA PublicKey(RSA key)
    {
        var pub = RSA.Create();
        pub.ImportSubjectPublicKeyInfo(key.ExportSubjectPublicKeyInfo(), out _);
        return pub;
    }

    static ServiceNowOAuthInstance Instance(int expiresIn = 1800) => new(PublicKey(Key), ClientId, ClientSecret, User, KeyId, expiresIn);

    static object Connector(string url, string pem, string? password = KeyPassword, string type = ".servicenow") => new
    {
        connector_type_id = type,
        name = "SN OAuth",
        config = new { apiUrl = url, usesTableApi = true, isOAuth = true, clientId = ClientId, userIdentifierValue = User, jwtKeyId = KeyId },
        secrets = new { clientSecret = ClientSecret, privateKey = pem, privateKeyPassword = password },
    };

    Task<HttpResponseMessage> Push(string space, string caseId, string connectorId) =>
        app.Http.PostAsync(CasesAppFixture.Api(space, $"/cases/{caseId}/connector/{connectorId}/_push"), new StringContent("{}", Encoding.UTF8, "application/json"));

    [Fact]
    public async Task The_JWT_bearer_grant_gets_a_token_used_on_the_table_API_and_kept_until_it_expires()
    {
        var space = CasesAppFixture.NewSpace();
        await using var sn = await ExternalSystemServer.Start();
        sn.OAuth = Instance(expiresIn: 1800);
        var created = await app.CreateConnector(space, Connector(sn.Base, EncryptedPem));
        var connector = created["id"]!.GetValue<string>();
        Assert.True(created["config"]!["isOAuth"]!.GetValue<bool>());
        Assert.Null(created["secrets"]);
        var caseId = (await app.CreateCase(space))["id"]!.GetValue<string>();
        await app.AttachOk(space, caseId, UserComment("Reset the password."));

        var first = (await (await Push(space, caseId, connector)).Json()).AsObject();
        var assertion = Assert.Single(sn.OAuth.Assertions);
        Assert.Equal(ClientId, assertion.Issuer);
        Assert.Equal([ClientId], assertion.Audiences);
        Assert.Equal(User, assertion.Subject);
        Assert.Equal(KeyId, assertion.Kid);
        var token = Assert.Single(sn.OAuth.IssuedTokens);
        var create = Assert.Single(sn.Where("POST", "/api/now/v2/table/incident"));
        Assert.Equal("Bearer " + token, create.Authorization);
        var incident = first["external_service"]!["external_id"]!.GetValue<string>();
        Assert.Equal("Bearer " + token, Assert.Single(sn.Where("PATCH", $"/api/now/v2/table/incident/{incident}"), r => r.Body?["comments"] is not null).Authorization);

        // Within the token's lifetime the next push asks for no new token.
        app.Clock.Advance(TimeSpan.FromMinutes(10));
        await app.AttachOk(space, caseId, UserComment("Closed the ticket on our side."));
        await (await Push(space, caseId, connector)).Json();
        Assert.Single(sn.OAuth.Assertions);

        // Once expires_in has passed, a new assertion buys a new token.
        app.Clock.Advance(TimeSpan.FromSeconds(1800));
        await (await Push(space, caseId, connector)).Json();
        Assert.Equal(2, sn.OAuth.Assertions.Count);
        Assert.Equal(2, sn.OAuth.IssuedTokens.Count);
        Assert.Single(sn.Where("POST", "/api/now/v2/table/incident"));
        Assert.All(sn.Requests.Where(r => r.Path != "/oauth_token.do"), r => Assert.StartsWith("Bearer ", r.Authorization));

        // No secret, assertion or token in any response or log line.
        var read = (await (await app.Http.GetAsync(CasesAppFixture.Api(space, $"/actions/connector/{connector}"))).Json()).ToJsonString();
        var pemBody = EncryptedPem.Split('\n')[2];
        foreach (var secret in sn.OAuth.IssuedTokens.Append(ClientSecret).Append(KeyPassword).Append(pemBody).Append(sn.OAuth.Assertions[0].EncodedToken))
        {
            Assert.DoesNotContain(secret, read);
            Assert.DoesNotContain(secret, created.ToJsonString());
            Assert.DoesNotContain(app.Logs.Lines, l => l.Contains(secret));
        }
    }

    [Fact]
    public async Task SecOps_through_the_Elastic_apps_import_set_sends_the_bearer_token_on_every_call()
    {
        var space = CasesAppFixture.NewSpace();
        await using var sn = await ExternalSystemServer.Start();
        sn.OAuth = Instance();
        var body = JsonNode.Parse(System.Text.Json.JsonSerializer.Serialize(Connector(sn.Base, EncryptedPem, type: ".servicenow-sir")))!.AsObject();
        body["config"]!["usesTableApi"] = false;
        var connector = (await (await app.Http.PostAsJsonAsync(CasesAppFixture.Api(space, "/actions/connector"), body)).Json())["id"]!.GetValue<string>();
        var caseId = (await app.CreateCase(space))["id"]!.GetValue<string>();
        await app.AttachOk(space, caseId, UserComment("Contained."));

        var pushed = await (await Push(space, caseId, connector)).Json();
        Assert.StartsWith("SIR", pushed["external_service"]!["external_title"]!.GetValue<string>());
        var token = Assert.Single(sn.OAuth.IssuedTokens);
        Assert.Equal(2, sn.Where("POST", "/api/x_elas2_sir_int/elastic_api/import_set_row").Count());
        Assert.All(sn.Requests.Where(r => r.Path != "/oauth_token.do"), r => Assert.Equal("Bearer " + token, r.Authorization));
    }

    [Fact]
    public async Task A_refused_token_fails_that_push_and_the_next_push_gets_a_new_token_without_a_second_incident()
    {
        var space = CasesAppFixture.NewSpace();
        await using var sn = await ExternalSystemServer.Start();
        sn.OAuth = Instance();
        var connector = (await app.CreateConnector(space, Connector(sn.Base, Key.ExportPkcs8PrivateKeyPem(), password: null)))["id"]!.GetValue<string>();
        var caseId = (await app.CreateCase(space))["id"]!.GetValue<string>();
        await (await Push(space, caseId, connector)).Json();

        sn.OAuth.RevokeAll();
        app.Clock.Advance(TimeSpan.FromMinutes(1));
        await (await Push(space, caseId, connector)).Error((HttpStatusCode)424, "external status 401");

        await (await Push(space, caseId, connector)).Json();
        Assert.Equal(2, sn.OAuth.Assertions.Count);
        Assert.Single(sn.Where("POST", "/api/now/v2/table/incident"));
    }

    [Fact]
    public async Task A_key_the_instance_does_not_know_is_refused_with_the_token_endpoint_named_and_the_case_unchanged()
    {
        var space = CasesAppFixture.NewSpace();
        await using var sn = await ExternalSystemServer.Start();
        sn.OAuth = Instance();
        using var otherKey = RSA.Create(2048);
        var connector = (await app.CreateConnector(space, Connector(sn.Base, otherKey.ExportRSAPrivateKeyPem(), password: null)))["id"]!.GetValue<string>();
        var caseId = (await app.CreateCase(space))["id"]!.GetValue<string>();

        await (await Push(space, caseId, connector)).Error((HttpStatusCode)424, "Unable to get access token with connector \"SN OAuth\"");
        Assert.Empty(sn.Where("POST", "/api/now/v2/table/incident"));
        var theCase = await (await app.Http.GetAsync(CasesAppFixture.Api(space, $"/cases/{caseId}"))).Json();
        Assert.Null(theCase["external_service"]);
    }

    public static TheoryData<string, string, string> Refusals => new()
    {
        { """{"isOAuth":true,"userIdentifierValue":"u","jwtKeyId":"k"}""", """{"clientSecret":"s","privateKey":"KEY"}""", "error validating action type config: clientId must be provided when isOAuth = true" },
        { """{"isOAuth":true,"clientId":"c","jwtKeyId":"k"}""", """{"clientSecret":"s","privateKey":"KEY"}""", "error validating action type config: userIdentifierValue must be provided when isOAuth = true" },
        { """{"isOAuth":true,"clientId":"c","userIdentifierValue":"u"}""", """{"clientSecret":"s","privateKey":"KEY"}""", "error validating action type config: jwtKeyId must be provided when isOAuth = true" },
        { """{}""", """{}""", "error validating action type secrets: Either basic auth or OAuth credentials must be specified" },
        { """{}""", """{"username":"u"}""", "error validating action type secrets: username and password must both be specified" },
        { """{"isOAuth":true,"clientId":"c","userIdentifierValue":"u","jwtKeyId":"k"}""", """{"clientSecret":"s"}""", "error validating action type secrets: clientSecret and privateKey must both be specified" },
        { """{"isOAuth":true,"clientId":"c","userIdentifierValue":"u","jwtKeyId":"k"}""", """{"username":"u","password":"p"}""", "error validating action type connector: clientSecret must be provided when isOAuth = true" },
        { """{"isOAuth":true,"clientId":"c","userIdentifierValue":"u","jwtKeyId":"k"}""", """{"username":"u","password":"p","clientSecret":"s","privateKey":"KEY"}""", "error validating action type connector: Username and password should not be provided with isOAuth = true" },
        { """{"isOAuth":false}""", """{"clientSecret":"s","privateKey":"KEY"}""", "error validating action type connector: username must be provided when isOAuth = false" },
        { """{"clientId":"c"}""", """{"username":"u","password":"p"}""", "error validating action type connector: clientId, clientSecret, userIdentifierValue, jwtKeyId and privateKey should not be provided with isOAuth = false" },
        { """{"isOAuth":true,"clientId":"c","userIdentifierValue":"u","jwtKeyId":"k"}""", """{"clientSecret":"s","privateKey":"not a key"}""", "error validating action type secrets: [privateKey]: must be a PEM RSA private key" },
        { """{"isOAuth":true,"clientId":"c","userIdentifierValue":"u","jwtKeyId":"k"}""", """{"clientSecret":"s","privateKey":"KEY","privateKeyPassword":"wrong"}""", "error validating action type secrets: [privateKey]: must be a PEM RSA private key" },
    };

    [Theory]
    [MemberData(nameof(Refusals))]
    public async Task Credentials_that_do_not_fit_isOAuth_are_refused_with_Kibanas_messages(string config, string secrets, string message)
    {
        var space = CasesAppFixture.NewSpace();
        var configNode = JsonNode.Parse(config)!.AsObject();
        configNode["apiUrl"] = "http://127.0.0.1:9";
        var secretsNode = JsonNode.Parse(secrets.Replace("\"KEY\"", JsonValue.Create(EncryptedPem)!.ToJsonString()))!.AsObject();
        if (secretsNode["privateKey"]?.GetValue<string>() == EncryptedPem && secretsNode["privateKeyPassword"] is null) secretsNode["privateKeyPassword"] = KeyPassword;
        var body = new JsonObject { ["connector_type_id"] = ".servicenow-sir", ["name"] = "SIR", ["config"] = configNode, ["secrets"] = secretsNode };
        await (await app.Http.PostAsJsonAsync(CasesAppFixture.Api(space, "/actions/connector"), body)).Error(HttpStatusCode.BadRequest, message);
        Assert.Empty((await (await app.Http.GetAsync(CasesAppFixture.Api(space, "/actions/connectors"))).Json()).AsArray());
    }
}
