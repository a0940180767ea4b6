using System.Text.Json.Nodes;
using Cases.Domain.Attachments;
using Cases.Domain.Metrics;
using Cases.Functions.Access;
using Cases.Functions.Attachments;
using Cases.Functions.Cases;
using Cases.Functions.Hosting;
using Cases.Functions.Spaces;
using Cases.Functions.UserActions;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Cases.Functions.Metrics;

/// <summary>Kibana's case summary: <c>GET /api/cases/metrics/{caseId}?features=alerts.count&amp;features=lifespan...</c>.</summary>
public static class MetricsApi
{
    public static void MapMetricsApi(this IEndpointRouteBuilder routes)
    {
        routes.MapGet("/cases/metrics/{caseId}", Get).WithTags("metrics").WithName("getCaseMetrics").RequiresCases(CasePrivilege.Read, "case").ProducesErrors(400, 404);
    }

    static async Task<Ok<JsonObject>> Get(string caseId, HttpContext http, CaseStore cases, AttachmentStore attachments, UserActionStore userActions,
        TimeProvider time, CancellationToken ct)
    {
        var space = Space.Of(http);
        var features = QueryValues.List(http.Request.Query, "features").Distinct().ToList();
        CaseMetrics.CheckFeatures(features);
        var record = (await CasesApi.Load(cases, space, caseId, ct)).Record;
        CasesAccess.Of(http).Require(CasePrivilege.Read, "case", record.Case.Owner);
        var now = time.Now();
        var alerts = features.Any(f => f is "alerts.hosts" or "alerts.users")
            ? (await attachments.List(space, caseId, ct, AttachmentTypes.Alert)).Select(a => a.Attachment).ToList()
            : [];
        var actions = features.Any(f => f is "connectors" or "lifespan") ? await userActions.List(space, caseId, ct) : [];

        var result = new JsonObject();
        JsonObject Alerts() => result["alerts"] as JsonObject ?? (JsonObject)(result["alerts"] = new JsonObject());
        foreach (var feature in features.Order(StringComparer.Ordinal))
        {
            switch (feature)
            {
                case "alerts.count":
                    Alerts()["count"] = record.TotalAlerts;
                    break;
                case "alerts.hosts":
                    Alerts()["hosts"] = Distinct(CaseMetrics.Distinct(alerts, "host.id", "host.name"), withId: true);
                    break;
                case "alerts.users":
                    Alerts()["users"] = Distinct(CaseMetrics.Distinct(alerts, "user.name", null), withId: false);
                    break;
                case "connectors":
                    result["connectors"] = new JsonObject { ["total"] = CaseMetrics.Connectors(actions) };
                    break;
                case "lifespan":
                    var info = CaseMetrics.Lifespan(record.Case.CreatedAt, actions, now);
                    result["lifespan"] = new JsonObject
                    {
                        ["creationDate"] = KibanaDateConverter.Text(record.Case.CreatedAt),
                        ["closeDate"] = record.Case.ClosedAt is { } closed ? KibanaDateConverter.Text(closed) : null,
                        ["statusInfo"] = new JsonObject
                        {
                            ["openDuration"] = info.OpenDuration,
                            ["inProgressDuration"] = info.InProgressDuration,
                            ["reopenDates"] = new JsonArray(info.ReopenDates.Select(d => (JsonNode?)KibanaDateConverter.Text(d)).ToArray()),
                        },
                    };
                    break;
                case "actions.isolateHost":
                    // Host isolation is recorded by endpoint response actions, which this service does not attach.
                    result["actions"] = new JsonObject
                    {
                        ["isolateHost"] = new JsonObject { ["isolate"] = new JsonObject { ["total"] = 0 }, ["unisolate"] = new JsonObject { ["total"] = 0 } },
                    };
                    break;
            }
        }
        return TypedResults.Ok(result);
    }

    static JsonObject Distinct((int Total, List<CaseMetrics.Count> Top) counts, bool withId) => new()
    {
        ["total"] = counts.Total,
        ["values"] = new JsonArray(counts.Top.Select(c =>
        {
            var v = new JsonObject { ["name"] = c.Name };
            if (withId) v["id"] = c.Id;
            v["count"] = c.Total;
            return (JsonNode?)v;
        }).ToArray()),
    };
}
