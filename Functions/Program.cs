using Cases.Functions.Upkeep;
using Cases.Functions.Hosting;
using Cases.Functions.Numbering;

// Started by the Functions host (Core Tools or Azure): the isolated worker.
if (WorkerApp.IsStartedByHost(args))
{
    WorkerApp.Build(args).Run();
    return;
}

// `Cases.Functions --assign-numbers` runs AssignCaseNumbers once, now (for operators and scripts; safe beside the timer).
if (args is ["--assign-numbers", ..])
{
    var app = CasesApp.Build(args[1..], b => b.Configuration["Cases:Numbering:RunInProcess"] = "false");
    foreach (var line in await app.Services.GetRequiredService<TimerRun>().Run(CancellationToken.None)) Console.WriteLine(line);
    return;
}

// Otherwise the standalone app on http://localhost:7071 (or ASPNETCORE_URLS), with its in-process timer.
CasesApp.Build(args).Run();
