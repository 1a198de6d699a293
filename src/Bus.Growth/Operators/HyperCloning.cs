namespace Bus.Growth.Operators;

/// <summary>
/// HyperCloning (Samragh et al., "Scaling Smart: Accelerating Large Language Model Pre-training with Small Model
/// Initialization", 2024, sec. 3): every hidden unit is cloned n times, n = d'/d a whole number on each axis. A linear
/// layer from d_in to d_out becomes W' = (1/n_in) [W ... W; ...; W ... W] (n_out x n_in blocks): rows copied,
/// columns divided by the number of clones, so every clone of a unit carries the small model's value and the grown
/// network computes exactly the small one's function. Attention grows by heads: head count times n with head_dim
/// kept (query and key/value heads alike, so the grouping of grouped-query attention is kept); LayerNorm and RMSNorm
/// statistics are unchanged because every unit has the same number of clones. Depth is unchanged.
/// Optional noise (<see cref="HyperCloningOptions.NoiseStd"/>) is added across the clones of each read axis with zero
/// sum per unit, so it differentiates the clones without changing the function.
/// Axis roles come from the model's <see cref="ModelLayout"/>; the operator works on any layout.
/// </summary>
public sealed class HyperCloning : IGrowthOperator, IHeadDimPreserving
{
    /// <summary>Creates the operator.</summary>
    /// <param name="options">Noise; <see cref="HyperCloningOptions.Default"/> when null.</param>
    public HyperCloning(HyperCloningOptions? options = null) => Options = options ?? HyperCloningOptions.Default;

    /// <summary>The operator's options.</summary>
    public HyperCloningOptions Options { get; }

    /// <inheritdoc />
    public string Name => "hypercloning";

    /// <inheritdoc />
    public bool MapsMoments => true;

    /// <inheritdoc />
    public void Validate(ModelLayout layout, ModelShape from, ModelShape to)
    {
        WidthExpansion.Validate(layout, from, to);
        GrowthValidation.Same(from.HeadDim, to.HeadDim, nameof(TransformerConfig.HeadDim));
        GrowthValidation.Multiple(from.DModel, to.DModel, nameof(TransformerConfig.DModel));
        GrowthValidation.Multiple(from.FeedForwardSize, to.FeedForwardSize, nameof(TransformerConfig.FeedForwardSize));
        GrowthValidation.Multiple(from.Heads, to.Heads, nameof(TransformerConfig.Heads));
        GrowthValidation.Multiple(from.KvHeads, to.KvHeads, nameof(TransformerConfig.KvHeads));
    }

    /// <inheritdoc />
    public Dictionary<string, Tensor> Grow(GrowthPlan plan, IReadOnlyDictionary<string, Tensor> weights, GrowthContext context)
    {
        plan.Require(this, weights, context);
        var width = WidthPlan.Draw(plan.From, plan.To, UnitMapping.RoundRobin, context.Seed); // clone k of unit i is unit i + k d
        if (Options.NoiseStd == 0) return WidthExpansion.Grow(weights, plan.Layout, plan.To, width);
        var device = weights.Values.First().device;
        using var generator = new Generator(unchecked((ulong)context.Seed), device);
        return WidthExpansion.Grow(weights, plan.Layout, plan.To, width, (rule, _, cols, weight) =>
            rule.Columns is { Reads: true } && cols is not null ? weight + ZeroSumNoise(cols, weight, generator) : weight);
    }

    /// <summary>Moments map like gradients: first moments by 1/(N s) per axis, second by its square.</summary>
    public Dictionary<string, Tensor> MapMoments(GrowthPlan plan, IReadOnlyDictionary<string, Tensor> moments, MomentKind kind,
        GrowthContext context) =>
        WidthExpansion.MapMoments(this, plan, moments, kind, context, UnitMapping.RoundRobin);

    /// <summary>η - mean of η over the clones of the same column unit: Σ over the clones of a unit is 0 in every row.</summary>
    private Tensor ZeroSumNoise(AxisMap cols, Tensor weight, Generator generator)
    {
        var noise = randn(weight.shape, dtype: weight.dtype, device: weight.device, generator: generator) * Options.NoiseStd;
        var source = tensor(cols.Source, dtype: int64, device: weight.device);
        long small = cols.Source.Max() + 1;
        var perUnit = zeros([weight.shape[0], small], dtype: weight.dtype, device: weight.device).index_add_(1, source, noise, 1);
        var count = AxisMap.Broadcast(cols.Count, 1, 2, weight.dtype, weight.device);
        return noise - perUnit.index_select(1, source) / count;
    }
}
