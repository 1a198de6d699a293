namespace Bus.Cli.Commands;

/// <summary>
/// <c>bus compare</c>: NTNG's equal-budget comparison of growth, batch selection, Lion and layer dropping against a
/// fully decayed baseline; progress bar, markdown table, report.md, results.csv/runs.csv/results.json, cost tables and a PNG.
/// </summary>
public static class CompareCommand
{
    private static readonly CultureInfo Inv = CultureInfo.InvariantCulture;
    private const int MaxEvalsPerEpoch = 10_000;
    private static readonly Option<string> Task = ExperimentTaskOption.Create();
    private static readonly ModelShapeOptions Shape = new(width: 64, heads: 1, layers: 2,
        widthDescription: "width d of the full model, even, 2..65536 (growth starts at d/2)",
        headsDescription: "attention heads, 1..65536 (must divide d/2)");
    private static readonly Option<string> Budgets = new("--budgets")
    {
        Description = "comma-separated budgets in --unit, each positive and at most 10^9 steps, 10^12 samples, 10^21 flops or 10^7 seconds",
        DefaultValueFactory = _ => "20,40,80",
    };
    private static readonly Option<string> Unit = RunOptions.Create<string>("--unit",
        "reference-seconds (calibrated once at start), " + "steps, flops, samples or wall-clock", "reference-seconds");
    private static readonly Option<int> Seeds = RunOptions.Create<int>("--seeds", "seeds per (budget, method), 1..1000", 3);
    private static readonly Option<string> Methods = new("--methods")
    {
        Description = "comma-separated methods; '+' combines. Known: " + string.Join(", ", MethodCatalog.Names),
        DefaultValueFactory = _ => "baseline,bus-identity,rho-loss,selective-backprop,lion,layer-drop,bus-identity+lion,layer-drop+lion",
    };
    private static readonly Option<int> Batch = RunOptions.Batch(32, "examples back-propagated per step, 1..65536");
    private static readonly Option<double> Lr = RunOptions.LearningRate(1e-3, "peak AdamW learning rate (Lion: lr / 3)");
    private static readonly Option<string> RhoIl = RunOptions.Create<string>("--rho-il",
        "charged (IL training and scoring taken off " + "RHO-LOSS's budget) or free (as in the paper)", "charged");
    private static readonly Option<int> EvalsPerEpoch = RunOptions.Create<int>("--evals-per-epoch",
        "dev evaluations per epoch (time-to-target resolution), 1..10000", 4);
    private static readonly Option<int> CalibrationRepeats = RunOptions.Create<int>("--calibration-repeats",
        "timed repeats per cost-table entry, 1..10000 (median; minimum over 3 passes)", 7);
    private static readonly Option<int> Threads = RunOptions.Threads(0, zeroMeansDefault: true);
    private static readonly Option<int?> MaxWindows = new("--max-windows") { Description = "cap on windows taken from the corpus" };
    private static readonly Option<string?> Corpus = new("--corpus") { Description = "text8 (or any text) file; default: the "
        + "built-in Brown-corpus slice" };
    private static readonly Option<string> Out = new("--out") { Description = "output folder",
        DefaultValueFactory = _ => Path.Combine("runs", "compare") };
    private static readonly Option<string> Device = RunOptions.Device();

    /// <summary>Builds the command.</summary>
    public static Command Create()
    {
        var command = CommandFactory.Create("compare",
            "Equal-budget comparison (NTNG): every method gets the same budget, every LR schedule fully decayed at it.",
            Task, Shape.Width, Shape.Layers, Shape.Heads, Budgets, Unit, Seeds, Methods, Batch, Lr,
            RhoIl, EvalsPerEpoch, CalibrationRepeats, Threads, MaxWindows, Corpus, Out, Device);
        command.SetAction((parse, ct) => System.Threading.Tasks.Task.FromResult(Run(parse, ct)));
        return command;
    }

