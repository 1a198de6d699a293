namespace Bus.Experiments;

/// <summary>
/// The full model of an experiment whose growth arms start at half width (<see cref="ComparisonOptions.Model"/>,
/// <see cref="BusProtocol.BusExperimentOptions.Model"/>): its checks, and the flat keys older result files stored it in.
/// </summary>
internal static class FullModel
{
    /// <summary>
    /// Checks that the model can be halved: d_model even and at least 2, d_ff even (the exception names the model's property,
    /// DModel or FeedForwardSize, so a caller maps it to its own option).
    /// </summary>
    public static TransformerConfig Require(TransformerConfig? model, string parameter)
    {
        ArgumentNullException.ThrowIfNull(model, parameter);
        if (model.DModel < 2 || model.DModel % 2 != 0)
            throw new ArgumentOutOfRangeException(nameof(model.DModel), model.DModel,
                $"{parameter}.DModel must be even and at least 2 (width growth starts at d/2), got {model.DModel}.");
        if (model.FeedForwardSize % 2 != 0)
            throw new ArgumentOutOfRangeException(nameof(model.FeedForwardSize), model.FeedForwardSize,
                $"{parameter}.FeedForwardSize must be even (width growth starts at d_ff/2), got {model.FeedForwardSize}.");
        return model;
    }

    /// <summary>
    /// <paramref name="model"/> with one of the keys files written before the model was one option held: DModel, Layers,
    /// Heads, FfMultiplier (d_ff = multiplier x d_model; written after DModel, so it reads the width already set).
    /// </summary>
    public static TransformerConfig WithLegacy(TransformerConfig model, int? dModel, int? layers, int? heads, int? ffMultiplier) =>
        (dModel, layers, heads, ffMultiplier) switch
        {
            ({ } d, _, _, _) => model with { DModel = d },
            (_, { } l, _, _) => model with { Layers = l },
            (_, _, { } h, _) => model with { Heads = h },
            (_, _, _, { } m) => model with { FeedForwardSize = m * model.DModel },
            _ => model,
        };
}
