namespace Bus.Core.Training;

/// <summary>What one unit of training work was: used to charge budgets (reference time, FLOPs).</summary>
/// <param name="BatchSize">Examples in the pass.</param>
/// <param name="SequenceLength">Tokens per example.</param>
/// <param name="ActiveLayers">Blocks that actually ran (layer dropping lowers it).</param>
/// <param name="ForwardOnly">True for a scoring pass without backward (batch selection).</param>
/// <param name="Optimizer">Name of the optimizer that stepped (null for forward-only passes).</param>
public readonly record struct StepCost(int BatchSize, int SequenceLength, int ActiveLayers, bool ForwardOnly, string? Optimizer);

/// <summary>Converts work into reference-system seconds (NTNG's RST), from a calibrated cost table.</summary>
public interface IStepCostModel
{
    /// <summary>Reference seconds that <paramref name="cost"/> takes on the reference system.</summary>
    double ReferenceSeconds(StepCost cost);
}
