namespace Bus.Core.Model;

/// <summary>
/// The sizes a <see cref="ModelLayout"/> needs to state every parameter's shape: residual width, attention heads
/// (query heads, key/value heads, head width), MLP width, depth, vocabulary, positions and output width.
/// For a model that is not a <see cref="GrowableTransformer"/>, fill in the sizes of its own axes.
/// </summary>
/// <param name="DModel">Width of the residual stream.</param>
/// <param name="Heads">Query heads.</param>
/// <param name="KvHeads">Key/value heads (equal to <paramref name="Heads"/> without grouped-query attention).</param>
/// <param name="HeadDim">Width of one head.</param>
/// <param name="FeedForwardSize">Hidden width of the MLP.</param>
/// <param name="Layers">Number of blocks.</param>
/// <param name="Vocabulary">Input symbols.</param>
/// <param name="Positions">Rows of a learned position embedding (0 or any value when the model has none).</param>
/// <param name="Outputs">Width of the output head.</param>
public sealed record ModelShape(int DModel, int Heads, int KvHeads, int HeadDim, int FeedForwardSize, int Layers, int Vocabulary, int Positions, int Outputs)
{
    /// <summary>The shape of a <see cref="GrowableTransformer"/> built from <paramref name="config"/>.</summary>
    public static ModelShape From(TransformerConfig config)
    {
        ArgumentNullException.ThrowIfNull(config);
        config.Validate();
        return new(config.DModel, config.Heads, config.KvHeads, config.HeadDim, config.FeedForwardSize, config.Layers, config.VocabSize, config.MaxLength, config.OutputSize);
    }

    /// <summary>Size of <paramref name="space"/> in this shape (1 for <see cref="AxisSpace.None"/>).</summary>
    public int Size(AxisSpace space) => space switch
    {
        AxisSpace.Residual => DModel,
        AxisSpace.QueryHeads => Heads * HeadDim,
        AxisSpace.KeyValueHeads => KvHeads * HeadDim,
        AxisSpace.Mlp => FeedForwardSize,
        AxisSpace.Vocabulary => Vocabulary,
        AxisSpace.Positions => Positions,
        AxisSpace.Outputs => Outputs,
        AxisSpace.None => 1,
        _ => throw new ArgumentOutOfRangeException(nameof(space), space, "Unknown axis space."),
    };
}
