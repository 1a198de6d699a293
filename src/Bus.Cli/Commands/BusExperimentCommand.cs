namespace Bus.Cli.Commands;

/// <summary><c>bus bus-experiment</c>: seed 002's protocol with progress, a markdown table, CSV/JSON and PNG plots.</summary>
public static class BusExperimentCommand
{
    private static readonly Option<string> Task = ExperimentTaskOption.Create();
    private static readonly Option<int[]> DModels = ModelShapeOptions.WidthsOption([64],
        "large model width(s) d, even, 2..65536; the small model has d/2");
    private static readonly Option<double> E1 = RunOptions.Create<double>("--e1",
        "epochs at d/2 before growth, positive, at most 100000", 4);
    private static readonly Option<double> E2 = RunOptions.Create<double>("--e2", "epochs at d after growth, positive, at most 100000", 6);
    private static readonly Option<int> Seeds = RunOptions.Create<int>("--seeds", "seeds per arm, 1..1000", 3);
    private static readonly Option<string> Operator = new("--operator") { Description = "growth operator: " + string.Join(", ",
        GrowthOperators.Names), DefaultValueFactory = _ => "bus-identity" };
    private static readonly Option<int> Batch = RunOptions.Batch(64);
    private static readonly Option<double> Lr = RunOptions.LearningRate(1e-3);
    private static readonly Option<int> Heads = ModelShapeOptions.HeadsOption(1, "attention heads, 1..65536 (must divide d/2)");
    private static readonly Option<int> Layers = ModelShapeOptions.LayersOption(1);
    private static readonly Option<int?> MaxWindows = new("--max-windows") { Description = "cap on windows taken from the corpus" };
    private static readonly Option<string?> Corpus = new("--corpus") { Description = "text8 (or any text) file; default: the "
        + "built-in Brown-corpus slice" };
    private static readonly Option<string> Out = new("--out") { Description = "output folder for report.md, runs.csv, results.json "
        + "and plots", DefaultValueFactory = _ => Path.Combine("runs", "bus-experiment") };
    private static readonly Option<bool> NoControl = new("--no-control") { Description = "skip the identity-initialisation control arm" };
    private static readonly Option<string> Device = RunOptions.Device();

    /// <summary>Builds the command.</summary>
    public static Command Create()
    {
        var command = CommandFactory.Create("bus-experiment",
            "Train small, grow, train on vs. scratch (seed 002 protocol); prints a results table.",
            Task, DModels, E1, E2, Seeds, Operator, Batch, Lr, Heads, Layers, MaxWindows, Corpus, Out, NoControl, Device);
        command.SetAction((parse, ct) => System.Threading.Tasks.Task.FromResult(Run(parse, ct)));
        return command;
    }

