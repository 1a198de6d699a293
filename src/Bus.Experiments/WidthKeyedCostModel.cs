namespace Bus.Experiments;

/// <summary>
/// Reference time with one calibrated cost table per model width, so a d/2 model (before width growth, or
/// RHO-LOSS's IL model) is charged what d/2 costs. Each table is keyed by (optimizer, batch size, active layers)
/// as usual (<see cref="CalibratedCostModel"/>).
/// </summary>
public sealed class WidthKeyedCostModel : IShapeAwareStepCostModel
{
    private readonly Dictionary<int, CalibratedCostModel> _byWidth;

    /// <summary>Creates the model from one calibrated model per d_model.</summary>
    public WidthKeyedCostModel(IReadOnlyDictionary<int, CalibratedCostModel> byWidth)
    {
        ArgumentNullException.ThrowIfNull(byWidth);
        if (byWidth.Count == 0) throw new ArgumentException("At least one width's cost table is needed.", nameof(byWidth));
        _byWidth = byWidth.ToDictionary(
            p => p.Key, p => p.Value ?? throw new ArgumentException($"The cost model for width {p.Key} is null.", nameof(byWidth)));
    }

    /// <summary>The calibrated tables by width.</summary>
    public IReadOnlyDictionary<int, CalibratedCostModel> ByWidth => _byWidth;

    /// <inheritdoc />
    /// <exception cref="InvalidOperationException">No table for the model's width (the known widths are named).</exception>
    public double ReferenceSeconds(StepCost cost, TransformerConfig config)
    {
        ArgumentNullException.ThrowIfNull(config);
        return _byWidth.TryGetValue(config.DModel, out var model)
            ? model.ReferenceSeconds(cost)
            : throw new InvalidOperationException($"No cost table for {config.Describe()}; calibrated widths: "
                + $"{string.Join(", ", _byWidth.Keys.Order())}.");
    }

    /// <inheritdoc />
    /// <exception cref="InvalidOperationException">More than one width is calibrated, so the width must be given.</exception>
    public double ReferenceSeconds(StepCost cost) => _byWidth.Count == 1
        ? _byWidth.Values.Single().ReferenceSeconds(cost)
        : throw new InvalidOperationException(
            $"Tables for widths {string.Join(", ", _byWidth.Keys.Order())}: call ReferenceSeconds(cost, config).");
}
