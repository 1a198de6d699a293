namespace Bus.Experiments.Frontier;

/// <summary>Trains one run of the frontier study and measures it on the dev and test splits.</summary>
public static class FrontierTraining
{
    /// <summary>
    /// The comparison options of one run: family and shape (d, layers, heads), batch, context, rate, budget and evaluation
    /// cadence.
    /// </summary>
    public static ComparisonOptions Comparison(FrontierOptions options, ModelArchitecture architecture, int dModel, int layers,
        int heads, double learningRate, double budget) => new()
    {
        Task = ExperimentTaskKind.CharLm, SequenceLength = options.ContextLength,
        Model = new TransformerConfig { Architecture = architecture, Layers = layers, Heads = heads }.WithWidth(dModel),
        BatchSize = options.BatchSize, LearningRate = learningRate, WeightDecay = options.WeightDecay, Unit = options.Unit,
            Budgets = [budget],
        Seeds = 1, EvaluateEveryFraction = options.EvaluateEveryFraction, MaxEvalExamples = options.MaxEvalExamples,
            Device = options.Device,
        Methods = ["baseline"],
    };

    /// <summary>
    /// Trains <paramref name="method"/> (its model ends at <paramref name="full"/>) once and evaluates the test split;
    /// null when cancelled (nothing is kept of a cancelled run).
    /// </summary>
    public static FrontierRun? Train(string scale, string arm, int budgetIndex, MethodSpec method, ComparisonOptions comparison,
        TransformerConfig full, SequenceDataset train, SequenceDataset dev, SequenceDataset test, FrontierOptions options, long seed,
        IStepCostModel? costModel, double? growthFraction, string build, IProgress<TrainingProgress>? progress,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(method);
        ArgumentNullException.ThrowIfNull(comparison);
        var objective = SequenceObjective.LanguageModel;
        using var builder = new MethodBuilder(comparison, full, train, dev, objective, comparison.Budgets[0], seed, costModel);
        method.Configure(builder);
        var (trainer, model) = builder.Build();
        var result = trainer.Fit(model, builder.Train, dev, objective, progress, cancellationToken);
        using var trained = result.Model;
        if (result.Reason == StopReason.Cancelled) return null;
        var (_, testBpc) = Trainer.Evaluate(trained, test, objective, options.MaxTestExamples);
        var meter = result.Meter;
        var curve = result.History.Select(h => new CurvePoint(EqualBudgetComparison.SpentAt(h, options.Unit), h.DevMetric)).ToList();
        var config = trained.Config;
        return new FrontierRun(scale, arm, comparison.LearningRate, budgetIndex, comparison.Budgets[0], seed, config.DModel, config.Layers,
            config.Heads, FrontierSizes.NonEmbeddingParameters(trained), meter.Tokens, meter.Steps, meter.Spent(options.Unit),
            meter.ReferenceSeconds, meter.Flops, meter.WallClockSeconds, result.Final.DevMetric, testBpc, growthFraction, curve, build,
            result.Log);
    }
}
