namespace Bus.Experiments.Frontier;

/// <summary>
/// Sizes one scale's budgets: calibrates (or loads) its cost tables, counts the full model's non-embedding parameters N,
/// and sets the largest budget to the reference time of ceil(<see cref="FrontierOptions.TokensPerParameter"/> x N / tokens per step)
/// full-model steps; the other budgets are its <see cref="FrontierOptions.BudgetFractions"/>.
/// </summary>
public static class FrontierPlanner
{
    /// <summary>Loads scale-&lt;name&gt;.json and the cost tables, or measures and writes them.</summary>
    public static (FrontierScalePlan Plan, IStepCostModel? Cost) PlanOrLoad(string directory, FrontierScale scale, FrontierOptions options,
        int trainWindows, Action<string>? report = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(scale);
        ArgumentNullException.ThrowIfNull(options);
        var full = EqualBudgetComparison.FullConfig(FrontierTraining.Comparison(options, scale.Architecture, scale.DModel,
            scale.Layers, scale.Heads, 1e-3, 1));
        IStepCostModel? cost = null;
        double stepCost = 1;
        if (options.Unit == BudgetUnit.ReferenceSeconds)
        {
            var half = full with { DModel = full.DModel / 2, FeedForwardSize = full.FeedForwardSize / 2, Heads = full.Heads / 2 };
            var tables = new Dictionary<int, CalibratedCostModel>
            {
                [half.DModel] = FrontierCalibration.LoadOrMeasure(directory, half, scale.Layers, options, report, cancellationToken),
                [full.DModel] = FrontierCalibration.LoadOrMeasure(directory, full, scale.Layers, options, report, cancellationToken),
            };
            cost = new AdamAsAdamWCostModel(new WidthKeyedCostModel(tables));
            stepCost =
                tables[full.DModel].ReferenceSeconds(new StepCost(options.BatchSize, options.ContextLength, scale.Layers, false, "adamw"));
        }
        string path = Path.Combine(directory, $"scale-{scale.Name}.json");
        if (File.Exists(path)) return (JsonSerializer.Deserialize<FrontierScalePlan>(File.ReadAllText(path), ResultJson.Options)!, cost);
        long n;
        using (var model = GrowableTransformer.Create(full, 0)) n = FrontierSizes.NonEmbeddingParameters(model);
        long tokensPerStep = (long)options.BatchSize * options.ContextLength;
        long steps = (long)Math.Ceiling(options.TokensPerParameter * n / tokensPerStep);
        double max = options.MaxBudget ?? RoundUp(steps * stepCost);
        long tokens = options.MaxBudget is null ? steps * tokensPerStep : (long)Math.Round(max / stepCost * tokensPerStep);
        var (fraction, raw) = GStackTiming.Fraction(n, tokens, options.GStackMin, Math.Max(options.GStackMin, options.GStackMax));
        var plan = new FrontierScalePlan(scale, n, stepCost, max, options.BudgetFractions.Select(f => f * max).ToList(), tokens,
            (double)tokens / n, (double)tokens / ((long)trainWindows * options.ContextLength), raw, fraction);
        StudyRunner.WriteAtomically(path, JsonSerializer.Serialize(plan, ResultJson.Options));
        return (plan, cost);
    }

    /// <summary>Rounds up to three significant digits (budgets read better and stay at or above the token target).</summary>
    public static double RoundUp(double value)
    {
        if (!(value > 0)) return value;
        double scale = Math.Pow(10, Math.Floor(Math.Log10(value)) - 2);
        return Math.Ceiling(value / scale - 1e-9) * scale;
    }
}
