namespace Bus.Cli.Commands;

/// <summary>
/// <c>bus study</c>: the growth study (every arm at one reference-time budget, tuned scratch as the target), resumable:
/// each run is written to its own file as it finishes and re-running the same command runs only what is missing.
/// </summary>
public static class StudyCommand
{
    private static readonly Option<string> Preset = RunOptions.Create<string>("--preset",
        "tiny (seconds), quick (~10 minutes), full (~3 "
        + "hours on 2 cores), frontier (the compute-frontier study, ~12+ hours, resumable) or frontier-tiny (seconds)", "full");
    private static readonly Option<bool> Quick = new("--quick") { Description = "same as --preset quick" };
    private static readonly Option<string> Arch = RunOptions.Create<string>("--arch", "gpt or llama", "gpt");
    private static readonly Option<int?> Seeds = new("--seeds") { Description = "seeds per arm, 1..1000 (default: the preset's)" };
    private static readonly Option<int?> MaxRuns = new("--max-runs")
    {
        Description = "stop after this many new runs, 0..10^9 (resume later with the same command; 0 trains nothing and rewrites "
            + "the report from the runs already in the folder)",
    };
    private static readonly Option<int> Threads = RunOptions.Threads(1, zeroMeansDefault: true);
    private static readonly Option<string?> Corpus = new("--corpus") { Description = "a .bustok token stream (bus prepare) or a "
        + "text file (normalised like text8), e.g. data/full/brown.txt; default: the built-in Brown slice" };
    private static readonly Option<bool> AllowOtherBuild = new("--allow-other-build") { Description = "frontier: resume a folder "
        + "whose runs came from another build (mixes builds; the report says so)" };
    private static readonly Option<string?> Out = new("--out") { Description = "output folder (default runs/study-<preset>-<arch>); "
        + "re-running with the same folder resumes" };

    /// <summary>Builds the command.</summary>
    public static Command Create()
    {
        var command = CommandFactory.Create("study",
            "Growth study: does growth reach tuned scratch's final bpc sooner, at equal reference time? Resumable.",
            Preset, Quick, Arch, Seeds, MaxRuns, Threads, Corpus, Out, AllowOtherBuild);
        command.SetAction((parse, ct) => System.Threading.Tasks.Task.FromResult(Run(parse, ct)));
        return command;
    }

    private static int Run(ParseResult parse, CancellationToken ct)
    {
        string preset = parse.GetValue(Quick) ? "quick" : parse.GetValue(Preset)!;
        if (preset is not ("tiny" or "quick" or "full" or "frontier" or "frontier-tiny"))
            throw new ArgumentException($"Unknown --preset '{preset}': use tiny, quick, full, frontier or frontier-tiny.", "--preset");
        // Every option, and the output folder, is checked before any work.
        ThreadCount.Require("--threads", parse.GetValue(Threads), zeroMeansDefault: true);
        if (parse.GetValue(Seeds) is { } chosen) ModelSizeLimits.RequireSize("--seeds", chosen, ModelSizeLimits.MaxSeeds);
        if (parse.GetValue(MaxRuns) is { } most) ModelSizeLimits.RequireSize("--max-runs", most, ModelSizeLimits.MaxSteps, min: 0);
        string? corpusPath = parse.GetValue(Corpus);
        if (corpusPath is not null && !File.Exists(corpusPath))
            throw new FileNotFoundException($"--corpus '{corpusPath}': the file does not exist.", corpusPath);
        ThreadCount.Apply("--threads", parse.GetValue(Threads), zeroMeansDefault: true);
        if (preset is "frontier" or "frontier-tiny")
        {
            string frontierOut = parse.GetValue(Out) ?? FrontierStudyCommand.DefaultFolder(preset);
            OutputPaths.RequireWritableFolder("--out", frontierOut);
            return FrontierStudyCommand.Run(preset, corpusPath, frontierOut, parse.GetValue(MaxRuns), parse.GetValue(AllowOtherBuild), ct);
        }
        var options = StudyOptions.Preset(preset);
        string arch = parse.GetValue(Arch)!;
        var family = arch switch
        {
            "gpt" => ModelArchitecture.Gpt,
            "llama" => ModelArchitecture.Llama,
            _ => throw new ArgumentException($"Unknown --arch '{arch}': use gpt or llama.", "--arch"),
        };
        options = options.InFamily(family);
        if (parse.GetValue(Seeds) is { } seeds) options = options with { Comparison = options.Comparison with { Seeds = seeds } };
        string outDir = parse.GetValue(Out) ?? Path.Combine("runs", $"study-{preset}-{arch}");
        OutputPaths.RequireWritableFolder("--out", outDir);
        string text = corpusPath is null ? BuiltInCorpus.BrownSlice() : StudyCorpus.Load(corpusPath);
        AnsiConsole.MarkupLine($"[bold]Growth study[/] preset {preset}, {family}, corpus "
            + $"{Markup.Escape(corpusPath ?? "built-in Brown slice")} ({text.Length:N0} chars), into {Markup.Escape(outDir)}");
        var watch = Stopwatch.StartNew();
        var result = ConsoleProgress.Run<ComparisonProgress, StudyResult>(
            progress => StudyRunner.Run(options, text, outDir, progress, parse.GetValue(MaxRuns), ct),
            p => ((p.RunIndex + (p.Training?.BudgetFraction ?? 0)) / Math.Max(1, p.RunCount),
                  $"run {p.RunIndex + 1}/{p.RunCount} {p.Method} seed {p.Seed}" + (p.Training?.LastRecord is { } r
                      ? $" dev {r.DevMetric:F4}" : p.Training is null ? " (setting up)" : "")));
        string commandLine = ("bus " + string.Join(' ', Environment.GetCommandLineArgs().Skip(1))).Trim();
        string markdown = StudyMarkdown.Render(result, commandLine, watch.Elapsed.TotalSeconds);
        File.WriteAllText(Path.Combine(outDir, "report.md"), markdown);
        if (result.Runs.Count > 0)
        {
            ComparisonFiles.Write(outDir, result.AsComparison());
            StudyFiles.Write(outDir, result);
            StudyPlots.Write(outDir, result);
        }
        Console.WriteLine();
        Console.WriteLine(markdown);
        AnsiConsole.MarkupLine($"Wrote {Markup.Escape(Path.Combine(outDir, "report.md"))} and the study "
            + $"files.{(result.Complete ? "" : " The study is incomplete: re-run the same command to resume.")}");
        return 0;
    }
}
