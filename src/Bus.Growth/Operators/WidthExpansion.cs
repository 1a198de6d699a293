namespace Bus.Growth.Operators;

/// <summary>
/// The shared body of the Net2Net-style width operators (<see cref="FunctionPreservingWidth"/>, <see cref="HyperCloning"/>):
/// W'[j, k] = W[g_r(j), g_c(k)] s_r(j) s_c(k) for every parameter of the layout, and the matching moment map.
/// </summary>
internal static class WidthExpansion
{
    /// <summary>Grows every parameter of <paramref name="layout"/>; <paramref name="perturb"/> may add noise to each grown
    /// tensor.</summary>
    public static Dictionary<string, Tensor> Grow(IReadOnlyDictionary<string, Tensor> weights, ModelLayout layout, ModelShape to,
        WidthPlan plan, Func<ParameterRule, AxisMap, AxisMap?, Tensor, Tensor>? perturb = null)
    {
        var grown = new Dictionary<string, Tensor>();
        using var noGrad = no_grad();
        try
        {
            foreach (var (name, rule, layer, _) in layout.Parameters(to))
            {
                using var scope = NewDisposeScope();
                var (rows, cols) = plan.Axes(rule, layer);
                var weight = Expand(weights[name], rows, cols, rows.Scale, cols?.Scale);
                if (perturb is not null) weight = perturb(rule, rows, cols, weight);
                grown[name] = weight.MoveToOuterDisposeScope();
            }
        }
        catch
        {
            foreach (var t in grown.Values) t.Dispose();
            throw;
        }
        return grown;
    }

    /// <summary>
    /// Moments map like gradients. The grown loss satisfies L'(M theta) = L(theta), and copies of a unit are
    /// interchangeable, so every copy of small entry p (N_p copies, weight factor s_p) receives the gradient
    /// dL/dtheta_p / (N_p s_p): split weights (s = 1/c) keep their gradient, copied weights (s = 1) get 1/c of it.
    /// First moments use that factor, second moments its square.
    /// </summary>
    public static Dictionary<string, Tensor> MapMoments(IReadOnlyDictionary<string, Tensor> moments, MomentKind kind, ModelLayout layout,
        ModelShape to, WidthPlan plan)
    {
        int power = kind == MomentKind.Second ? 2 : 1;
        double[] Factor(AxisMap axis) => axis.Count.Zip(axis.Scale, (c, s) => Math.Pow(1.0 / (c * s), power)).ToArray();
        using var noGrad = no_grad();
        var mapped = new Dictionary<string, Tensor>();
        foreach (var (name, rule, layer, _) in layout.Parameters(to))
        {
            var (rows, cols) = plan.Axes(rule, layer);
            mapped[name] = Expand(moments[name], rows, cols, Factor(rows), cols is null ? null : Factor(cols));
        }
        return mapped;
    }

    /// <summary>
    /// An operator's <c>MapMoments</c> over the unit mappings it grows with (drawn again from the context's seed): the
    /// arguments checked, then <see cref="MapMoments(IReadOnlyDictionary{string, Tensor}, MomentKind, ModelLayout, ModelShape,
    /// WidthPlan)"/>.
    /// </summary>
    public static Dictionary<string, Tensor> MapMoments(IGrowthOperator op, GrowthPlan plan, IReadOnlyDictionary<string, Tensor> moments,
        MomentKind kind, GrowthContext context, UnitMapping mapping)
    {
        plan.Require(op, moments, context);
        return MapMoments(moments, kind, plan.Layout, plan.To, WidthPlan.Draw(plan.From, plan.To, mapping, context.Seed));
    }

    /// <summary>Gathers rows then columns, multiplying by the per-index factors.</summary>
    public static Tensor Expand(Tensor small, AxisMap rows, AxisMap? cols, double[] rowFactor, double[]? colFactor)
    {
        var expanded = rows.Apply(small, 0, rowFactor);
        if (cols is null) return expanded;
        using (expanded) return cols.Apply(expanded, 1, colFactor!);
    }

    /// <summary>Width checks shared by the Net2Net-style operators: same depth, head_dim not shrinking (fixed under RoPE), query heads per
    /// key/value head not shrinking.</summary>
    public static void Validate(ModelLayout layout, ModelShape from, ModelShape to)
    {
        ArgumentNullException.ThrowIfNull(layout);
        GrowthArguments.SameLayers(from, to);
        if (to.HeadDim < from.HeadDim)
            throw new ArgumentException(
                $"Head dimension would shrink from {from.HeadDim} (d_model {from.DModel} / heads {from.Heads}) to {to.HeadDim} " +
                $"(d_model {to.DModel} / heads {to.Heads}); grow d_model with the heads.", "target");
        if (layout.RotaryHeads && to.HeadDim != from.HeadDim)
            throw new ArgumentException(
                $"Layout '{layout.Name}' rotates positions inside each head (RoPE), so head_dim must stay {from.HeadDim}, not " +
                    $"{to.HeadDim}: grow heads with d_model.", "target");
        if (to.Heads / to.KvHeads < from.Heads / from.KvHeads)
            throw new ArgumentException(
                $"Query heads per key/value head would shrink from {from.Heads / from.KvHeads} ({from.Heads}/{from.KvHeads}) to " +
                    $"{to.Heads / to.KvHeads} ({to.Heads}/{to.KvHeads}).", nameof(TransformerConfig.KvHeads));
    }
}
