using Bus.Core.Growth;
using Bus.Core.Model;
using TorchSharp;
using static TorchSharp.torch;

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
public sealed class MsgWidthGrowth(MaskRamp? ramp = null) : LayoutGrowthOperator, IMaskedGrowthOperator, IMomentMappingOperator, ITensorMomentMapping, IHeadDimPreserving
{
    /// <inheritdoc />
    public override string Name => "msg-width";

    /// <inheritdoc />
    public MaskRamp Ramp { get; } = ramp ?? MaskRamp.Default;

    /// <inheritdoc />
    public override void Validate(ModelLayout layout, ModelShape from, ModelShape to)
    {
        ArgumentNullException.ThrowIfNull(layout);
        GrowthValidation.RequireCompatible(from, to);
        GrowthValidation.Same(from.Layers, to.Layers, nameof(TransformerConfig.Layers));
        GrowthValidation.Same(from.HeadDim, to.HeadDim, nameof(TransformerConfig.HeadDim));
        if ((long)from.Heads * to.KvHeads != (long)to.Heads * from.KvHeads)
            throw new ArgumentException($"Masked width growth keeps the query heads per key/value head: source {from.Heads}/{from.KvHeads}, target {to.Heads}/{to.KvHeads}.", nameof(TransformerConfig.KvHeads));
    }

    /// <summary>Grows the model and installs the width mask at m = 0.</summary>
    public override GrowableTransformer Grow(GrowableTransformer source, TransformerConfig target, GrowthContext context)
    {
        ArgumentNullException.ThrowIfNull(source);
        var grown = base.Grow(source, target, context);
        grown.Mask = CreateMask(source.Config, target);
        return grown;
    }

    /// <inheritdoc />
    public GrowthMask CreateMask(TransformerConfig source, TransformerConfig target)
    {
        Validate(source, target);
        return new GrowthMask([], 0, new MaskedWidth(source.DModel, source.FeedForwardSize, source.Heads));
    }

    /// <inheritdoc />
    public override Dictionary<string, Tensor> Grow(IReadOnlyDictionary<string, Tensor> weights, ModelLayout layout, ModelShape from, ModelShape to, GrowthContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        return Embed(weights, layout, from, to, (rule, fresh, generator) => GrowableTransformer.FreshInitialise(rule.Kind, fresh, generator), context.Seed);
    }

    /// <inheritdoc />
    public Dictionary<string, Tensor> MapMoments(IReadOnlyDictionary<string, Tensor> moments, MomentKind kind, ModelLayout layout, ModelShape from, ModelShape to, GrowthContext context) =>
        Embed(moments, layout, from, to, (_, fresh, _) => fresh.zero_(), 0);

    /// <inheritdoc />
    public Tensor? MapState(string parameterName, MomentKind kind, IReadOnlyDictionary<string, Tensor> smallState,
        TransformerConfig source, TransformerConfig target, GrowthContext context) =>
        ModelGrowth.MapState(this, parameterName, kind, smallState, source, target, context);

    /// <summary>Each grown tensor: <paramref name="fill"/> everywhere, then the small tensor in its leading corner.</summary>
    private Dictionary<string, Tensor> Embed(IReadOnlyDictionary<string, Tensor> small, ModelLayout layout, ModelShape from, ModelShape to,
        Action<ParameterRule, Tensor, Generator> fill, long seed)
    {
        ArgumentNullException.ThrowIfNull(small);
        Validate(layout, from, to);
        layout.Validate(small, from);
        var any = small.Values.First();
        using var generator = new Generator(unchecked((ulong)seed), any.device);
        using var noGrad = no_grad();
        var grown = new Dictionary<string, Tensor>();
        foreach (var (name, rule, _, shape) in layout.Parameters(to))
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
