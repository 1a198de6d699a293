using System.CommandLine;
using System.Globalization;
using Bus.Core.Data;
using Bus.Core.Model;
using Bus.Core.Tasks;
using Bus.Core.Training;
using Bus.Core.Training.Checkpointing;
using Bus.Growth.Experiments;
using Bus.Growth.Operators;
using Bus.Growth.Schedules;
using Bus.Optimizers;
using Bus.Cli.Infrastructure;

namespace Bus.Cli.Commands;

/// <summary>
/// <c>bus train</c>: trains one <see cref="GrowableTransformer"/> on the letter-counting task (built-in Brown slice)
/// with resumable checkpoints: run the same command again after a crash or kill and it continues from
/// <c>last.safetensors</c>, bit for bit. Optional growth (bus-identity) and Lion. Exit codes: 0 done, 2 bad arguments.
/// </summary>
public static class TrainCommand
{
    /// <summary>Exit code for invalid arguments.</summary>
    public const int BadArguments = 2;

    /// <summary>Exit code when the run was cancelled (Ctrl+C); the last checkpoint stays for a resume.</summary>
    public const int Cancelled = 130;

    private const int WindowLength = 20;

    private static readonly Option<int> D = new("--d") { Description = "model width d_model (d_ff = 4 d)", DefaultValueFactory = _ => 32 };
    private static readonly Option<int> Layers = new("--layers") { Description = "transformer blocks", DefaultValueFactory = _ => 1 };
    private static readonly Option<int> Heads = new("--heads") { Description = "attention heads (must divide --d)", DefaultValueFactory = _ => 1 };
    private static readonly Option<long> Steps = new("--steps") { Description = "optimizer steps (the budget)", DefaultValueFactory = _ => 500 };
    private static readonly Option<int> Batch = new("--batch") { Description = "batch size", DefaultValueFactory = _ => 32 };
    private static readonly Option<double> Lr = new("--lr") { Description = "peak learning rate", DefaultValueFactory = _ => 1e-3 };
    private static readonly Option<long> Seed = new("--seed") { Description = "seed of initialisation, shuffling and dropout", DefaultValueFactory = _ => 0 };
    private static readonly Option<double> Dropout = new("--dropout") { Description = "dropout probability in [0, 1)", DefaultValueFactory = _ => 0.0 };
    private static readonly Option<int?> MaxWindows = new("--max-windows") { Description = "cap on 20-character windows taken from the corpus (default: all)" };
    private static readonly Option<string?> CheckpointDir = new("--checkpoint-dir") { Description = "folder for last.safetensors; the run resumes from it when present" };
    private static readonly Option<int> CheckpointEvery = new("--checkpoint-every") { Description = "steps between checkpoints", DefaultValueFactory = _ => 100 };
    private static readonly Option<string?> Save = new("--save") { Description = "path of the final model (safetensors)" };
    private static readonly Option<long?> GrowAtStep = new("--grow-at-step") { Description = "grow (bus-identity) after this many steps" };
    private static readonly Option<int?> GrowToD = new("--grow-to-d") { Description = "width after growth (d_ff = 4 d)" };
    private static readonly Option<string> OptimizerName = new("--optimizer") { Description = "adamw or lion", DefaultValueFactory = _ => "adamw" };
    private static readonly Option<int> ProgressEvery = new("--progress-every") { Description = "print a progress line every this many steps", DefaultValueFactory = _ => 10 };
    private static readonly Option<int?> Threads = new("--threads") { Description = "CPU threads for TorchSharp (default: TorchSharp's choice)" };
    private static readonly Option<int> StepDelayMs = new("--step-delay-ms") { Description = "sleep after each step (simulates a slow device; used by kill-and-resume tests)", DefaultValueFactory = _ => 0 };
    private static readonly Option<string> Device = new("--device") { Description = "cpu, cuda or cuda:N", DefaultValueFactory = _ => "cpu" };

    /// <summary>Builds the command.</summary>
    public static Command Create()
    {
        var command = new Command("train", "Train one model on the letter task with resumable checkpoints (optional growth, Lion).");
        foreach (var o in new Option[] { D, Layers, Heads, Steps, Batch, Lr, Seed, Dropout, MaxWindows, CheckpointDir, CheckpointEvery, Save, GrowAtStep, GrowToD, OptimizerName, ProgressEvery, Threads, StepDelayMs, Device })
            command.Add(o);
        command.SetAction((parse, ct) => Task.FromResult(Run(parse, ct)));
        return command;
    }

    /// <summary>Runs with the parsed options; returns the exit code.</summary>
    public static int Run(ParseResult parse, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(parse);
        return Train(parse, ct);
    }

