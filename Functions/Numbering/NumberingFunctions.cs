using Cases.Functions.Upkeep;
using Cases.Functions.Hosting;
using Microsoft.Azure.Functions.Worker;

namespace Cases.Functions.Numbering;

/// <summary>
/// The isolated worker's entry points for numbering: <c>AssignCaseNumbers</c> on the host's timer (the schedule is the
/// <c>NUMBERING_SCHEDULE</c> app setting), and <see cref="NumberingApi"/>'s lookup by number.
/// </summary>
public sealed partial class NumberingFunctions(EndpointCatalog endpoints, TimerRun run, ILogger<NumberingFunctions> logger)
{
    [Function(nameof(GetCaseByNumberDefaultSpace))]
    public IResult GetCaseByNumberDefaultSpace([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "api/cases/_number/{number}")] HttpRequest request) =>
        endpoints.Run();

    [Function(nameof(GetCaseByNumber))]
    public IResult GetCaseByNumber([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "s/{spaceId}/api/cases/_number/{number}")] HttpRequest request) =>
        endpoints.Run();

    /// <summary>Numbers the waiting cases, then the upkeep that runs with it (<see cref="TimerRun"/>); safe beside <c>--assign-numbers</c>.</summary>
    [Function(TimerFunction)]
    public async Task AssignCaseNumbers([TimerTrigger("%" + NumberingOptions.ScheduleSetting + "%")] TimerInfo timer, CancellationToken ct)
    {
        foreach (var line in await run.Run(ct)) LogRun(logger, line);
    }

    public const string TimerFunction = "AssignCaseNumbers";

    [LoggerMessage(Level = LogLevel.Information, Message = "AssignCaseNumbers: {Line}")]
    static partial void LogRun(ILogger logger, string line);
}
