namespace Bus.Core.Training.CostModel;

/// <summary>One measured cost: reference seconds of one pass at a batch size and number of active blocks.</summary>
/// <param name="BatchSize">Examples in the pass.</param>
/// <param name="ActiveLayers">Blocks that ran.</param>
/// <param name="Optimizer">Optimizer name for forward+backward+step entries; null for forward-only entries.</param>
/// <param name="ForwardOnly">True for a no-grad scoring pass (batch selection).</param>
/// <param name="Seconds">Reference seconds of the pass (median of the calibration repeats).</param>
public sealed record CostTableEntry(int BatchSize, int ActiveLayers, string? Optimizer, bool ForwardOnly, double Seconds)
{
    /// <summary>The (optimizer, forward-only) group this entry belongs to, as used in messages.</summary>
    public string Kind => ForwardOnly ? "forward-only" : $"forward+backward ({Optimizer})";

    /// <inheritdoc />
    public override string ToString() => $"{Kind} batch={BatchSize} layers={ActiveLayers}: {Seconds:G6} s";
}
