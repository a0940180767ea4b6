using System.Text.Json.Nodes;
using Cases.Domain.Attachments;
using Cases.Domain.Cases;
using Cases.Domain.Errors;
using Cases.Domain.Observables;
using Cases.Domain.UserActions;

namespace Cases.Domain.Metrics;

/// <summary>The per-case summary of Kibana's <c>GET /api/cases/metrics/{caseId}</c>, computed from the case, its alerts and its activity.</summary>
public static class CaseMetrics
{
    public static readonly string[] Features = ["actions.isolateHost", "alerts.count", "alerts.hosts", "alerts.users", "connectors", "lifespan"];

    public static void CheckFeatures(IReadOnlyList<string> features)
    {
        var invalid = features.Where(f => !Features.Contains(f)).ToArray();
        if (features.Count == 0 || invalid.Length > 0)
            throw CasesException.BadRequest(
                $"invalid features: [{string.Join(',', invalid)}], please only provide valid features: [{string.Join(" | ", Features)}]");
    }

    public sealed record Count(string Name, string? Id, int Total);

    /// <summary>Distinct values of an ECS field across the alerts (each alert counted once), with the 10 most frequent.</summary>
    public static (int Total, List<Count> Top) Distinct(IEnumerable<Attachment> alerts, string keyField, string? nameField)
    {
        var counts = new Dictionary<string, (string Name, int Count)>(StringComparer.Ordinal);
        foreach (var ecs in alerts.SelectMany(a => a.AlertEcs))
        {
            if (ecs is null) continue;
            var name = nameField is null ? null : Ecs.First(ecs, nameField);
            var key = Ecs.First(ecs, keyField) ?? name;
            if (key is null) continue;
            counts[key] = counts.TryGetValue(key, out var c) ? (c.Name, c.Count + 1) : (name ?? key, 1);
        }
        var top = counts.OrderByDescending(p => p.Value.Count).ThenBy(p => p.Key, StringComparer.Ordinal).Take(10)
            .Select(p => new Count(p.Value.Name, nameField is null ? null : p.Key, p.Value.Count)).ToList();
        return (counts.Count, top);
    }

    /// <summary>Connectors ever set on the case: distinct connector ids in its create and connector actions, .none excluded.</summary>
    public static int Connectors(IEnumerable<UserAction> actions) => actions
        .Where(a => a.Type is UserActionTypes.CreateCase or UserActionTypes.Connector)
        .Select(a => a.Payload["connector"] as JsonObject)
        .Where(c => c?["type"]?.GetValue<string>() is { } type && type != ConnectorTypes.None)
        .Select(c => c!["id"]?.GetValue<string>())
        .Distinct()
        .Count();

    public sealed record StatusInfo(long OpenDuration, long InProgressDuration, IReadOnlyList<DateTimeOffset> ReopenDates);

    /// <summary>
    /// Kibana's replay: the case starts open at creation; each status change closes the interval of the status that was
    /// current (time in closed is not counted); leaving closed is a reopen; the current status accrues until now. Milliseconds.
    /// </summary>
    public static StatusInfo Lifespan(DateTimeOffset createdAt, IEnumerable<UserAction> actions, DateTimeOffset now)
    {
        var status = CaseStatus.Open;
        var since = createdAt;
        long open = 0, inProgress = 0;
        var reopens = new List<DateTimeOffset>();
        void Accrue(DateTimeOffset until)
        {
            var ms = Math.Max(0, (long)(until - since).TotalMilliseconds);
            if (status == CaseStatus.Open) open += ms;
            else if (status == CaseStatus.InProgress) inProgress += ms;
        }
        foreach (var action in actions.Where(a => a.Type == UserActionTypes.Status).OrderBy(a => a.CreatedAt))
        {
            if (action.Payload["status"]?.GetValue<string>() is not { } next || !CaseStatus.All.Contains(next)) continue;
            Accrue(action.CreatedAt);
            if (status == CaseStatus.Closed && next != CaseStatus.Closed) reopens.Add(action.CreatedAt);
            status = next;
            since = action.CreatedAt;
        }
        Accrue(now);
        return new StatusInfo(open, inProgress, reopens);
    }
}
