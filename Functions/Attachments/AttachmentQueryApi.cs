using System.Text.Json.Nodes;
using Cases.Domain.Attachments;
using Cases.Domain.Cases;
using Cases.Domain.Errors;
using Cases.Functions.Access;
using Cases.Functions.Cases;
using Cases.Functions.Hosting;
using Cases.Functions.Spaces;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Cases.Functions.Attachments;

/// <summary>Read-only views over attachments: a case's alerts and events, the cases holding an alert, attachment search.</summary>
public static class AttachmentQueryApi
{
    /// <summary>A case's alerts, oldest first: <c>[{id, index, attached_at}]</c>.</summary>
    internal static async Task<Ok<JsonArray>> CaseAlerts(string caseId, HttpContext http, CaseStore cases, AttachmentStore store, CancellationToken ct) =>
        TypedResults.Ok(await Items(caseId, http, cases, store, AttachmentTypes.Alert, newestFirst: false, ct));

    /// <summary>A case's events, newest first: <c>[{id, index, attached_at}]</c>.</summary>
    internal static async Task<Ok<JsonArray>> CaseEvents(string caseId, HttpContext http, CaseStore cases, AttachmentStore store, CancellationToken ct) =>
        TypedResults.Ok(await Items(caseId, http, cases, store, AttachmentTypes.Event, newestFirst: true, ct));

    static async Task<JsonArray> Items(string caseId, HttpContext http, CaseStore cases, AttachmentStore store, string type, bool newestFirst, CancellationToken ct)
    {
        var space = Space.Of(http);
        await AttachmentsApi.LoadReadable(http, cases, space, caseId, "comments", ct);
        var items = (await store.List(space, caseId, ct, type)).SelectMany(s =>
        {
            var a = s.Attachment;
            var ids = type == AttachmentTypes.Alert ? a.AlertIds : a.EventIds;
            return ids.Select((id, i) => (JsonNode?)new JsonObject
            {
                ["id"] = id,
                ["index"] = a.Indices[i],
                ["attached_at"] = KibanaDateConverter.Text(a.CreatedAt),
                ["comment_id"] = a.Id,
            });
        }).ToList();
        if (newestFirst) items.Reverse();
        return new JsonArray(items.ToArray());
    }

    /// <summary>The cases of this space holding an alert (via its index rows), optionally of some owners.</summary>
    internal static async Task<Ok<JsonArray>> CasesByAlert(string alertId, HttpContext http, CaseStore cases, AttachmentStore store, CancellationToken ct)
    {
        var space = Space.Of(http);
        var owners = CasesAccess.Of(http).ReadableOf(QueryValues.OneOf(http.Request.Query, "owner", CaseOwner.All));
        // Kestrel decodes a path except its encoded slashes; alert ids may contain '/'.
        alertId = alertId.Replace("%2F", "/", StringComparison.OrdinalIgnoreCase);
        var ids = await store.CasesWithAlert(space, alertId, ct);
        var found = await Task.WhenAll(ids.Select(id => cases.Get(space, id, ct)));
        var result = found.OfType<StoredCase>().Select(s => s.Record)
            .Where(r => owners.Contains(r.Case.Owner))
            .OrderBy(r => r.Case.CreatedAt)
            .Select(r => (JsonNode?)new JsonObject
            {
                ["id"] = r.Case.Id,
                ["title"] = r.Case.Title,
                ["description"] = r.Case.Description,
                ["status"] = r.Case.Status,
                ["createdAt"] = KibanaDateConverter.Text(r.Case.CreatedAt),
                ["totals"] = new JsonObject { ["alerts"] = r.TotalAlerts, ["userComments"] = r.TotalComment },
            });
        return TypedResults.Ok(new JsonArray(result.ToArray()));
    }

    /// <summary>
    /// Searches what is attached to a case: alert and event ids and indices, comment text, file names and ids of
    /// external references, the type of visualizations, and observable values (case-insensitive, substring).
    /// </summary>
    internal static async Task<Ok<JsonObject>> Search(string caseId, HttpContext http, CaseStore cases, AttachmentStore store, CancellationToken ct)
    {
        var space = Space.Of(http);
        var term = QueryValues.Single(http.Request.Query, "search") ?? throw CasesException.InvalidValue("search", null);
        await AttachmentsApi.LoadReadable(http, cases, space, caseId, "comments", ct);
        bool Hit(string? text) => text is not null && text.Contains(term, StringComparison.OrdinalIgnoreCase);
        var attachments = (await store.ListAll(space, caseId, ct)).Where(a => SearchText(a).Any(Hit)).ToList();
        var observables = (await store.Observables(space, caseId, ct)).Where(o => Hit(o.Value) || Hit(o.Description)).ToList();
        return TypedResults.Ok(new JsonObject
        {
            ["attachments"] = new JsonArray(attachments.Select(a => (JsonNode?)AttachmentResponse.Json(a)).ToArray()),
            ["observables"] = ObservablesApi.Json(observables),
            ["total"] = attachments.Count + observables.Count,
        });
    }

    static IEnumerable<string?> SearchText(Attachment a)
    {
        foreach (var id in a.AlertIds.Concat(a.EventIds).Concat(a.Indices)) yield return id;
        var f = a.Fields;
        yield return f["comment"]?.GetValue<string>();
        yield return f["persistableStateAttachmentTypeId"]?.GetValue<string>();
        yield return f["externalReferenceId"]?.GetValue<string>();
        if (f["externalReferenceMetadata"]?["files"] is JsonArray files)
            foreach (var file in files.OfType<JsonObject>())
            {
                yield return file["name"]?.ToString();
                if (file["name"] is not null && file["extension"] is not null) yield return $"{file["name"]}.{file["extension"]}";
            }
    }
}
