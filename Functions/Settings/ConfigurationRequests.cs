using System.Text.Json.Nodes;
using Cases.Domain.Errors;
using Cases.Domain.Settings;
using Cases.Functions.Hosting;

namespace Cases.Functions.Settings;

/// <summary>Turns settings request bodies into the domain's inputs; unknown keys are refused at every level, as Kibana's strict codecs do.</summary>
public static class ConfigurationRequests
{
    public static async Task<NewConfiguration> ReadNew(HttpRequest request, CancellationToken ct)
    {
        var body = await RequestJson.ReadObject(request, ct);
        RejectUnknownKeys(body, NewConfiguration.Keys);
        return RequestJson.Bind(body, CasesJsonContext.Default.NewConfiguration, "")!;
    }

    public static async Task<ConfigurationPatch> ReadPatch(HttpRequest request, CancellationToken ct)
    {
        var body = await RequestJson.ReadObject(request, ct);
        RejectUnknownKeys(body, ConfigurationPatch.Keys);
        var patch = RequestJson.Bind(body, CasesJsonContext.Default.ConfigurationPatch, "")!;
        if (string.IsNullOrEmpty(patch.Version)) throw CasesException.InvalidValue("version", patch.Version);
        return patch;
    }

    static void RejectUnknownKeys(JsonObject body, string[] allowed)
    {
        RequestJson.RejectUnknownKeys(body, allowed);
        Items(body["customFields"], CustomFieldConfig.Keys);
        Items(body["observableTypes"], ObservableTypeConfig.Keys);
        Items(body["templates"], CaseTemplate.Keys);
        if (body["templates"] is JsonArray templates)
            foreach (var template in templates)
                if (template is JsonObject { } t && t["caseFields"] is JsonObject fields)
                    RequestJson.RejectUnknownKeys(fields, TemplateCaseFields.Keys);
    }

    static void Items(JsonNode? node, string[] allowed)
    {
        if (node is not JsonArray items) return;
        foreach (var item in items)
            if (item is JsonObject o) RequestJson.RejectUnknownKeys(o, allowed);
    }
}
