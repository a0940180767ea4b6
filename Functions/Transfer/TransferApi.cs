using Cases.Domain.Ids;
using Cases.Functions.Access;
using System.Text.Json.Nodes;
using Cases.Domain.Cases;
using Cases.Domain.Errors;
using Cases.Functions.Cases;
using Cases.Functions.Hosting;
using Cases.Functions.Spaces;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Cases.Functions.Transfer;

public sealed class TransferOptions
{
    public const string Section = "Cases:Transfer";

    /// <summary>The largest import file accepted (the multipart body may be slightly larger). The Functions host caps bodies at 100 MB unless FUNCTIONS_REQUEST_BODY_SIZE_LIMIT is raised.</summary>
    public long ImportMaxBytes { get; set; } = 100 * 1_048_576;

    /// <summary>Kibana's savedObjects.maxImportExportSize: how many objects an export may name in <c>objects</c>.</summary>
    public int ExportMaxObjects { get; set; } = 10_000;
}

/// <summary>Kibana's saved-objects export and import, for cases and what belongs to them.</summary>
public static class TransferApi
{
    public static IServiceCollection AddTransfer(this IServiceCollection services)
    {
        services.AddOptions<TransferOptions>().BindConfiguration(TransferOptions.Section)
            .Validate(o => o.ImportMaxBytes > 0 && o.ExportMaxObjects > 0, "Cases:Transfer:ImportMaxBytes and ExportMaxObjects must be positive.")
            .ValidateOnStart();
        services.AddSingleton<CaseItemRows>();
        services.AddSingleton<ExportStream>();
        services.AddSingleton<ImportJob>();
        return services;
    }

    public static void MapTransferApi(this IEndpointRouteBuilder routes)
    {
        var objects = routes.MapGroup("/saved_objects").WithTags("saved objects");
        // Both move a client's file (10,000 cases take minutes on a busy store), so the 60 s request deadline does not apply:
        // the export streams as it goes; the import's per-transaction storage timeouts still bound every step.
        objects.MapPost("/_export", Export).WithName("exportSavedObjects").Produces(StatusCodes.Status200OK, contentType: "application/ndjson")
            .RequiresCases(CasePrivilege.Read).ReadsJson().DisableRequestTimeout();
        objects.MapPost("/_import", Import).WithName("importSavedObjects").RequiresCases(CasePrivilege.Create).DisableAntiforgery()
            .ProducesErrors(400, 413).DisableRequestTimeout();
    }

    static async Task<EmptyHttpResult> Export(HttpContext http, CaseStore store, ExportStream export, Microsoft.Extensions.Options.IOptions<TransferOptions> options, CancellationToken ct)
    {
        var space = Space.Of(http);
        var request = await ReadExportRequest(http.Request, options.Value, ct);
        IReadOnlyList<CaseRecord>? chosen = null;
        if (request.CaseIds is { } ids)
        {
            // Every named object must exist before the first byte is sent (the status cannot change afterwards).
            var found = await Task.WhenAll(ids.Select(id => ObjectIds.IsWellFormed(id) ? store.Get(space, id, ct) : Task.FromResult<StoredCase?>(null)));
            var missing = ids.Where((_, i) => found[i] is null).ToArray();
            if (missing.Length > 0)
                throw CasesException.BadRequest($"Error fetching objects to export: {string.Join(", ", missing.Select(id => $"cases:{id}"))} not found.");
            chosen = found.Select(f => f!.Record).ToList();
            CasesAccess.Of(http).Require(CasePrivilege.Read, "case", chosen.Select(c => c.Case.Owner).Distinct());
        }
        http.Response.ContentType = "application/ndjson";
        http.Response.Headers.ContentDisposition = "attachment; filename=\"export.ndjson\"";
        await export.Write(http.Response.Body, space, request, chosen, CasesAccess.Of(http).ReadableOwners, ct);
        return TypedResults.Empty;
    }

    static async Task<ExportRequest> ReadExportRequest(HttpRequest request, TransferOptions options, CancellationToken ct)
    {
        var body = await RequestJson.ReadObject(request, ct);
        RequestJson.RejectUnknownKeys(body, ["type", "objects", "includeReferencesDeep", "excludeExportDetails", "search", "hasReference"]);
        if (body["search"] is not null || body["hasReference"] is not null)
            throw CasesException.BadRequest("search and hasReference are not supported: export by type or by objects.");
        var deep = Bool(body, "includeReferencesDeep");
        var noDetails = Bool(body, "excludeExportDetails");
        if (body["type"] is not null && body["objects"] is not null)
            throw CasesException.BadRequest("Can't specify both \"types\" and \"objects\" properties when exporting");
        if (body["type"] is { } typeNode)
        {
            var types = typeNode is JsonArray
                ? RequestJson.Bind(typeNode, CasesJsonContext.Default.ListString, "type")!
                : [RequestJson.Bind(typeNode, CasesJsonContext.Default.String, "type")!];
            var other = types.Where(t => t != SavedObjectTypes.Case).ToArray();
            if (types.Count == 0 || other.Length > 0)
                throw CasesException.BadRequest($"Trying to export non-exportable type(s): {string.Join(", ", other)}. Exportable: {SavedObjectTypes.Case}.");
            return new ExportRequest(null, deep, noDetails);
        }
        if (body["objects"] is JsonArray objects)
        {
            if (objects.Count > options.ExportMaxObjects)
                throw CasesException.BadRequest($"Can't export more than {options.ExportMaxObjects} objects.");
            var ids = new List<string>();
            foreach (var o in objects)
            {
                var type = SavedObjectReader.Text(o?["type"]);
                var id = SavedObjectReader.Text(o?["id"]);
                if (type is null || id is null) throw CasesException.BadRequest("Each of objects needs a type and an id.");
                if (type != SavedObjectTypes.Case)
                    throw CasesException.BadRequest($"Trying to export object(s) with non-exportable types: {type}:{id}");
                ids.Add(id);
            }
            if (ids.Count == 0) throw CasesException.BadRequest("objects must name at least one object.");
            return new ExportRequest(ids.Distinct().ToList(), deep, noDetails);
        }
        throw CasesException.BadRequest("Either `type` or `objects` are required.");
    }

    static bool Bool(JsonObject body, string name) => body[name] switch
    {
        null => false,
        JsonValue v when v.TryGetValue<bool>(out var b) => b,
        var other => throw CasesException.InvalidValue(name, other.ToJsonString()),
    };

    static async Task<Ok<JsonObject>> Import(HttpContext http, ImportJob job, Microsoft.Extensions.Options.IOptions<TransferOptions> options, CancellationToken ct)
    {
        var space = Space.Of(http);
        var overwrite = Flag(http, "overwrite");
        var copies = Flag(http, "createNewCopies");
        if (overwrite && copies) throw CasesException.BadRequest("cannot use [overwrite] with [createNewCopies]");
        if (QueryValues.Single(http.Request.Query, "compatibilityMode") == "true")
            throw CasesException.BadRequest("compatibilityMode is not supported.");
        await using var file = await ImportUpload.Receive(http.Request, options.Value.ImportMaxBytes, ct);
        var access = CasesAccess.Of(http);
        return TypedResults.Ok(await job.Run(space, file, new ImportOptions(overwrite, copies, owner => access.Can(owner, CasePrivilege.Create),
            MayManageConnectors: access.CanAnyOwner(CasePrivilege.Settings)), ct));
    }

    static bool Flag(HttpContext http, string name) => QueryValues.Single(http.Request.Query, name) switch
    {
        null or "false" => false,
        "true" or "" => true,
        var other => throw CasesException.InvalidValue(name, other),
    };
}
