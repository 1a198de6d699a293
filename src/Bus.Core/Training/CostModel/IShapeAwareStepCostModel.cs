namespace Bus.Core.Training.CostModel;

/// <summary>
/// A cost model that also sees the shape of the model that did the work, e.g. one calibrated table per
/// width, so that a d/2 model before width growth is charged the d/2 cost rather than the full-width cost.
/// <see cref="BudgetMeter"/> calls this overload when the model implements it.
/// </summary>
public interface IShapeAwareStepCostModel : IStepCostModel
{
    /// <summary>Reference seconds that <paramref name="cost"/> takes on the reference system for a model shaped like
    /// <paramref name="config"/>.</summary>
    double ReferenceSeconds(StepCost cost, TransformerConfig config);
}
