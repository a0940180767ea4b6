using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;
using Cases.Domain.Attachments;
using Cases.Domain.Cases;
using Cases.Domain.Observables;
using Cases.Domain.Settings;
using Cases.Domain.Users;
using Cases.Functions.Cases;
using Cases.Functions.Files;
using Cases.Functions.Settings;
using Cases.Functions.UserActions;

namespace Cases.Functions.Hosting;

/// <summary>Source-generated serializers: no reflection, so start-up stays short (ReadyToRun) and trimming stays possible.</summary>
[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase,
    Converters = [typeof(KibanaDateConverter)])]
[JsonSerializable(typeof(ErrorBody))]
[JsonSerializable(typeof(NewCase))]
[JsonSerializable(typeof(Case))]
[JsonSerializable(typeof(CaseUser))]
[JsonSerializable(typeof(CaseResponse))]
[JsonSerializable(typeof(List<CaseResponse>))]
[JsonSerializable(typeof(FindCasesResponse))]
[JsonSerializable(typeof(BulkGetResponse))]
[JsonSerializable(typeof(List<Find.ViewSnapshots.Entry>), TypeInfoPropertyName = "ListEntry")]
[JsonSerializable(typeof(FindUserActionsResponse))]
[JsonSerializable(typeof(List<DeprecatedUserActionResponse>))]
[JsonSerializable(typeof(List<string>))]
[JsonSerializable(typeof(List<Assignee>))]
[JsonSerializable(typeof(List<CustomFieldValue>))]
[JsonSerializable(typeof(Connector))]
[JsonSerializable(typeof(CaseSettings))]
[JsonSerializable(typeof(NewConfiguration))]
[JsonSerializable(typeof(ConfigurationPatch))]
[JsonSerializable(typeof(CaseConfiguration))]
[JsonSerializable(typeof(ConfigurationResponse))]
[JsonSerializable(typeof(List<ConfigurationResponse>))]
[JsonSerializable(typeof(JsonObject))]
[JsonSerializable(typeof(List<CaseUser>))]
[JsonSerializable(typeof(JsonArray))]
[JsonSerializable(typeof(string))]
[JsonSerializable(typeof(Attachment))]
[JsonSerializable(typeof(List<Observable>))]
[JsonSerializable(typeof(JsonNode))]
[JsonSerializable(typeof(List<JsonNode>))]
[JsonSerializable(typeof(FileResponse))]
[JsonSerializable(typeof(FilesPage))]
[JsonSerializable(typeof(CasesByHash))]
public sealed partial class CasesJsonContext : JsonSerializerContext
{
    /// <summary>
    /// Response options: these types, Kibana's timestamps, and no escaping of '+', '&lt;' or non-ASCII letters
    /// (Kibana writes them as they are; the content type is JSON, never HTML).
    /// </summary>
    public static void Configure(JsonSerializerOptions options)
    {
        options.TypeInfoResolverChain.Insert(0, Default);
        options.Converters.Add(new KibanaDateConverter());
        options.Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping;
    }
}
