using Cases.Functions.Access;
using Cases.Domain.Errors;
using Cases.Functions.Cases;
using Cases.Functions.Hosting;
using Cases.Functions.Spaces;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Cases.Functions.Numbering;

/// <summary>Looking a case up by its number (the numbers come from <see cref="TimerRun"/>).</summary>
public static class NumberingApi
{
    public static void MapNumberingApi(this IEndpointRouteBuilder routes) =>
        routes.MapGet("/cases/_number/{number}", GetByNumber).WithTags("cases").WithName("getCaseByNumber").RequiresCases(CasePrivilege.Read)
            .ProducesErrors(400, 404);

    static async Task<Ok<CaseResponse>> GetByNumber(string number, HttpContext http, CaseStore store, CancellationToken ct)
    {
        if (!long.TryParse(number.TrimStart('#'), out var n) || n < 1) throw CasesException.InvalidValue("number", number);
        // A number is a lookup over the space: a case the caller may not read is not there for them.
        var stored = await store.GetByNumber(Space.Of(http), n, ct) is { } found && CasesAccess.Of(http).Can(found.Record.Case.Owner, CasePrivilege.Read)
            ? found
            : throw CasesException.NotFound($"No case has the number {n}.");
        return TypedResults.Ok(CaseResponse.From(stored.Record));
    }
}
