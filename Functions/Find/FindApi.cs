using Cases.Domain.Ids;
using System.Text.Json.Nodes;
using Cases.Domain.Cases;
using Cases.Domain.Errors;
using Cases.Domain.Find;
using Cases.Domain.Users;
using Cases.Functions.Access;
using Cases.Functions.Cases;
using Cases.Functions.Hosting;
using Cases.Functions.Spaces;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;

namespace Cases.Functions.Find;

/// <summary>Reading many cases: _find, tags, reporters, categories, all-cases metrics and bulk get.</summary>
public static class FindApi
{
    public const int BulkGetMax = 1_000;

    public static void MapFindApi(this IEndpointRouteBuilder routes)
    {
        var cases = routes.MapGroup("/cases").WithTags("cases");
        cases.MapGet("/_find", Find).WithName("findCases").RequiresCases(CasePrivilege.Read).ProducesErrors(400)
            .AddEndpointFilter(Transfer.CasesCsv.Filter); // CSV when asked for
        cases.MapGet("/tags", Tags).WithName("getCaseTags").RequiresCases(CasePrivilege.Read).ProducesErrors(400);
        cases.MapGet("/reporters", Reporters).WithName("getCaseReporters").RequiresCases(CasePrivilege.Read).ProducesErrors(400);
        cases.MapGet("/categories", Categories).WithName("getCaseCategories").RequiresCases(CasePrivilege.Read).ProducesErrors(400);
        cases.MapGet("/metrics", Metrics).WithName("getCasesMetrics").RequiresCases(CasePrivilege.Read).ProducesErrors(400);
        cases.MapPost("/_bulk_get", BulkGet).WithName("bulkGetCases").RequiresCases(CasePrivilege.Read).ReadsJson();
    }

    static async Task<Ok<FindCasesResponse>> Find(HttpContext http, CaseIndex index, CaseStore store, TimeProvider time, IOptions<SearchAfterKey> tokenKey,
        CancellationToken ct)
    {
        var space = Space.Of(http);
        QueryValues.RejectUnknown(http.Request.Query, FindQueryParser.Keys);
        var query = Readable(http, FindQueryParser.Parse(http.Request.Query, time.Now(), tokenKey.Value));
        if (query.Search is { } search && long.TryParse(search.Trim().TrimStart('#'), out var number) && number > 0
            && await store.GetByNumber(space, number, ct) is { } numbered)
            query = query with { SearchIds = new HashSet<string> { numbered.Record.Case.Id } };

        var result = (await index.View(space, ct)).Find(query);
        // The view decides which cases; the page itself is read fresh (counters and numbers change outside the view).
        var page = await Task.WhenAll(result.Ids.Select(id => store.Get(space, id, ct)));
        var token = result.Next is { } next ? ContinuationToken.Create(next, query.SortField, query.Descending, tokenKey.Value) : null;
        return TypedResults.Ok(new FindCasesResponse(
            page.OfType<StoredCase>().Select(s => CaseResponse.From(s.Record)).ToList(), query.Page, query.PerPage, result.Total,
            result.CountOpen, result.CountInProgress, result.CountClosed, token));
    }

    static async Task<Ok<List<string>>> Tags(HttpContext http, CaseIndex index, CancellationToken ct) =>
        TypedResults.Ok((await Totals(http, index, ct)).Tags.Keys.Order(StringComparer.Ordinal).ToList());

    static async Task<Ok<List<string>>> Categories(HttpContext http, CaseIndex index, CancellationToken ct) =>
        TypedResults.Ok((await Totals(http, index, ct)).Categories.Keys.Order(StringComparer.Ordinal).ToList());

    static async Task<CaseTotals> Totals(HttpContext http, CaseIndex index, CancellationToken ct) =>
        await index.TotalsOf(Space.Of(http), ReadableOwners(http), ct);

    static async Task<Ok<List<CaseUser>>> Reporters(HttpContext http, CaseIndex index, CancellationToken ct) =>
        TypedResults.Ok((await index.View(Space.Of(http), ct)).Reporters(ReadableOwners(http)));

