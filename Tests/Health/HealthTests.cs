using System.Net;
using Cases.Functions.Hosting;
using Cases.Tests.Infrastructure;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace Cases.Tests.Health;

/// <summary>Liveness never touches storage; readiness does, and says 503 (Kibana's error body) when storage is unreachable.</summary>
public sealed class HealthTests(CasesAppFixture app) : IClassFixture<CasesAppFixture>
{
    [Fact]
    public async Task Liveness_and_readiness_answer_available_when_storage_is_up()
    {
        Assert.Equal("available", (await (await app.Http.GetAsync("/api/health")).Json())["status"]!.GetValue<string>());
        Assert.Equal("available", (await (await app.Http.GetAsync("/api/health/ready")).Json())["status"]!.GetValue<string>());
    }

    [Fact]
    public async Task When_storage_is_unreachable_liveness_stays_up_and_readiness_is_503()
    {
        // A table endpoint nobody listens on.
        var closedPort = AppProcess.FreePort();
        var connection = Azurite.ConnectionString.Contains("TableEndpoint=")
            ? System.Text.RegularExpressions.Regex.Replace(Azurite.ConnectionString, @"TableEndpoint=http://[^/;]+", $"TableEndpoint=http://127.0.0.1:{closedPort}")
            : $"DefaultEndpointsProtocol=http;AccountName=devstoreaccount1;AccountKey=Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==;TableEndpoint=http://127.0.0.1:{closedPort}/devstoreaccount1;";
        await using var down = CasesApp.Build(["--urls", "http://127.0.0.1:0"], builder => builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["AzureWebJobsStorage"] = connection,
            ["Logging:LogLevel:Default"] = "None",
        }));
        await down.StartAsync();
        using var http = new HttpClient { BaseAddress = new Uri(down.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First()) };

        Assert.Equal(HttpStatusCode.OK, (await http.GetAsync("/api/health")).StatusCode);
        var started = DateTime.UtcNow;
        await (await http.GetAsync("/api/health/ready")).Error(HttpStatusCode.ServiceUnavailable, "The storage service is unavailable");
        Assert.True(DateTime.UtcNow - started < TimeSpan.FromSeconds(15), "readiness must answer within its storage timeout");
        await down.StopAsync();
    }
}
