using TorchSharp;

namespace Bus.Cli.Commands;

/// <summary>
/// <c>bus soak</c>: a long-run leak check. Trains a small model for many steps (checkpointing as it goes) and samples
/// the process RSS, the managed GC heap and TorchSharp's live tensors every few hundred steps; prints a markdown
/// table and the growth from the step-1,000 sample to the last. Exit code 0 when every growth is below the limit, 1 otherwise.
/// </summary>
public static class SoakCommand
{
    private const double MaxGrowthPercent = 1e6;

    private static readonly Option<long> Steps = RunOptions.Create<long>("--steps", "optimizer steps, 1..10^9", 10_000);
    private static readonly Option<int> SampleEvery = RunOptions.Create<int>("--sample-every",
        "steps between memory samples, 1..10^9", 500);
    private static readonly Option<long> BaselineStep = RunOptions.Create<long>("--baseline-step",
        "sample the growth is measured from " + "(after warm-up)", 1_000);
    private static readonly Option<double> MaxGrowth = RunOptions.Create<double>("--max-growth", "allowed growth, percent", 5.0);
    private static readonly Option<int> D = ModelShapeOptions.WidthOption(32, "model width, even, 2..65536 (the model must fit in memory)");
    private static readonly Option<int> Batch = RunOptions.Batch(32);
    private static readonly Option<int> Threads = RunOptions.Threads(1, zeroMeansDefault: false);

    /// <summary>Builds the command.</summary>
    public static Command Create()
    {
        var command = CommandFactory.Create("soak",
            "Long-run memory check: RSS, GC heap and live tensors sampled during a long training run.",
            Steps, SampleEvery, BaselineStep, MaxGrowth, D, Batch, Threads);
        command.SetAction((parse, ct) => Task.FromResult(Run(parse, ct)));
        return command;
    }

    /// <summary>One memory sample.</summary>
    /// <param name="Step">Optimizer steps taken.</param>
    /// <param name="RssBytes">Process working set.</param>
    /// <param name="GcHeapBytes">Managed heap after a full collection.</param>
    /// <param name="LiveTensors">TorchSharp tensors alive on the training thread.</param>
    public sealed record Sample(long Step, long RssBytes, long GcHeapBytes, long LiveTensors);