    /// <summary>Runs with the parsed options (also the root command's default action).</summary>
    public static int Run(ParseResult parse, CancellationToken ct)
    {
        var kind = ExperimentTaskOption.Parse(parse.GetValue(Task)!);
        foreach (int d in parse.GetValue(DModels)!) ModelSizeLimits.RequireSize("--d", d, ModelSizeLimits.MaxWidth);
        ModelSizeLimits.RequireSize("--layers", parse.GetValue(Layers), ModelSizeLimits.MaxLayers);
        ModelSizeLimits.RequireLearningRate("--lr", parse.GetValue(Lr));
        string? corpusPath = parse.GetValue(Corpus);
        if (corpusPath is not null
            && !File.Exists(corpusPath)) throw new FileNotFoundException($"--corpus '{corpusPath}': the file does not exist.", corpusPath);
        string outDir = parse.GetValue(Out)!;
        OutputPaths.RequireWritableFolder("--out", outDir);
        string text = corpusPath is null ? BuiltInCorpus.BrownSlice() : Text8.Load(corpusPath);
        var results = new List<BusExperimentResult>();
        // Every width's options are validated before the first run starts.
        var runs = parse.GetValue(DModels)!.Select(d => OptionErrors.Build(() => new BusExperimentOptions
        {
            Task = kind,
            Model = new TransformerConfig { Heads = parse.GetValue(Heads), Layers = parse.GetValue(Layers) }.WithWidth(d),
            SmallEpochs = parse.GetValue(E1), GrownEpochs = parse.GetValue(E2), Seeds = parse.GetValue(Seeds),
            Operator = parse.GetValue(Operator)!, BatchSize = parse.GetValue(Batch), LearningRate = parse.GetValue(Lr),
            MaxWindows = parse.GetValue(MaxWindows),
            IncludeControl = !parse.GetValue(NoControl), Device = parse.GetValue(Device)!,
        },
            ("DModel", "--d", d), ("SmallEpochs", "--e1", parse.GetValue(E1)), ("GrownEpochs", "--e2", parse.GetValue(E2)),
                ("Seeds", "--seeds", parse.GetValue(Seeds)),
            ("Operator", "--operator", parse.GetValue(Operator)), ("BatchSize", "--batch", parse.GetValue(Batch)), ("LearningRate",
                "--lr", parse.GetValue(Lr)),
            ("Heads", "--heads", parse.GetValue(Heads)), ("Layers", "--layers", parse.GetValue(Layers)), ("MaxWindows",
                "--max-windows", parse.GetValue(MaxWindows)), ("Device", "--device", parse.GetValue(Device)))).ToList();
        foreach (var options in runs) RequireBounds(options);
        foreach (var options in runs)
        {
            int d = options.Model.DModel;
            AnsiConsole.MarkupLine($"[bold]BUS experiment[/] d={d} (small {d / 2}), task {kind}, operator {options.Operator}, "
                + $"{options.Seeds} seed(s), corpus {Markup.Escape(corpusPath ?? "built-in Brown slice")} ({text.Length:N0} chars)");
            var result = RunWithProgress(options, text, ct);
            results.Add(result);
            foreach (var file in ExperimentPlots.Write(outDir, result)) AnsiConsole.MarkupLine($"  plot: {Markup.Escape(file)}");
        }
        string commandLine = "bus " + string.Join(' ', Environment.GetCommandLineArgs().Skip(1));
        string markdown = ExperimentMarkdown.Render(results,
            commandLine.Trim() == "bus" ? "bus bus-experiment (defaults)" : commandLine.Trim());
        Directory.CreateDirectory(outDir);
        File.WriteAllText(Path.Combine(outDir, "report.md"), markdown);
        ResultFiles.Write(outDir, results);
        Console.WriteLine();
        Console.WriteLine(markdown);
        AnsiConsole.MarkupLine($"Wrote {Markup.Escape(Path.Combine(outDir, "report.md"))}, runs.csv, results.json and plots.");
        return 0;
    }

    /// <summary>The upper bounds the library's options do not set, and the memory the large model needs, before the first run.</summary>
    private static void RequireBounds(BusExperimentOptions options)
    {
        ModelSizeLimits.RequireSize("--heads", options.Model.Heads, ModelSizeLimits.MaxHeads);
        ModelSizeLimits.RequireSize("--seeds", options.Seeds, ModelSizeLimits.MaxSeeds);
        ModelSizeLimits.RequireSize("--batch", options.BatchSize, ModelSizeLimits.MaxBatch);
        ModelSizeLimits.RequireAmount("--e1", options.SmallEpochs, ModelSizeLimits.MaxEpochs);
        ModelSizeLimits.RequireAmount("--e2", options.GrownEpochs, ModelSizeLimits.MaxEpochs);
        ModelSizeLimits.RequireFitsInMemory("--d", options.Model.DModel, BusExperiment.Configs(options).Large);
    }

    private static BusExperimentResult RunWithProgress(BusExperimentOptions options, string text, CancellationToken ct) =>
        ConsoleProgress.Run<ExperimentProgress, BusExperimentResult>(
            progress => BusExperiment.Run(options, text, progress, ct),
            p => ((p.RunIndex + p.Training.BudgetFraction) / p.RunCount,
                  $"run {p.RunIndex + 1}/{p.RunCount} {p.Arm} seed {p.Seed} epoch {p.Training.LastRecord?.Epoch ?? 0:F1}" +
                  (p.Training.LastRecord is { } r ? $" dev {r.DevMetric:F4}" : "")));
}
