namespace Bus.Experiments.BusProtocol;

/// <summary>
/// Runs seed 002's experiment protocol (see <see cref="BusExperimentOptions"/>) and reports, per arm, the final
/// dev metric (mean ± std, 95% CI), a Welch t-test against scratch, wall-clock, FLOPs and time-to-target
/// (when each run first reached the scratch arm's mean final metric).
/// </summary>
public static class BusExperiment
{
    /// <summary>Arm trained at d from scratch for E1 + E2 epochs.</summary>
    public const string Scratch = "scratch";
    /// <summary>Arm trained at d/2 for E1 epochs, grown, trained E2 epochs.</summary>
    public const string Bus = "bus";
    /// <summary>Arm initialised by growing an untrained d/2 model, trained E1 + E2 epochs.</summary>
    public const string Control = "control";

    /// <summary>Weight matrices whose singular values are recorded (first seed only).</summary>
    public static readonly IReadOnlyList<string> SpectrumParameters = ["blocks.0.attn.q.weight", "blocks.0.attn.v.weight",
        "blocks.0.mlp.fc1.weight"];

    /// <summary>Runs every arm for every seed on <paramref name="text8"/> (the built-in Brown slice when null).</summary>
    public static BusExperimentResult Run(BusExperimentOptions options, string? text8 = null,
        IProgress<ExperimentProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(options);
        var op = GrowthOperators.Create(options.Operator);
        var (small, large) = Configs(options);
        op.Validate(small, large);
        var objective = ExperimentTask.Objective(options.Task);
        var (train, dev) = ExperimentTask.Build(options.Task, text8 ?? BuiltInCorpus.BrownSlice(), options.SequenceLength,
            options.MaxWindows);
        using (train)
        using (dev)
        {
            var arms = options.IncludeControl ? new[] { Scratch, Bus, Control } : [Scratch, Bus];
            var runs = new List<ExperimentRun>();
            var spectra = new List<WeightSpectrum>();
            int runCount = arms.Length * options.Seeds, index = 0;
            for (int s = 0; s < options.Seeds; s++)
            {
                long seed = options.FirstSeed + s;
                foreach (var arm in arms)
                {
                    cancellationToken.ThrowIfCancellationRequested();
                    var runProgress = progress is null ? null : new InlineProgress<TrainingProgress>(p
                        => progress.Report(new ExperimentProgress(arm, seed, index, runCount, p)));
                    var sink = s == 0 ? spectra : [];
                    runs.Add(RunArm(arm, seed, options, small, large, op, train, dev, objective, sink, runProgress, cancellationToken));
                    index++;
                }
            }
            return new BusExperimentResult(options, objective.MetricName, objective.HigherIsBetter, runs, Summarise(runs, arms,
                objective.HigherIsBetter), spectra);
        }
    }

    /// <summary>The d/2 and d configs of the protocol.</summary>
    public static (TransformerConfig Small, TransformerConfig Large) Configs(BusExperimentOptions options)
    {
        var large = ExperimentTask.Shape(options.Task, options.SequenceLength, options.Model);
        return ((large with { DModel = large.DModel / 2, FeedForwardSize = large.FeedForwardSize / 2 }).Validate(), large.Validate());
    }

    private static ExperimentRun RunArm(string arm, long seed, BusExperimentOptions o, TransformerConfig small,
        TransformerConfig large, IGrowthOperator op,
        SequenceDataset train, SequenceDataset dev, SequenceObjective objective, List<WeightSpectrum> spectra,
            IProgress<TrainingProgress>? progress, CancellationToken ct)
    {
        var trainerOptions = new TrainerOptions
        {
            BatchSize = o.BatchSize, LearningRate = o.LearningRate, Seed = seed, Device = o.Device,
            Budget = Budget.Epochs(o.SmallEpochs + o.GrownEpochs), EvaluationsPerEpoch = o.EvaluationsPerEpoch,
        };
        var algorithms = new List<ITrainingAlgorithm>();
        GrowableTransformer model;
        switch (arm)
        {
            case Scratch:
                model = GrowableTransformer.Create(large, seed);
                break;
            case Bus:
                model = GrowableTransformer.Create(small, seed);
                algorithms.Add(new GrowthSchedule(small, [new GrowthStage(GrowthTrigger.AtEpoch(o.SmallEpochs), large, op)], seed));
                break;
            default:
                using (var untrained = GrowableTransformer.Create(small, seed))
                    model = op.Grow(untrained, large, new GrowthContext(seed, train, objective, o.BatchSize));
                break;
        }
        algorithms.Add(new SpectrumProbe(arm, seed, SpectrumParameters, spectra, arm == Bus ? o.SmallEpochs : null));
        var result = new Trainer(trainerOptions, algorithms: algorithms).Fit(model, train, dev, objective, progress, ct);
        result.Model.Dispose();
        return new ExperimentRun(arm, seed, result.History, result.Final.DevMetric, result.Meter.WallClockSeconds,
            result.Meter.Flops, result.Log);
    }

    /// <summary>
    /// Per-arm statistics through <see cref="ReferenceComparison"/>, with the scratch arm as the reference: its mean final
    /// metric is the time-to-target target.
    /// </summary>
    public static IReadOnlyList<ArmSummary> Summarise(IReadOnlyList<ExperimentRun> runs, IReadOnlyList<string> arms, bool higherIsBetter)
    {
        ArgumentNullException.ThrowIfNull(runs);
        ArgumentNullException.ThrowIfNull(arms);
        var scratch = runs.Where(r => r.Arm == Scratch).Select(r => r.FinalMetric).ToList();
        double target = ReferenceComparison.Target(scratch);
        return arms.Select(arm =>
        {
            var mine = runs.Where(r => r.Arm == arm).ToList();
            var metric = mine.Select(r => r.FinalMetric).ToList();
            var test = ReferenceComparison.Versus(metric, scratch, isReference: arm == Scratch);
            var ttt = mine.Select(r => Reach(r, target, higherIsBetter)).ToList();
            return new ArmSummary(arm, SampleSummary.OfMetric(metric, isAccuracy: higherIsBetter),
                SampleSummary.Of(mine.Select(r => r.WallClockSeconds)),
                SampleSummary.Of(mine.Select(r => r.Flops)), test, ttt);
        }).ToList();
    }

    private static TimeToTarget Reach(ExperimentRun run, double target, bool higherIsBetter)
    {
        var hit = ReferenceComparison.FirstReaching(run.History, target, higherIsBetter);
        return hit is null
            ? new TimeToTarget(run.Seed, false, double.NaN, double.NaN, double.NaN)
            : new TimeToTarget(run.Seed, true, hit.WallClockSeconds, hit.Flops, hit.Epoch);
    }
}
