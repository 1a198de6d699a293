using Bus.Core.LayerDropping;

namespace Bus.Experiments.Methods;

/// <summary>
/// Progressive layer dropping (Zhang &amp; He 2020). "layer-drop" is NTNG's budget-keyed schedule (t = budget
/// fraction, gamma = 100 per budget, theta-bar 0.5); "layer-drop-steps" is DeepSpeed's (t = steps, gamma = 0.001).
/// Dropped blocks are charged as fewer active layers.
/// </summary>
/// <param name="clock">What theta(t)'s t counts.</param>
public sealed class LayerDropMethod(PldClock clock = PldClock.BudgetFraction) : MethodSpec
{
    /// <summary>What theta(t)'s t counts.</summary>
    public PldClock Clock { get; } = clock;

    /// <inheritdoc />
    public override string Name => Clock == PldClock.BudgetFraction ? "layer-drop" : "layer-drop-steps";

    /// <inheritdoc />
    public override AlgorithmTraits Traits => AlgorithmTraits.GatesLayers;

    private ProgressiveLayerDroppingOptions PldOptions =>
        Clock == PldClock.BudgetFraction ? ProgressiveLayerDroppingOptions.BudgetKeyed() : new();

    /// <inheritdoc />
    public override string Describe(ComparisonOptions options) =>
        $"{Name}: progressive layer dropping, theta-bar {PldOptions.ThetaBar:G3}, gamma {PldOptions.Gamma:G3} per " +
            $"{(Clock == PldClock.BudgetFraction ? "budget" : "step")}, keep p_l = 1 - (l/L)(1 - theta), residuals scaled 1/p_l";

    /// <inheritdoc />
    public override void Configure(MethodBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Algorithms.Add(new ProgressiveLayerDropping(PldOptions));
    }
}