    /// <summary>Kibana's all-cases metrics: status counts and mean time to resolve (seconds, from each closed case's duration).</summary>
    static async Task<Ok<JsonObject>> Metrics(HttpContext http, CaseIndex index, TimeProvider time, IOptions<SearchAfterKey> tokenKey, CancellationToken ct)
    {
        string[] valid = ["mttr", "status"];
        var features = QueryValues.List(http.Request.Query, "features");
        if (features.Count == 0) throw CasesException.BadRequest($"The features parameter is required. Valid features: {string.Join(", ", valid)}.");
        var unknown = features.Where(f => !valid.Contains(f)).ToArray();
        if (unknown.Length > 0)
            throw CasesException.BadRequest($"Invalid features: {string.Join(", ", unknown)}. Valid features: {string.Join(", ", valid)}.");
        var query = Readable(http, FindQueryParser.Parse(http.Request.Query, time.Now(), tokenKey.Value));
        var metrics = new JsonObject();
        if (!features.Contains("mttr") && query.FiltersOnlyByOwner)
        {
            // Status counts over whole owners come from the running totals, without touching every case.
            var statuses = (await index.TotalsOf(Space.Of(http), query.Owners, ct)).Statuses;
            metrics["status"] = StatusCounts(statuses.GetValueOrDefault(CaseStatus.Open), statuses.GetValueOrDefault(CaseStatus.InProgress), statuses.GetValueOrDefault(CaseStatus.Closed));
            return TypedResults.Ok(metrics);
        }
        var (open, inProgress, closed, durations) = (await index.View(Space.Of(http), ct)).Metrics(query);
        if (features.Contains("mttr"))
            metrics["mttr"] = durations.Count == 0 ? null : (long)Math.Round(durations.Average());
        if (features.Contains("status"))
            metrics["status"] = StatusCounts(open, inProgress, closed);
        return TypedResults.Ok(metrics);
    }

    static JsonObject StatusCounts(int open, int inProgress, int closed) =>
        new() { ["open"] = open, ["inProgress"] = inProgress, ["closed"] = closed };

    /// <summary>Up to 1,000 cases by id; unknown ids are reported beside the cases found, as Kibana's bulk get does.</summary>
    static async Task<Ok<BulkGetResponse>> BulkGet(HttpContext http, CaseStore store, CancellationToken ct)
    {
        var body = await RequestJson.ReadObject(http.Request, ct);
        RequestJson.RejectUnknownKeys(body, ["ids"]);
        var ids = RequestJson.Bind(body["ids"], CasesJsonContext.Default.ListString, "ids") ?? throw CasesException.InvalidValue("ids", null);
        if (ids.Count == 0) throw CasesException.BadRequest("The length of the field ids is too short. Array must be of length >= 1.");
        CaseValidation.MaxItems("ids", ids.Count, BulkGetMax);

        var space = Space.Of(http);
        var found = new StoredCase?[ids.Count];
        await Parallel.ForAsync(0, ids.Count, new ParallelOptions { MaxDegreeOfParallelism = 32, CancellationToken = ct }, async (i, token) =>
            found[i] = ObjectIds.IsWellFormed(ids[i]) ? await store.Get(space, ids[i], token) : null);

        // As Kibana's bulk get: a case of an owner the caller may not read is reported as an error, never shown.
        var access = CasesAccess.Of(http);
        var cases = found.OfType<StoredCase>().Where(s => access.Can(s.Record.Case.Owner, CasePrivilege.Read))
            .Select(s => CaseResponse.From(s.Record)).ToList();
        var errors = ids.Select((id, i) => found[i] switch
        {
            null => new BulkGetError("Not Found", CasesException.CaseNotFoundMessage(id), 404, id),
            { } f when !access.Can(f.Record.Case.Owner, CasePrivilege.Read) =>
                new BulkGetError("Forbidden", $"Unauthorized to access case with owners: \"{f.Record.Case.Owner}\"", 403, id),
            _ => null,
        }).OfType<BulkGetError>().ToList();
        return TypedResults.Ok(new BulkGetResponse(cases, errors));
    }

    /// <summary>The <c>owner</c> filter cut down to the owners the caller may read (never empty: every owner would follow).</summary>
    static List<string> ReadableOwners(HttpContext http) =>
        CasesAccess.Of(http).ReadableOf(QueryValues.OneOf(http.Request.Query, "owner", CaseOwner.All));

    static CaseFindQuery Readable(HttpContext http, CaseFindQuery query) =>
        query with { Owners = CasesAccess.Of(http).ReadableOf(query.Owners) };
}
