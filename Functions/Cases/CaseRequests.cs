using Cases.Domain.Ids;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Cases.Domain.Cases;
using Cases.Domain.Errors;
using Cases.Functions.Hosting;

namespace Cases.Functions.Cases;

/// <summary>Turns request bodies into the domain's inputs, with Kibana's errors for anything malformed.</summary>
public static partial class CaseRequests
{

    public static async Task<NewCase> ReadNewCase(HttpRequest request, CancellationToken ct)
    {
        var body = await RequestJson.ReadObject(request, ct);
        RequestJson.RejectUnknownKeys(body, NewCase.Keys);
        if (body["template"] is JsonObject template) RequestJson.RejectUnknownKeys(template, TemplateRef.Keys);
        CaseRequestShape.Check(body, "");
        var input = RequestJson.Bind(body, CasesJsonContext.Default.NewCase, "")!;
        return input with { Sent = body.Select(p => p.Key).ToHashSet() };
    }

    public static async Task<List<CasePatch>> ReadPatches(HttpRequest request, CancellationToken ct)
    {
        var body = await RequestJson.ReadObject(request, ct);
        RequestJson.RejectUnknownKeys(body, ["cases"]);
        if (body["cases"] is not JsonArray items) throw CasesException.InvalidValue("cases", body["cases"]?.ToJsonString());
        if (items.Count == 0) throw CasesException.BadRequest("The length of the field cases is too short. Array must be of length >= 1.");
        CaseValidation.MaxItems("cases", items.Count, CaseLimits.BulkUpdateMax);
        var patches = items.Select(Patch).ToList();
        var duplicate = patches.GroupBy(p => p.Id).FirstOrDefault(g => g.Count() > 1);
        if (duplicate is not null) throw CasesException.BadRequest($"The case with id {duplicate.Key} appears more than once in the request.");
        return patches;
    }

    static CasePatch Patch(JsonNode? node)
    {
        if (node is not JsonObject item) throw CasesException.InvalidValue("cases", node?.ToJsonString());
        RequestJson.RejectUnknownKeys(item, CasePatch.Keys);
        CaseRequestShape.Check(item, "cases,");
        var c = CasesJsonContext.Default;
        return new CasePatch
        {
            Id = Required(item, "id"),
            Version = Required(item, "version"),
            Title = Field(item, "title", n => RequestJson.Bind(n, c.String, "cases,title")),
            Description = Field(item, "description", n => RequestJson.Bind(n, c.String, "cases,description")),
            Status = Field(item, "status", n => RequestJson.Bind(n, c.String, "cases,status")),
            Severity = Field(item, "severity", n => RequestJson.Bind(n, c.String, "cases,severity")),
            Category = Field(item, "category", n => RequestJson.Bind(n, c.String, "cases,category")),
            Tags = Field(item, "tags", n => RequestJson.Bind(n, c.ListString, "cases,tags")),
            Assignees = Field(item, "assignees", n => RequestJson.Bind(n, c.ListAssignee, "cases,assignees")),
            Connector = Field(item, "connector", n => RequestJson.Bind(n, c.Connector, "cases,connector")),
            Settings = Field(item, "settings", n => RequestJson.Bind(n, c.CaseSettings, "cases,settings")),
            CustomFields = Field(item, "customFields", n => RequestJson.Bind(n, c.ListCustomFieldValue, "cases,customFields")),
        };
    }

    static string Required(JsonObject item, string key) =>
        item[key] is JsonValue v && v.TryGetValue(out string? text) && text.Length > 0
            ? text
            : throw CasesException.InvalidValue($"cases,{key}", item[key]?.ToJsonString());

    static Optional<T> Field<T>(JsonObject item, string key, Func<JsonNode?, T> bind) =>
        item.TryGetPropertyValue(key, out var node) ? bind(node) : Optional<T>.Unset;


}
