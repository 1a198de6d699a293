namespace Bus.Experiments.Study;

/// <summary>
/// The study's cost model: the calibrated tables, with steps of plain Adam (LiGO's operator training) charged as
/// AdamW steps. The tables hold AdamW and Lion only; Adam and AdamW do the same per-parameter work apart from
/// AdamW's decoupled decay (one multiply-add per parameter), so the AdamW entry stands in.
/// </summary>
public sealed class AdamAsAdamWCostModel(IStepCostModel inner) : IShapeAwareStepCostModel
{
    /// <summary>The calibrated model underneath.</summary>
    public IStepCostModel Inner { get; } = inner ?? throw new ArgumentNullException(nameof(inner));

    /// <inheritdoc />
    public double ReferenceSeconds(StepCost cost, TransformerConfig config) => Inner is IShapeAwareStepCostModel shaped
        ? shaped.ReferenceSeconds(Map(cost), config)
        : Inner.ReferenceSeconds(Map(cost));

    /// <inheritdoc />
    public double ReferenceSeconds(StepCost cost) => Inner.ReferenceSeconds(Map(cost));

    private static StepCost Map(StepCost cost)
    {
        return string.Equals(cost.Optimizer, "adam", StringComparison.OrdinalIgnoreCase) ? cost with { Optimizer = "adamw" } : cost;
    }
}