    private static int Train(ParseResult parse, CancellationToken ct)
    {
        int d = parse.GetValue(D), heads = parse.GetValue(Heads), layers = parse.GetValue(Layers), batch = parse.GetValue(Batch);
        long steps = parse.GetValue(Steps);
        double lr = parse.GetValue(Lr), dropout = parse.GetValue(Dropout);
        int every = parse.GetValue(CheckpointEvery), progressEvery = parse.GetValue(ProgressEvery), delay = parse.GetValue(StepDelayMs);
        long? growAt = parse.GetValue(GrowAtStep);
        int? growTo = parse.GetValue(GrowToD), threads = parse.GetValue(Threads), maxWindows = parse.GetValue(MaxWindows);
        string optimizerName = parse.GetValue(OptimizerName)!;
        string? checkpointDir = parse.GetValue(CheckpointDir), savePath = parse.GetValue(Save);

        // Every check names the option and its value, and runs before any native call.
        ModelSizeLimits.RequireSize("--d", d, ModelSizeLimits.MaxWidth);
        Require(heads > 0, "--heads", heads, "must be positive");
        Require(d % Math.Max(1, heads) == 0, "--heads", heads, $"must divide --d {d}");
        ModelSizeLimits.RequireSize("--layers", layers, ModelSizeLimits.MaxLayers);
        Require(steps > 0, "--steps", steps, "must be positive");
        Require(batch > 0, "--batch", batch, "must be positive");
        ModelSizeLimits.RequireLearningRate("--lr", lr);
        Require(double.IsFinite(dropout) && dropout >= 0 && dropout < 1, "--dropout", dropout, "must be in [0, 1)");
        Require(every > 0, "--checkpoint-every", every, "must be positive");
        Require(progressEvery > 0, "--progress-every", progressEvery, "must be positive");
        Require(delay >= 0, "--step-delay-ms", delay, "must not be negative");
        Require(threads is null or > 0, "--threads", threads, "must be positive");
        Require(maxWindows is null or >= 2, "--max-windows", maxWindows, "must be at least 2 (one train and one dev window)");
        Require(optimizerName is "adamw" or "lion", "--optimizer", optimizerName, "must be adamw or lion");
        Require(growAt is null == growTo is null, growAt is null ? "--grow-to-d" : "--grow-at-step", (object?)growTo ?? growAt, "needs --grow-at-step and --grow-to-d together");
        if (growAt is { } at)
        {
            Require(at > 0 && at < steps, "--grow-at-step", at, $"must lie in 1..{steps - 1} (below --steps)");
            Require(growTo > d, "--grow-to-d", growTo, $"must be larger than --d {d}");
            Require(growTo % heads == 0, "--grow-to-d", growTo, $"must be divisible by --heads {heads}");
            ModelSizeLimits.RequireSize("--grow-to-d", growTo!.Value, ModelSizeLimits.MaxWidth);
        }
        _ = Core.BusDevice.Parse(parse.GetValue(Device)!);
        // Output paths are checked before any compute (the run must not train for hours and then fail to save).
        OutputPaths.RequireWritableFile("--save", savePath);
        OutputPaths.RequireWritableFolder("--checkpoint-dir", checkpointDir);

        var (train, dev) = LetterCountingTaskData.Build(BuiltInCorpus.BrownSlice(), WindowLength, 0.1, maxWindows);
        using var trainData = train;
        using var devData = dev;
        Require(batch <= train.Count, "--batch", batch, $"exceeds the {train.Count} training windows");
        if (threads is { } n) TorchSharp.torch.set_num_threads(n);

        var config = (ExperimentTask.Shape(ExperimentTaskKind.LetterCounting, WindowLength)
            with { DModel = d, DFf = 4 * d, Heads = heads, Layers = layers, Dropout = dropout }).Validate();
        ModelSizeLimits.RequireFitsInMemory(growTo is null ? "--d" : "--grow-to-d", growTo ?? d, config with { DModel = growTo ?? d, DFf = 4 * (growTo ?? d) });
        var algorithms = new List<ITrainingAlgorithm>();
        if (growAt is { } growStep)
        {
            var target = config with { DModel = growTo!.Value, DFf = 4 * growTo.Value };
            algorithms.Add(new GrowthSchedule(config, [new GrowthStage(GrowthTrigger.AtStep(growStep), target, new BusIdentityExpansion())], parse.GetValue(Seed)));
        }
        IOptimizerFactory optimizer = optimizerName == "lion" ? new LionFactory() : new AdamWFactory();
        var options = new TrainerOptions
        {
            BatchSize = batch, LearningRate = lr, Seed = parse.GetValue(Seed), Budget = Budget.Steps(steps), Device = parse.GetValue(Device)!,
            MaxEvalExamples = 512,
            Checkpoint = checkpointDir is null ? null : new CheckpointOptions { Directory = checkpointDir, EverySteps = every },
        };
        var trainer = new Trainer(options, optimizer, algorithms: algorithms);

        if (options.Checkpoint is { } cp && File.Exists(cp.LastPath)) Console.WriteLine($"resuming from {cp.LastPath}");
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"train: d={d} layers={layers} heads={heads} steps={steps} batch={batch} lr={lr} dropout={dropout} optimizer={optimizer.Name} seed={options.Seed} train windows={train.Count}"));
        var progress = new InlineProgress<TrainingProgress>(p =>
        {
            if (p.Step % progressEvery == 0 || p.Step == steps)
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"step {p.Step}/{steps} loss {p.TrainLoss:F4} dev accuracy {p.LastRecord?.DevMetric ?? double.NaN:F4}"));
            if (delay > 0) Thread.Sleep(delay);
        });
        var model = GrowableTransformer.Create(config, options.Seed);
        var result = trainer.Fit(model, train, dev, SequenceObjective.Classification, progress, ct);
        using var final = result.Model;
        foreach (var line in result.Log.Where(l => l.Contains("] resumed", StringComparison.Ordinal) || l.Contains("] growth", StringComparison.Ordinal)))
            Console.WriteLine(line);
        var last = result.History[^1];
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"done: {result.Reason} at step {result.Meter.Steps}, d_model={final.Config.DModel}, dev loss {last.DevLoss:F4}, dev accuracy {last.DevMetric:F4}"));
        if (result.Reason == StopReason.Cancelled) return Cancelled;
        if (savePath is not null)
        {
            ModelCheckpoint.Save(final, savePath);
            Console.WriteLine($"saved {savePath}");
        }
        return 0;
    }

    private static void Require(bool ok, string option, object? value, string rule)
    {
        if (!ok) throw new ArgumentException(string.Create(CultureInfo.InvariantCulture, $"{option} {value}: {rule}."), option);
    }
}
