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
public sealed record ModelShape(
    int DModel, int Heads, int KvHeads, int HeadDim, int FeedForwardSize, int Layers, int Vocabulary, int Positions, int Outputs)
{
    /// <summary>The shape of a <see cref="GrowableTransformer"/> built from <paramref name="config"/>.</summary>
    public static ModelShape From(TransformerConfig config)
    {
        ArgumentNullException.ThrowIfNull(config);
        config.Validate();
        return new(config.DModel, config.Heads, config.KvHeads, config.HeadDim, config.FeedForwardSize, config.Layers,
            config.VocabSize, config.MaxLength, config.OutputSize);
    }

    /// <summary>
    /// A shape from named sizes with the usual defaults, for a module of your own:
    /// <c>ModelShape.Of(dModel: 64, heads: 4, layers: 2, vocabulary: 27)</c>.
    /// </summary>
    /// <param name="dModel">Width of the residual stream.</param>
    /// <param name="heads">Query heads (must divide <paramref name="dModel"/> unless <paramref name="headDim"/> is given).</param>
    /// <param name="layers">Number of blocks.</param>
    /// <param name="vocabulary">Input symbols.</param>
    /// <param name="kvHeads">Key/value heads (default: <paramref name="heads"/>).</param>
    /// <param name="headDim">Width of one head (default: <paramref name="dModel"/> / <paramref name="heads"/>).</param>
    /// <param name="feedForwardSize">MLP width (default: 4 x <paramref name="dModel"/>).</param>
    /// <param name="positions">Rows of a learned position embedding (default 0: none).</param>
    /// <param name="outputs">Width of the output head (default: <paramref name="vocabulary"/>).</param>
    public static ModelShape Of(int dModel, int heads, int layers, int vocabulary, int? kvHeads = null, int? headDim = null,
        int? feedForwardSize = null, int positions = 0, int? outputs = null)
    {
        Guard.Positive(dModel, nameof(dModel));
        Guard.Positive(heads, nameof(heads));
        Guard.Positive(layers, nameof(layers));
        Guard.Positive(vocabulary, nameof(vocabulary));
        Guard.NonNegative(positions, nameof(positions));
        if (headDim is null) TransformerConfig.RequireDivides(heads, nameof(heads), dModel, nameof(dModel), ", or give headDim");
        int kv = Guard.Positive(kvHeads ?? heads, nameof(kvHeads));
        TransformerConfig.RequireDivides(kv, nameof(kvHeads), heads, nameof(heads));
        return new(dModel, heads, kv, Guard.Positive(headDim ?? dModel / heads, nameof(headDim)),
            Guard.Positive(feedForwardSize ?? 4 * dModel, nameof(feedForwardSize)), layers, vocabulary, positions,
            Guard.Positive(outputs ?? vocabulary, nameof(outputs)));
    }

    /// <summary>
    /// The shape in one line, as <see cref="TransformerConfig.Describe()"/> writes it:
    /// <c>d_model=64 d_ff=256 heads=4 layers=2</c>.
    /// </summary>
    public string Describe() => TransformerConfig.Describe(DModel, FeedForwardSize, Heads, Layers);

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
