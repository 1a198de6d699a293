using Bus.Growth.Schedules;

namespace Bus.MLNet.Training;

/// <summary>
/// The one training path of every ML.NET estimator: trains a (growing) encoder <see cref="GrowableTransformer"/> on
/// per-position targets with Bus.Core's <see cref="Trainer"/> and a Bus.Core objective (per-token classification, or
/// a pooled <see cref="SequenceClassificationObjective"/>), so batch selectors, the non-finite guard and the growth
/// schedule apply to all of them. Builds the start and final configs from <see cref="BusTrainerOptions"/>
/// (<see cref="ModelShapes"/>), holds out a seeded validation split, and adds a one-stage <see cref="GrowthSchedule"/>
/// when the options ask for growth. Progress (each dev evaluation) and growth events go to the logger
/// (<see cref="TrainingLogger"/>).
/// </summary>
internal static class BusTrainingRun
{
    public static (GrowableTransformer Model, TrainingResult Result) Train(
        BusTrainingData data, BusTrainerOptions options, IBusComponents components, ILogger logger)
    {
        options.Validate();
        var (startConfig, finalConfig) = ModelShapes.Of(options, data.ClassNames.Count);
        var (trainRows, devRows) = Split(data.Inputs.Count, options);
        using var train = Dataset(trainRows, data.Inputs, data.Targets, options.Model.MaxLength);
        using var dev = Dataset(devRows, data.Inputs, data.Targets, options.Model.MaxLength);

        var log = new TrainingLogger(logger);
        var algorithms = new List<ITrainingAlgorithm> { log }; // first: at step ends (fired in reverse) it runs after growth
        if (options.Grows)
        {
            var growth = components.GetGrowthOperator(options.GrowthOperator);
            var stage = new GrowthStage(GrowthTrigger.AtEpoch(options.GrowthEpoch), finalConfig, growth);
            algorithms.Add(new GrowthSchedule(startConfig, [stage], options.Seed));
        }
        var optimizer = components.GetOptimizer(options.Optimizer);
        var trainerOptions = new TrainerOptions
        {
            BatchSize = Math.Min(options.BatchSize, train.Count),
            Budget = Budget.Epochs(options.Epochs),
            // The trainer's (AdamW-scale) rate: the optimizer factory sets each group's peak from it once (Lion: / 3).
            LearningRate = options.LearningRate,
            WeightDecay = options.WeightDecay,
            GradientClip = options.GradientClip,
            Schedule = new LearningRateSchedule
            {
                WarmupFraction = options.WarmupFraction, Decay = options.Schedule, DecayFraction = options.DecayFraction,
            },
            AccumulationSteps = Math.Min(options.AccumulationSteps, Math.Min(options.BatchSize, train.Count)),
            Threads = options.Threads,
            EvaluationsPerEpoch = options.EvaluationsPerEpoch,
            Seed = options.Seed,
            Device = options.Device,
            Precision = options.Precision,
            Recompute = options.Recompute,
        };
        var selector = options.Selector is null ? null : components.CreateSelector(options.Selector);
        var trainer = new Trainer(trainerOptions, optimizer, selector, algorithms);
        var model = GrowableTransformer.Create(startConfig, options.Seed);
        var result = data.Objective is SequenceObjective perToken
            ? trainer.Fit(model, train, dev, perToken)
            : trainer.Fit(model, (ITrainingData)train, dev, data.Objective);
        log.Flush(result.Growths, result.Log, data.Objective.MetricName);
        return (result.Model, result);
    }

    /// <summary>
    /// Seeded shuffle of the row indices; the last <see cref="BusTrainerOptions.ValidationFraction"/> of it is the dev
    /// split.
    /// </summary>
    /// <exception cref="InvalidOperationException">Fewer than two rows.</exception>
    public static (int[] Train, int[] Dev) Split(int n, BusTrainerOptions options)
    {
        if (n < 2)
            throw new InvalidOperationException($"Bus needs at least 2 labelled rows (one to train, one to validate); the data has {n}.");
        var order = Enumerable.Range(0, n).ToArray();
        new Random(unchecked((int)options.Seed) ^ 0x0B05).Shuffle(order);
        int devCount = Math.Clamp((int)Math.Round(n * options.ValidationFraction), 1, n - 1);
        return (order[..^devCount], order[^devCount..]);
    }

    private static SequenceDataset Dataset(int[] rows, IReadOnlyList<long[]> inputs, IReadOnlyList<long[]> targets, int length)
    {
        var x = new long[rows.Length * length];
        var y = new long[x.Length];
        for (int r = 0; r < rows.Length; r++)
        {
            Array.Copy(inputs[rows[r]], 0, x, r * length, length);
            Array.Copy(targets[rows[r]], 0, y, r * length, length);
        }
        return new SequenceDataset(
            tensor(x, [rows.Length, length], ScalarType.Int64), tensor(y, [rows.Length, length], ScalarType.Int64));
    }
}
