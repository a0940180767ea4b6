using Cases.Functions.Hosting;

// `Cases.Functions --emit-functions DIR` writes the function.json folders the Functions host needs, from the route table.
if (args is ["--emit-functions", var directory, ..])
{
    FunctionManifest.Write(CasesApp.Build([]), directory);
    return;
}

// `Cases.Functions --assign-numbers` runs AssignCaseNumbers once, now (for operators of a standalone deployment).
if (args is ["--assign-numbers", ..])
{
    var app = CasesApp.Build(args[1..], b => b.Configuration["Cases:Numbering:RunInProcess"] = "false");
    foreach (var line in await app.Services.GetRequiredService<Cases.Functions.Numbering.TimerRun>().Run(CancellationToken.None)) Console.WriteLine(line);
    return;
}

CasesApp.Build(args).Run();
