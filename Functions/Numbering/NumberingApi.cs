using System.Text.Json.Nodes;
using Cases.Domain.Errors;
using Cases.Functions.Access;
using Cases.Functions.Cases;
using Cases.Functions.Hosting;
using Cases.Functions.Spaces;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Cases.Functions.Numbering;

/// <summary>Case numbers: the timer function the Functions host invokes, and looking a case up by its number.</summary>
public static class NumberingApi
{
    public const string TimerFunction = "AssignCaseNumbers";

    /// <summary>Marks the timer's endpoint, so that no HTTP function.json is written for it.</summary>
    public sealed class TimerFunctionMetadata;

    public static void MapNumberingApi(this IEndpointRouteBuilder routes) =>
        routes.MapGet("/cases/_number/{number}", GetByNumber).WithTags("cases").WithName("getCaseByNumber").RequiresCases(CasePrivilege.Read);

    /// <summary>
    /// The host POSTs timer invocations to <c>/{FunctionName}</c>. Mapped only under the host (which is the only caller
    /// that can reach the loopback port), so standalone there is no such route.
    /// </summary>
    public static void MapNumberingTimer(this IEndpointRouteBuilder app) =>
        app.MapPost($"/{TimerFunction}", RunFromTimer).ExcludeFromDescription().WithMetadata(new TimerFunctionMetadata()).IsPublic();

    static async Task<Ok<CaseResponse>> GetByNumber(string number, HttpContext http, CaseStore store, CancellationToken ct)
    {
        if (!long.TryParse(number.TrimStart('#'), out var n) || n < 1) throw CasesException.InvalidValue("number", number);
        // A number is a lookup over the space: a case the caller may not read is not there for them.
        var stored = await store.GetByNumber(Space.Of(http), n, ct) is { } found && CasesAccess.Of(http).Can(found.Record.Case.Owner, CasePrivilege.Read)
            ? found
            : throw CasesException.NotFound($"No case has the number {n}.");
        return TypedResults.Ok(CaseResponse.From(stored.Record));
    }

    /// <summary>Answers in the invocation-response shape the host expects; a failure is a 500, logged, and the next run goes on.</summary>
    static async Task<ContentHttpResult> RunFromTimer(TimerRun run, CancellationToken ct)
    {
        var lines = await run.Run(ct);
        var body = new JsonObject
        {
            ["Outputs"] = new JsonObject(),
            ["Logs"] = new JsonArray(lines.Select(l => (JsonNode?)l).ToArray()),
            ["ReturnValue"] = null,
        };
        return TypedResults.Content(body.ToJsonString(), "application/json");
    }
}
