using Bus.Selection;

namespace Bus.Experiments.Methods;

/// <summary>
/// RHO-LOSS (Mindermann et al. 2022, Alg. 1). Every k-th training example (k = 1 / <see cref="ComparisonOptions.RhoHoldoutFraction"/>)
/// forms the holdout; an irreducible-loss model of half width (or the full model when d/2 is not valid) is trained on it
/// for <see cref="ComparisonOptions.RhoIlBudgetFraction"/> of the budget, keeping its best-dev checkpoint, and scores
/// IL[i] for the rest once. The main run trains on the rest, back-propagating the top
/// <see cref="ComparisonOptions.RhoSelectionFraction"/> of each big batch by reducible loss; its scoring forwards are charged.
/// With <see cref="Charged"/> the IL training and scoring are taken off the budget; otherwise they are free, as in the paper.
/// </summary>
/// <param name="charged">Charge IL training and scoring to the budget (null:
/// <see cref="ComparisonOptions.RhoChargeIrreducibleLoss"/>).</param>
public sealed class RhoLossMethod(bool? charged = null) : MethodSpec
{
    /// <summary>Explicit charging policy (null: the comparison's option).</summary>
    public bool? Charged { get; } = charged;

    /// <inheritdoc />
    public override string Name => Charged switch { true => "rho-loss-charged", false => "rho-loss-free", _ => "rho-loss" };

    /// <inheritdoc />
    public override AlgorithmTraits Traits => AlgorithmTraits.SelectsBatches;

    /// <inheritdoc />
    public override string Describe(ComparisonOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        bool charge = Charged ?? options.RhoChargeIrreducibleLoss;
        string charged = charge ? "CHARGED to the budget" : "FREE (not charged, as in the paper)";
        return $"{Name}: IL model (d/2) trained on a {options.RhoHoldoutFraction:P0} holdout of the training set for " +
               $"{options.RhoIlBudgetFraction:P0} of the budget, train on the top {options.RhoSelectionFraction:P0} of each big batch " +
               $"by reducible loss; IL training and scoring {charged}; selection forwards charged";
    }

    /// <inheritdoc />
    public override void Configure(MethodBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        var o = builder.Options;
        bool charge = Charged ?? o.RhoChargeIrreducibleLoss;
        var watch = Stopwatch.StartNew();
        var (holdout, rest) = Split(builder.Train, o.RhoHoldoutFraction);
        builder.Own(holdout);
        builder.Train = builder.Own(rest);
        var ilConfig = builder.FullConfig with { DModel = builder.FullConfig.DModel / 2, FeedForwardSize = Math.Max(1,
            builder.FullConfig.FeedForwardSize / 2) };
        if (ilConfig.DModel % ilConfig.Heads != 0) ilConfig = builder.FullConfig;
        var ilBudget = new Budget(builder.Budget.Unit, o.RhoIlBudgetFraction * builder.Budget.Amount);
        var il = IrreducibleLossTraining.Train(ilConfig, holdout, builder.Dev, builder.Objective, builder.TrainerOptions(ilBudget,
            builder.Seed + 1_000_003));
        IrreducibleLossCache cache;
        using (il.Model) cache = IrreducibleLossCache.Compute(il.Model, rest, builder.Objective);
        // IL scoring: one forward-only pass of the IL model over the rest of the training set, charged like selection
        // forwards in chunks of 2 x batch size (the largest calibrated batch, so the cost table interpolates, never extrapolates).
        var scoring = new BudgetMeter(new Budget(builder.Budget.Unit, double.MaxValue), 1, builder.CostModel);
        int chunk = 2 * o.BatchSize;
        for (int start = 0; start < rest.Count; start += chunk)
            scoring.ChargeForward(new StepCost(Math.Min(chunk, rest.Count - start), rest.SequenceLength, ilConfig.Layers, true, null),
                ilConfig);
        var ilMeter = il.Training.Meter;
        var unit = builder.Budget.Unit;
        builder.AddSetup(new SetupCost(
            $"IL model d={ilConfig.DModel} trained {ilMeter.Steps} steps on {holdout.Count} holdout examples (best dev loss " +
                $"{il.Best.DevLoss:F4} at step {il.Best.Step}), scored {rest.Count} examples",
            charge, ilMeter.Spent(unit) + scoring.Spent(unit), ilMeter.Steps, ilMeter.Flops + scoring.Flops,
            ilMeter.ReferenceSeconds + scoring.ReferenceSeconds, watch.Elapsed.TotalSeconds));
        builder.Selector = new RhoLossSelector(cache, new RhoLossOptions { SelectionFraction = o.RhoSelectionFraction });
    }

    /// <summary>
    /// Every k-th example (k = round(1 / fraction), starting at 0) to the holdout, the others to the rest; both in their original
    /// order.
    /// </summary>
    public static (SequenceDataset Holdout, SequenceDataset Remainder) Split(SequenceDataset train, double fraction)
    {
        ArgumentNullException.ThrowIfNull(train);
        if (!(fraction > 0 && fraction <= 0.5)) throw new ArgumentOutOfRangeException(nameof(fraction), fraction,
            $"Holdout fraction must be in (0, 0.5], got {fraction}.");
        int k = Math.Max(2, (int)Math.Round(1 / fraction));
        var holdout = Enumerable.Range(0, train.Count).Where(i => i % k == 0).Select(i => (long)i).ToArray();
        var rest = Enumerable.Range(0, train.Count).Where(i => i % k != 0).Select(i => (long)i).ToArray();
        return (train.Slice(holdout), train.Slice(rest));
    }
}
