namespace Bus.Growth.Operators;

/// <summary>
/// Shared body of the depth operators: width must not change, every grown block either copies a trained block
/// (<see cref="SourceBlock"/>) or is new; non-block parameters (embeddings, final norm, head) are copied. New blocks
/// get the fresh initialisation of their <see cref="ParameterKind"/> from a generator seeded by the context, then
/// <see cref="InitialiseNew"/>. Optimizer moments are copied by the same block mapping; new blocks keep a fresh state.
/// Which parameters are per-block comes from the model's <see cref="ModelLayout"/>, so any layout grows.
/// </summary>
public abstract class DepthGrowth : IGrowthOperator
{
    /// <inheritdoc />
    public abstract string Name { get; }

    /// <inheritdoc />
    public bool MapsMoments => true;

    /// <summary>The trained block that grown block <paramref name="targetLayer"/> copies, or null for a new block.</summary>
    /// <param name="targetLayer">Index of a block of the grown model.</param>
    /// <param name="sourceLayers">Blocks of the small model.</param>
    /// <param name="targetLayers">Blocks of the grown model.</param>
    public abstract int? SourceBlock(int targetLayer, int sourceLayers, int targetLayers);

    /// <inheritdoc />
    public virtual void Validate(ModelLayout layout, ModelShape from, ModelShape to)
    {
        GrowthArguments.SameWidth(from, to);
    }

    /// <inheritdoc />
    public Dictionary<string, Tensor> Grow(GrowthPlan plan, IReadOnlyDictionary<string, Tensor> weights, GrowthContext context)
    {
        plan.Require(this, weights, context);
        var (from, to) = (plan.From, plan.To);
        var any = weights.Values.First();
        using var generator = new Generator(unchecked((ulong)context.Seed), any.device);
        using var noGrad = no_grad();
        var grown = new Dictionary<string, Tensor>();
        foreach (var (name, rule, layer, shape) in plan.Layout.Parameters(to))
        {
            if (SourceName(rule, layer, from, to) is { } source)
            {
                grown[name] = weights[source].detach().clone();
                continue;
            }
            var fresh = empty(shape, dtype: any.dtype, device: any.device);
            GrowableTransformer.FreshInitialise(rule.Kind, fresh, generator);
            InitialiseNew(rule, fresh);
            grown[name] = fresh;
        }
        return grown;
    }

    /// <summary>Copies each moment by the block mapping of <see cref="MomentSourceBlock"/>; parameters of new blocks are absent (fresh
    /// state).</summary>
    public Dictionary<string, Tensor> MapMoments(GrowthPlan plan, IReadOnlyDictionary<string, Tensor> moments, MomentKind kind,
        GrowthContext context)
    {
        plan.Require(this, moments);
        using var noGrad = no_grad();
        var mapped = new Dictionary<string, Tensor>();
        foreach (var (name, rule, layer, _) in plan.Layout.Parameters(plan.To))
            if (MomentSourceName(rule, layer, plan.From, plan.To) is { } source) mapped[name] = moments[source].detach().clone();
        return mapped;
    }

    /// <summary>Sets a parameter of a new block (it already holds the fresh initialisation of its kind).</summary>
    /// <param name="rule">The parameter's layout rule.</param>
    /// <param name="parameter">The parameter to set.</param>
    protected virtual void InitialiseNew(ParameterRule rule, Tensor parameter)
    {
    }

    /// <summary>Name of the small parameter that grown parameter <paramref name="name"/> copies, or null for a new block.</summary>
    public string? SourceName(string name, TransformerConfig source, TransformerConfig target)
    {
        ArgumentNullException.ThrowIfNull(name);
        ArgumentNullException.ThrowIfNull(source);
        ArgumentNullException.ThrowIfNull(target);
        var (rule, layer) = ModelLayout.For(target).Resolve(name);
        return SourceName(rule, layer, ModelShape.From(source), ModelShape.From(target));
    }

    /// <summary>
    /// The trained block whose optimizer moments grown block <paramref name="targetLayer"/> takes, or null for a fresh
    /// state; by default the block its weights copy (<see cref="SourceBlock"/>).
    /// </summary>
    public virtual int? MomentSourceBlock(int targetLayer, int sourceLayers, int targetLayers) => SourceBlock(targetLayer, sourceLayers,
        targetLayers);

    private string? SourceName(ParameterRule rule, int layer, ModelShape from, ModelShape to) =>
        !rule.PerBlock ? rule.Name(-1) : SourceBlock(layer, from.Layers, to.Layers) is int source ? rule.Name(source) : null;

    private string? MomentSourceName(ParameterRule rule, int layer, ModelShape from, ModelShape to) =>
        !rule.PerBlock ? rule.Name(-1) : MomentSourceBlock(layer, from.Layers, to.Layers) is int source ? rule.Name(source) : null;

    /// <summary>Throws unless the target depth is a whole multiple of the source depth.</summary>
    protected static void RequireMultiple(ModelShape from, ModelShape to)
    {
        ArgumentNullException.ThrowIfNull(from);
        ArgumentNullException.ThrowIfNull(to);
        if (to.Layers % from.Layers != 0)
            throw new ArgumentException($"Layers must grow by a whole factor: source {from.Layers}, target {to.Layers}.",
                nameof(TransformerConfig.Layers));
    }
}
