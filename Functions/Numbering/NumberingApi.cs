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
        routes.MapGet("/cases/_number/{number}", GetByNumber).WithTags("cases").WithName("getCaseByNumber");

    static async Task<Ok<CaseResponse>> GetByNumber(string number, HttpContext http, CaseStore store, CancellationToken ct)
    {
        if (!long.TryParse(number.TrimStart('#'), out var n) || n < 1) throw CasesException.InvalidValue("number", number);
        var stored = await store.GetByNumber(Space.Of(http), n, ct) ?? throw CasesException.NotFound($"No case has the number {n}.");
        return TypedResults.Ok(CaseResponse.From(stored.Record));
    }
}
