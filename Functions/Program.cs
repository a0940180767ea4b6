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
    var report = await app.Services.GetRequiredService<Cases.Functions.Numbering.CaseNumberer>().Run(CancellationToken.None);
    var upkept = await app.Services.GetRequiredService<Cases.Functions.Find.SnapshotUpkeep>().Run(report.Spaces, CancellationToken.None);
    var redelivered = await app.Services.GetRequiredService<Cases.Functions.Attachments.AlertStatusSync>().Redeliver(CancellationToken.None);
    foreach (var line in report.Lines.Concat(upkept).Concat(redelivered)) Console.WriteLine(line);
    return;
}

CasesApp.Build(args).Run();
