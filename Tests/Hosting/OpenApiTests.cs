using System.Text.Json.Nodes;
using Cases.Tests.Infrastructure;

namespace Cases.Tests.Hosting;

public sealed class OpenApiTests(CasesAppFixture app) : IClassFixture<CasesAppFixture>
{
    [Fact]
    public async Task The_app_serves_an_OpenAPI_document_of_its_routes()
    {
        var doc = await (await app.Http.GetAsync("/api/openapi.json")).Json();
        var paths = doc["paths"]!.AsObject();
        Assert.True(paths.ContainsKey("/api/cases"), string.Join(", ", paths.Select(p => p.Key)));
        Assert.True(paths.ContainsKey("/s/{spaceId}/api/cases/_find"));
        Assert.Equal("createCaseDefaultSpace", paths["/api/cases"]!["post"]!["operationId"]!.GetValue<string>());
    }

    /// <summary>
    /// The failures each operation can answer, as the handlers and the layers below them refuse: 401/403 from the access
    /// rule, 503 for storage down or too slow (every route that touches storage), 400/413 for a JSON body, 404 for what a
    /// route names, 409 for a stale version or a taken id. In a named space (<c>/s/{spaceId}</c>) every route may also
    /// answer 400 (an invalid space id). A new route fails here until it declares its outcomes.
    /// </summary>
    static readonly Dictionary<string, int[]> Failures = new()
    {
        ["health"] = [],
        ["healthReady"] = [503],
        ["suggestUserProfiles"] = [400, 401, 413, 503],
        ["bulkGetUserProfiles"] = [400, 401, 413, 503],
        ["createCase"] = [400, 401, 403, 413, 503],
        ["updateCases"] = [400, 401, 403, 404, 406, 409, 413, 503],
        ["deleteCases"] = [400, 401, 403, 404, 503],
        ["getCase"] = [401, 403, 404, 503],
        ["getCasesMe"] = [401, 503],
        ["findCaseActivity"] = [400, 401, 403, 404, 503],
        ["getCaseActivity"] = [400, 401, 403, 404, 503],
        ["getCaseMetrics"] = [400, 401, 403, 404, 503],
        ["getCaseByNumber"] = [400, 401, 403, 404, 503],
        ["pushCase"] = [400, 401, 403, 404, 409, 424, 502, 503, 504],
        ["getCaseConnectorsPushStatus"] = [401, 403, 404, 503],
        ["addCaseComment"] = [400, 401, 403, 404, 413, 503],
        ["updateCaseComment"] = [400, 401, 403, 404, 409, 413, 503],
        ["deleteCaseComments"] = [400, 401, 403, 404, 503],
        ["getAllCaseComments"] = [401, 403, 404, 503],
        ["findCaseComments"] = [400, 401, 403, 404, 503],
        ["getCaseComment"] = [401, 403, 404, 503],
        ["deleteCaseComment"] = [400, 401, 403, 404, 503],
        ["getCaseAlerts"] = [401, 403, 404, 503],
        ["getCasesByAlert"] = [400, 401, 403, 503],
        ["getCaseEvents"] = [401, 403, 404, 503],
        ["searchCaseAttachments"] = [400, 401, 403, 404, 503],
        ["getObservableTypes"] = [400, 401, 403, 503],
        ["getCaseObservables"] = [401, 403, 404, 503],
        ["addCaseObservable"] = [400, 401, 403, 404, 413, 503],
        ["updateCaseObservable"] = [400, 401, 403, 404, 413, 503],
        ["deleteCaseObservable"] = [400, 401, 403, 404, 503],
        ["findCases"] = [400, 401, 403, 503],
        ["getCaseTags"] = [400, 401, 403, 503],
        ["getCaseReporters"] = [400, 401, 403, 503],
        ["getCaseCategories"] = [400, 401, 403, 503],
        ["getCasesMetrics"] = [400, 401, 403, 503],
        ["bulkGetCases"] = [400, 401, 403, 413, 503],
        ["getCaseConfiguration"] = [400, 401, 403, 503],
        ["setCaseConfiguration"] = [400, 401, 403, 413, 503],
        ["updateCaseConfiguration"] = [400, 401, 403, 404, 409, 413, 503],
        ["findCaseConnectors"] = [401, 403, 503],
        ["addCaseFile"] = [400, 401, 403, 404, 408, 409, 413, 503],
        ["findCaseFiles"] = [400, 401, 403, 404, 503],
        ["deleteCaseFiles"] = [400, 401, 403, 404, 409, 503],
        ["getCaseFile"] = [401, 403, 404, 503],
        ["downloadCaseFile"] = [401, 403, 404, 416, 503],
        ["findFiles"] = [400, 401, 403, 503],
        ["findCasesByFileHash"] = [400, 401, 403, 503],
        ["createConnector"] = [400, 401, 403, 409, 413, 503],
        ["createConnectorId"] = [400, 401, 403, 409, 413, 503],
        ["getConnector"] = [401, 403, 404, 503],
        ["updateConnector"] = [400, 401, 403, 404, 409, 413, 503],
        ["deleteConnector"] = [401, 403, 404, 503],
        ["getConnectors"] = [401, 403, 503],
        ["getConnectorTypes"] = [401, 403, 503],
        ["createWebhook"] = [400, 401, 403, 413, 503],
        ["listWebhooks"] = [401, 403, 503],
        ["getWebhook"] = [401, 403, 404, 503],
        ["deleteWebhook"] = [401, 403, 404, 503],
        ["getWebhookDeliveries"] = [401, 403, 404, 503],
        ["exportSavedObjects"] = [400, 401, 403, 413, 503],
        ["importSavedObjects"] = [400, 401, 403, 413, 503],
    };

