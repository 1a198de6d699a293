namespace Bus.Core.Training.CostModel;

/// <summary>
/// Reference-system time from a measured <see cref="CostTable"/> (NTNG's RST): a step costs the table's
/// seconds for its (optimizer, batch size, active layers), a selection forward the forward-only seconds for
/// its (batch size, layers). Unlisted batch sizes and layer counts are interpolated bilinearly (extrapolated
/// linearly outside the grid, never below zero); a sequence length other than the table's scales the cost
/// proportionally (an approximation that ignores attention's quadratic term).
/// </summary>
public sealed class CalibratedCostModel : IStepCostModel
{
    private readonly Dictionary<(string? Optimizer, bool ForwardOnly), CostGrid> _grids;

    /// <summary>Creates the model after validating <paramref name="table"/> (see <see cref="CostTable.Validate"/>).</summary>
    /// <exception cref="InvalidDataException">The table is invalid (e.g. not monotone); the message names the entries.</exception>
    public CalibratedCostModel(CostTable table, bool requireMonotone = true)
    {
        ArgumentNullException.ThrowIfNull(table);
        Table = table.Validate(requireMonotone);
        _grids = table.Groups().ToDictionary(g => g.Key, g => CostGrid.From(g));
    }

    /// <summary>The validated table.</summary>
    public CostTable Table { get; }

    /// <inheritdoc />
    /// <exception cref="InvalidOperationException">The table has no entries for the cost's optimizer or for forward-only
    /// passes.</exception>
    public double ReferenceSeconds(StepCost cost)
    {
        if (cost.BatchSize <= 0) throw new ArgumentOutOfRangeException(nameof(cost), cost.BatchSize, "Batch size must be positive.");
        if (cost.SequenceLength <= 0)
            throw new ArgumentOutOfRangeException(nameof(cost), cost.SequenceLength, "Sequence length must be positive.");
        if (cost.ActiveLayers < 0)
            throw new ArgumentOutOfRangeException(nameof(cost), cost.ActiveLayers, "Active layers must be non-negative.");
        var key = cost.ForwardOnly ? ((string?)null, true) : (cost.Optimizer, false);
        if (!_grids.TryGetValue(key, out var grid))
            throw new InvalidOperationException(
                $"The cost table has no " +
                $"{(cost.ForwardOnly ? "forward-only" : $"forward+backward entries for optimizer '{cost.Optimizer}'")}; it holds: " +
                $"{string.Join(", ", _grids.Values.Select(g => g.Kind))}.");
        return grid.Interpolate(cost.BatchSize, cost.ActiveLayers) * cost.SequenceLength / Table.SequenceLength;
    }
}
