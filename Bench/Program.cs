using Cases.Bench;

// Run through ./scripts/bench, which starts a private Azurite and points AzureWebJobsStorage at it.
var what = args.FirstOrDefault() ?? "all";
int Arg(string name, int fallback) =>
    args.SkipWhile(a => a != name).Skip(1).FirstOrDefault() is { } v && int.TryParse(v, out var n) ? n : fallback;

if (what is "relay") { await PassThroughRelay.Serve(int.Parse(args[1])); return; } // started by the files benchmark
if (what is "finder") CasesBench.Finder(Arg("--cases", 100_000));
if (what is "cases" or "all") await CasesBench.Run(Arg("--cases", 100_000), Arg("--samples", 200), Arg("--scan-limit", 120));
if (what is "attachments" or "all") await AttachmentsBench.Run();
if (what is "numbering" or "all") await NumberingBench.Run(Arg("--cases", 50_000));
if (what is "files" or "all") await FilesBench.Run(Arg("--repeats", 3));
if (what is "export" or "all") await ExportBench.Run(Arg("--cases", 10_000));