    [Fact]
    public async Task Every_operation_declares_the_failures_it_can_answer_with_Kibanas_error_body()
    {
        var doc = await (await app.Http.GetAsync("/api/openapi.json")).Json();
        var seen = new HashSet<string>();
        foreach (var (path, operations) in doc["paths"]!.AsObject())
        {
            foreach (var (method, operation) in operations!.AsObject())
            {
                var id = operation!["operationId"]!.GetValue<string>();
                var name = id.EndsWith("DefaultSpace", StringComparison.Ordinal) ? id[..^"DefaultSpace".Length] : id;
                Assert.True(Failures.TryGetValue(name, out var expected), $"{method} {path} ({id}) is not in the table of declared failures");
                seen.Add(name);
                if (path.StartsWith("/s/{spaceId}/", StringComparison.Ordinal)) expected = [.. expected.Append(400).Distinct()];

                var responses = operation["responses"]!.AsObject();
                var failures = responses.Select(r => int.Parse(r.Key)).Where(status => status >= 400).Order().ToArray();
                Assert.True(expected.Order().SequenceEqual(failures),
                    $"{method} {path}: declares {string.Join(", ", failures)}, expected {string.Join(", ", expected.Order())}");
                Assert.Contains(responses, r => r.Key.StartsWith('2') || r.Key.StartsWith('3'));
                foreach (var status in failures.Where(s => s != 416)) // 416 comes from range processing, with no body
                    Assert.Equal("#/components/schemas/ErrorBody",
                        responses[status.ToString()]!["content"]!["application/json"]!["schema"]!["$ref"]!.GetValue<string>());
            }
        }
        Assert.Empty(Failures.Keys.Except(seen));

        // Kibana's 4xx_response: statusCode (integer), error and message (strings).
        var error = doc["components"]!["schemas"]!["ErrorBody"]!;
        Assert.Equal("integer", error["properties"]!["statusCode"]!["type"]!.GetValue<string>());
        Assert.Equal("string", error["properties"]!["error"]!["type"]!.GetValue<string>());
        Assert.Equal("string", error["properties"]!["message"]!["type"]!.GetValue<string>());
    }

    [Fact]
    public async Task Create_case_declares_its_refusals_and_upload_its_size_limit()
    {
        var paths = (await (await app.Http.GetAsync("/api/openapi.json")).Json())["paths"]!;
        JsonObject Responses(string path, string method) => paths[path]![method]!["responses"]!.AsObject();
        Assert.Equal(["200", "400", "401", "403", "413", "503"], Responses("/api/cases", "post").Select(r => r.Key).Order());
        Assert.Contains("413", Responses("/s/{spaceId}/api/cases/{caseId}/files", "post").Select(r => r.Key));
        Assert.Contains("409", Responses("/api/cases", "patch").Select(r => r.Key));
    }
}
