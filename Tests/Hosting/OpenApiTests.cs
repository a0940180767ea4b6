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
}