    private static int Run(ParseResult parse, CancellationToken ct)
    {
        var kind = ExperimentTaskOption.Parse(parse.GetValue(Task)!);
        string unitName = parse.GetValue(Unit)!;
        var unit = unitName switch
        {
            "reference-seconds" => BudgetUnit.ReferenceSeconds,
            "steps" => BudgetUnit.Steps,
            "flops" => BudgetUnit.Flops,
            "samples" => BudgetUnit.Samples,
            "wall-clock" => BudgetUnit.WallClockSeconds,
            _ => throw new ArgumentException($"Unknown unit '{unitName}': use reference-seconds, steps, flops, samples or "
                + $"wall-clock.", "--unit"),
        };
        string rho = parse.GetValue(RhoIl)!;
        bool charge = rho switch
        {
            "charged" => true,
            "free" => false,
            _ => throw new ArgumentException($"Unknown --rho-il '{rho}': use charged or free.", "--rho-il"),
        };
        int d = parse.Size(Shape.Width, ModelSizeLimits.MaxWidth), layers = parse.Size(Shape.Layers, ModelSizeLimits.MaxLayers);
        double lr = parse.LearningRate(Lr);
        int heads = parse.Size(Shape.Heads, ModelSizeLimits.MaxHeads), seeds = parse.Size(Seeds, ModelSizeLimits.MaxSeeds);
        int batch = parse.Batch(Batch);
        ModelSizeLimits.RequireSize("--evals-per-epoch", parse.GetValue(EvalsPerEpoch), MaxEvalsPerEpoch);
        ModelSizeLimits.RequireSize("--calibration-repeats", parse.GetValue(CalibrationRepeats), ModelSizeLimits.MaxRepeats);
        ThreadCount.Require("--threads", parse.GetValue(Threads), zeroMeansDefault: true);
        var budgets = parse.GetValue(Budgets)!.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(text => ParseBudget(text, unit)).ToList();
        var options = OptionErrors.Build(() => new ComparisonOptions
        {
            Task = kind, Model = new TransformerConfig { Layers = layers, Heads = heads }.WithWidth(d),
            Budgets = budgets, Unit = unit, Seeds = seeds,
            Methods = parse.GetValue(Methods)!.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries),
            BatchSize = batch, LearningRate = lr, RhoChargeIrreducibleLoss = charge,
            EvaluationsPerEpoch = parse.GetValue(EvalsPerEpoch), CalibrationRepeats = parse.GetValue(CalibrationRepeats),
            MaxWindows = parse.GetValue(MaxWindows), Device = parse.GetValue(Device)!,
        },
            ("DModel", "--d", d), ("Layers", "--layers", layers), ("Heads", "--heads", heads),
            ("Budgets", "--budgets", parse.GetValue(Budgets)), ("Seeds", "--seeds", seeds), ("Methods", "--methods",
                parse.GetValue(Methods)),
            ("BatchSize", "--batch", batch), ("LearningRate", "--lr", lr), ("EvaluationsPerEpoch", "--evals-per-epoch",
                parse.GetValue(EvalsPerEpoch)),
            ("CalibrationRepeats", "--calibration-repeats", parse.GetValue(CalibrationRepeats)),
            ("MaxWindows", "--max-windows", parse.GetValue(MaxWindows)), ("Device", "--device", parse.GetValue(Device)));
        foreach (var m in options.Methods) OptionErrors.Build(() => MethodCatalog.Parse(m), ("name", "--methods",
            m)); // unknown names and impossible combinations fail before any work
        ModelSizeLimits.RequireFitsInMemory("--d", d, EqualBudgetComparison.FullConfig(options));
        OutputPaths.RequireWritableFolder("--out", parse.GetValue(Out));
        ThreadCount.Apply("--threads", parse.GetValue(Threads), zeroMeansDefault: true);
        string? corpusPath = parse.GetValue(Corpus);
        if (corpusPath is not null
            && !File.Exists(corpusPath)) throw new FileNotFoundException($"--corpus '{corpusPath}': the file does not exist.", corpusPath);
        string text = corpusPath is null ? BuiltInCorpus.BrownSlice() : Text8.Load(corpusPath);
        AnsiConsole.MarkupLine($"[bold]Equal-budget comparison[/] task {kind}, d={d}, {layers} layer(s), "
            + $"budgets {string.Join(", ", options.Budgets)} {unit}, " +
                               $"{options.Seeds} seed(s), {options.Methods.Count} method(s), corpus "
                                   + $"{Markup.Escape(corpusPath ?? "built-in Brown slice")} ({text.Length:N0} chars)");
        var result = RunWithProgress(options, text, ct);
        string outDir = parse.GetValue(Out)!;
        string commandLine = "bus " + string.Join(' ', Environment.GetCommandLineArgs().Skip(1));
        string markdown = ComparisonMarkdown.Render(result, commandLine.Trim());
        Directory.CreateDirectory(outDir);
        File.WriteAllText(Path.Combine(outDir, "report.md"), markdown);
        ComparisonFiles.Write(outDir, result);
        string plot = ComparisonPlots.Write(outDir, result);
        Console.WriteLine();
        Console.WriteLine(markdown);
        AnsiConsole.MarkupLine($"Wrote {Markup.Escape(Path.Combine(outDir, "report.md"))}, results.csv, runs.csv, results.json, "
            + $"cost tables and {Markup.Escape(plot)}.");
        return 0;
    }

    private static double ParseBudget(string text, BudgetUnit unit)
    {
        if (!double.TryParse(text, NumberStyles.Float, Inv, out double value))
            throw new ArgumentException($"--budgets '{text}': not a number (use comma-separated numbers, e.g. 20,40,80).", "--budgets");
        BudgetLimits.Require("--budgets", text, value, unit);
        return value;
    }

    private static ComparisonResult RunWithProgress(ComparisonOptions options, string text, CancellationToken ct) =>
        ConsoleProgress.Run<ComparisonProgress, ComparisonResult>(
            progress => EqualBudgetComparison.Run(options, text, progress, ct),
            p => ((p.RunIndex + (p.Training?.BudgetFraction ?? 0)) / p.RunCount,
                  $"run {p.RunIndex + 1}/{p.RunCount} budget {p.Budget:G4} {p.Method} seed {p.Seed}" +
                  (p.Training?.LastRecord is { } r ? $" dev {r.DevMetric:F4}" : p.Training is null ? " (setting up)" : "")));
}
