using System.Text.Json.Serialization;
using Azure;
using Azure.Data.Tables;
using Cases.Functions.Access;
using Cases.Functions.Hosting;
using Cases.Functions.Storage;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;

namespace Cases.Functions.Health;

/// <summary>
/// <c>GET /api/health</c>: liveness, answered without touching storage (the process is up and serving).
/// <c>GET /api/health/ready</c>: readiness, one cheap read of the cases table; 503 with Kibana's error body when
/// storage cannot be reached or refuses the app's identity.
/// </summary>
public static partial class HealthApi
{
    /// <summary>How long readiness waits for storage (the SDK's retries included) before answering 503.</summary>
    public static readonly TimeSpan StorageTimeout = TimeSpan.FromSeconds(5);

    public const string Unavailable = "The storage service is unavailable; try again shortly.";

    public static void MapHealthApi(this IEndpointRouteBuilder routes)
    {
        var health = routes.MapGroup("/api/health").WithTags("health").IsPublic();
        health.MapGet("/", Live).WithName("health");
        health.MapGet("/ready", Ready).WithName("healthReady").Produces(StatusCodes.Status200OK).ProducesErrors(StatusCodes.Status503ServiceUnavailable);
    }

    static JsonHttpResult<HealthStatus> Live() => TypedResults.Json(new HealthStatus("available"), HealthJsonContext.Default.HealthStatus);

    static async Task<Results<JsonHttpResult<HealthStatus>, JsonHttpResult<ErrorBody>>> Ready(
        TableServiceClient service, IOptions<StorageOptions> options, ILoggerFactory loggers, CancellationToken ct)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
        timeout.CancelAfter(StorageTimeout);
        try
        {
            // Reads at most one row of a partition that never exists: proves the account answers and lets the app in.
            var table = service.GetTableClient(options.Value.TablePrefix + "cases");
            var filter = TableClient.CreateQueryFilter($"PartitionKey eq {"health-probe"}");
            await using var pages = table.QueryAsync<TableEntity>(filter, maxPerPage: 1, select: ["PartitionKey"], cancellationToken: timeout.Token)
                .AsPages().GetAsyncEnumerator(timeout.Token);
            await pages.MoveNextAsync();
        }
        catch (RequestFailedException ex) when (ex.Status == 404)
        {
            // The table is created on first write; storage answered, so the app is ready.
        }
        catch (Exception ex) when (ex is RequestFailedException or HttpRequestException or AggregateException
                                       || (ex is OperationCanceledException && !ct.IsCancellationRequested))
        {
            LogNotReady(loggers.CreateLogger("Cases.Health"), ex.GetType().Name, (ex as RequestFailedException)?.Status ?? 0);
            return TypedResults.Json(ErrorBody.For(503, Unavailable), CasesJsonContext.Default.ErrorBody, statusCode: 503);
        }
        return TypedResults.Json(new HealthStatus("available"), HealthJsonContext.Default.HealthStatus);
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Not ready: storage check failed ({Error}, status {Status})")]
    static partial void LogNotReady(ILogger logger, string error, int status);
}

public sealed record HealthStatus([property: JsonPropertyName("status")] string Status);

[JsonSerializable(typeof(HealthStatus))]
internal sealed partial class HealthJsonContext : JsonSerializerContext;
