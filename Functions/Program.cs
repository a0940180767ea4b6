using Cases.Functions.Hosting;

// `Cases.Functions --emit-functions DIR` writes the function.json folders the Functions host needs, from the route table.
if (args is ["--emit-functions", var directory, ..])
{
    FunctionManifest.Write(CasesApp.Build([]), directory);
    return;
}

CasesApp.Build(args).Run();