    /// <summary>Runs with the parsed options; returns the exit code.</summary>
    public static int Run(ParseResult parse, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(parse);
        long steps = parse.GetValue(Steps), baseline = parse.GetValue(BaselineStep);
        int every = parse.GetValue(SampleEvery), d = parse.GetValue(D), batch = parse.GetValue(Batch), threads = parse.GetValue(Threads);
        double maxGrowth = parse.GetValue(MaxGrowth);
        ModelSizeLimits.RequireSize("--steps", steps, ModelSizeLimits.MaxSteps);
        ModelSizeLimits.RequireSize("--sample-every", every, ModelSizeLimits.MaxSteps);
        string? error = baseline <= 0 || baseline >= steps || baseline % every != 0
            ? $"--baseline-step {baseline}: must be a multiple of --sample-every {every} below --steps {steps}."
            : d % 2 != 0 ? $"--d {d}: must be positive and even (2 heads)."
            : !(maxGrowth > 0) ? $"--max-growth {maxGrowth}: must be positive." : null;
        if (error is not null) throw new ArgumentException(error);
        ModelSizeLimits.RequireSize("--d", d, ModelSizeLimits.MaxWidth);
        ModelSizeLimits.RequireSize("--batch", batch, ModelSizeLimits.MaxBatch);
        ModelSizeLimits.RequireAmount("--max-growth", maxGrowth, MaxGrowthPercent);
        var config = ExperimentTask.Shape(ExperimentTaskKind.LetterCounting, 20)
            with { DModel = d, FeedForwardSize = 4 * d, Heads = 2, Layers = 2, Dropout = 0.1 };
        ModelSizeLimits.RequireFitsInMemory("--d", d, config);
        ThreadCount.Apply("--threads", threads);

        var (train, dev) = LetterCountingTaskData.Build(BuiltInCorpus.BrownSlice(), 20, 0.1, 4_000);
        using var trainData = train;
        using var devData = dev;
        string checkpointDir = Directory.CreateTempSubdirectory("bus-soak-").FullName;
        var options = new TrainerOptions
        {
            BatchSize = batch, Budget = Budget.Steps(steps), Seed = 1, MaxEvalExamples = 256,
            Checkpoint = new CheckpointOptions { Directory = checkpointDir, EverySteps = 1_000, Resume = false },
        };
        var samples = new List<Sample>();
        var process = Process.GetCurrentProcess();
        var clock = Stopwatch.StartNew();
        var progress = new InlineProgress<TrainingProgress>(p =>
        {
            if (p.Step % every != 0 || samples.Count > 0 && samples[^1].Step == p.Step) return;
            long heap = GC.GetTotalMemory(forceFullCollection: true);
            process.Refresh();
            samples.Add(new Sample(p.Step, process.WorkingSet64, heap, DisposeScopeManager.Statistics.ThreadTotalLiveCount));
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"step {p.Step}/{steps} loss {p.TrainLoss:F4} rss {Mb(samples[^1].RssBytes)} MB ({clock.Elapsed.TotalSeconds:F0} s)"));
        });
        try
        {
            var result = new Trainer(options).Fit(GrowableTransformer.Create(config, 1), train, dev,
                SequenceObjective.TokenClassification, progress, ct);
            result.Model.Dispose();
        }
        finally
        {
            Directory.Delete(checkpointDir, recursive: true);
        }

        var first = samples.FirstOrDefault(s => s.Step == baseline);
        var last = samples[^1];
        if (first is null)
        {
            Console.Error.WriteLine($"error: no sample at step {baseline} (run ended at step {last.Step}).");
            return 1;
        }
        Console.WriteLine();
        Console.WriteLine(Render(samples, first, last, clock.Elapsed, maxGrowth, out bool ok));
        return ok ? 0 : 1;
    }

    /// <summary>The markdown table of samples and the growth line.</summary>
    public static string Render(IReadOnlyList<Sample> samples, Sample first, Sample last, TimeSpan elapsed, double maxGrowth, out bool ok)
    {
        ArgumentNullException.ThrowIfNull(samples);
        ArgumentNullException.ThrowIfNull(first);
        ArgumentNullException.ThrowIfNull(last);
        var sb = new StringBuilder();
        var c = CultureInfo.InvariantCulture;
        sb.AppendLine("| step | RSS (MB) | GC heap (MB) | live tensors |").AppendLine("|---:|---:|---:|---:|");
        foreach (var s in samples) sb.AppendLine(c, $"| {s.Step:N0} | {Mb(s.RssBytes)} | {Mb(s.GcHeapBytes)} | {s.LiveTensors:N0} |");
        double rss = Growth(first.RssBytes, last.RssBytes), heap = Growth(first.GcHeapBytes, last.GcHeapBytes),
            live = Growth(first.LiveTensors, last.LiveTensors);
        ok = rss < maxGrowth && heap < maxGrowth && live < maxGrowth;
        sb.AppendLine().AppendLine(c,
            $"Growth from step {first.Step:N0} to step {last.Step:N0}: RSS {rss:+0.00;-0.00}%, GC heap {heap:+0.00;-0.00}%, live "
            + $"tensors {live:+0.00;-0.00}% (limit {maxGrowth}%): {(ok ? "PASS" : "FAIL")}. Wall clock {elapsed.TotalSeconds:F0} s.");
        return sb.ToString();
    }

    private static double Growth(long from, long to) => from == 0 ? (to == 0 ? 0 : double.PositiveInfinity) : 100.0 * (to - from) / from;

    private static string Mb(long bytes) => (bytes / (1024.0 * 1024.0)).ToString("F1", CultureInfo.InvariantCulture);
}
