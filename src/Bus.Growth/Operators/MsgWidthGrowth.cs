namespace Bus.Growth.Operators;

/// <summary>
/// Masked structural growth in width (MSG, Yao et al., ICLR 2024, sec. 3.2: hidden size, heads and FFN grown behind
/// masks): every small tensor is copied into the leading corner of its grown tensor (old channels, units and heads first;
/// head_dim kept, so old heads are the first Heads x head_dim features) and the new entries keep the fresh initialisation
/// of their kind, seeded by the context. The grown model carries a width <see cref="GrowthMask"/> at m = 0: new residual
/// channels, d_ff units and query heads are multiplied by m and the norms weight their statistics by the channel mask
/// (<see cref="MaskedTransformer"/>), so at m = 0 it computes exactly what the small model did for any new values, and at
/// m = 1 the ordinary grown model. Depth is kept; the query-per-key/value-head ratio is kept (new key/value heads serve
/// only new query heads). Moments: old entries copied, new entries 0.
/// </summary>
/// <param name="ramp">How the mask rises; <see cref="MaskRamp.Default"/> when null.</param>
public sealed class MsgWidthGrowth(MaskRamp? ramp = null) : IMaskedGrowthOperator, IHeadDimPreserving
{
    /// <inheritdoc />
    public string Name => "msg-width";

    /// <inheritdoc />
    public bool MapsMoments => true;

    /// <inheritdoc />
    public MaskRamp Ramp { get; } = ramp ?? MaskRamp.Default;

    /// <inheritdoc />
    public void Validate(ModelLayout layout, ModelShape from, ModelShape to)
    {
        GrowthArguments.SameLayers(from, to);
        GrowthValidation.Same(from.HeadDim, to.HeadDim, nameof(TransformerConfig.HeadDim));
        if ((long)from.Heads * to.KvHeads != (long)to.Heads * from.KvHeads)
            throw new ArgumentException($"Masked width growth keeps the query heads per key/value head: source " +
                $"{from.Heads}/{from.KvHeads}, target {to.Heads}/{to.KvHeads}.", nameof(TransformerConfig.KvHeads));
    }

    /// <inheritdoc />
    public GrowthMask CreateMask(TransformerConfig source, TransformerConfig target)
    {
        ArgumentNullException.ThrowIfNull(source);
        ArgumentNullException.ThrowIfNull(target);
        return new GrowthMask([], 0, new MaskedWidth(source.DModel, source.FeedForwardSize, source.Heads));
    }

    /// <inheritdoc />
    public Dictionary<string, Tensor> Grow(GrowthPlan plan, IReadOnlyDictionary<string, Tensor> weights, GrowthContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        return Embed(plan, weights, (rule, fresh, generator) => GrowableTransformer.FreshInitialise(rule.Kind, fresh, generator),
            context.Seed);
    }

    /// <summary>Old entries keep their moments; new entries start at 0.</summary>
    public Dictionary<string, Tensor> MapMoments(GrowthPlan plan, IReadOnlyDictionary<string, Tensor> moments, MomentKind kind,
        GrowthContext context) =>
        Embed(plan, moments, (_, fresh, _) => fresh.zero_(), 0);

    /// <summary>Each grown tensor: <paramref name="fill"/> everywhere, then the small tensor in its leading corner.</summary>
    private Dictionary<string, Tensor> Embed(GrowthPlan plan, IReadOnlyDictionary<string, Tensor> small, Action<ParameterRule, Tensor,
        Generator> fill, long seed)
    {
        plan.Require(this, small);
        var any = small.Values.First();
        using var generator = new Generator(unchecked((ulong)seed), any.device);
        using var noGrad = no_grad();
        var grown = new Dictionary<string, Tensor>();
        foreach (var (name, rule, _, shape) in plan.Layout.Parameters(plan.To))
        {
            var source = small[name];
            var tensor = empty(shape, dtype: any.dtype, device: any.device);
            fill(rule, tensor, generator);
            var corner = source.shape.Select(n => TensorIndex.Slice(0, n)).ToArray();
            tensor[corner] = source;
            grown[name] = tensor;
        }
        return grown;
    }
}
