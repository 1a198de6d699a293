namespace Bus.Growth.Learned;

/// <summary>
/// LiGO, the learned linear growth operator (Wang et al., ICLR 2023, "Learning to Grow Pretrained Models", §3):
/// <list type="bullet">
/// <item><b>Width</b>: every weight matrix of type t (one rule of the <see cref="ModelLayout"/>) grows as
/// W_big = A_t W_small B_t^T (eq. 5), with one out-expansion A_t [O_big, O_small] and one in-expansion B_t [I_big, I_small]
/// per type, shared by all layers. Because vec(A W B^T) = (B ⊗ A) vec(W), this is exactly the Kronecker-factorised width
/// operator of the paper: the full [O_big·I_big, O_small·I_small] operator is never formed. A linear's bias grows with its
/// weight's A_t (A_t b); every other vector (norm gains and shifts) and the embeddings' residual axis grow by one shared
/// expansion per layout axis (e.g. A_emb for the residual stream: E A_emb^T, A_emb g). Axes of fixed size (vocabulary,
/// positions, outputs) are not expanded.</item>
/// <item><b>Depth</b> (eq. 6): big layer l of module m is a learned linear combination of the small layers,
/// W_big,l = Σ_j w^m_{l,j} W_small,j, with one [L_big, L_small] matrix w^m per block module (e.g. ln1, q, k, v, o, ln2,
/// fc1/gate/up, fc2/down; a module's weight and bias share it), initialised to stacking (one-hot: l takes
/// j = l mod L_small, StackBERT).</item>
/// <item><b>Initialisation</b>: A and B are the matrices of the Net2Net / bert2BERT unit mappings that
/// <see cref="Operators.FunctionPreservingWidth"/> draws for every axis of the layout (copy on produced axes, split on
/// read axes, whole heads under grouped-query attention, the query rescale when head_dim grows; one d_ff mapping shared by
/// all blocks); so with Steps = 0 the grown model is exactly that width expansion (of a one-block model) stacked in depth.</item>
/// <item><b>Training</b>: the small weights are frozen; A, B and w are trained with Adam for <see cref="LearnedGrowthOptions.Steps"/>
/// steps on the task loss of the grown model, run through a <see cref="FunctionalForward"/> (for
/// <see cref="GrowableTransformer"/>, <see cref="FunctionalTransformer"/>, either family); each step is charged to
/// <see cref="GrowthContext.Meter"/> at the big model's cost; then the weights are materialised.</item>
/// </list>
/// </summary>
public sealed class LigoOperator(LigoOptions? options = null) : LearnedGrowthOperator("ligo", options ?? new LigoOptions())
{
    /// <summary>The operator's options.</summary>
    public LigoOptions Options => (LigoOptions)Settings;

    // A W B^T for a matrix, A v for a vector; a null factor is the identity.
    private static Tensor Apply(Tensor value, Tensor? a, Tensor? b)
    {
        var result = a is null ? value : a.matmul(value);
        return b is null ? result : result.matmul(b.t());
    }

    /// <summary>
    /// LiGO for one matrix type (eqs. 5-6): layers [L_small, o, i], depth w [L_big, L_small], A [O, o], B [I, i] ->
    /// [L_big, O, I] with big_l = A (Σ_j w_{l,j} W_j) B^T.
    /// </summary>
    public static Tensor Expand(Tensor layers, Tensor depth, Tensor a, Tensor b)
    {
        ArgumentNullException.ThrowIfNull(layers);
        ArgumentNullException.ThrowIfNull(depth);
        ArgumentNullException.ThrowIfNull(a);
        ArgumentNullException.ThrowIfNull(b);
        using var mixed = einsum("lj,joi->loi", depth, layers);
        using var left = a.matmul(mixed);
        return left.matmul(b.t());
    }

    /// <summary>Vectors [L_small, o] -> [L_big, O]: big_l = A (Σ_j w_{l,j} v_j).</summary>
    public static Tensor ExpandVectors(Tensor layers, Tensor depth, Tensor a)
    {
        ArgumentNullException.ThrowIfNull(layers);
        ArgumentNullException.ThrowIfNull(depth);
        ArgumentNullException.ThrowIfNull(a);
        using var mixed = depth.matmul(layers);
        return mixed.matmul(a.t());
    }

    private protected override Func<Dictionary<string, Tensor>> Setup(LearnedGrowthTraining.SetupInputs inputs)
    {
        var (w, layout, from, to, plan, _, _) = inputs;
        // The expansion of one axis, initialised to its unit mapping; null (identity) for axes of fixed size.
        Tensor? Expansion(LayoutAxis axis, AxisMap map) =>
            axis.Space is AxisSpace.Vocabulary or AxisSpace.Positions or AxisSpace.Outputs or AxisSpace.None
                ? null : inputs.Learn(LearnedGrowthTraining.Matrix(map, from.Size(axis.Space)));

        // A_t and B_t of every weight type (eq. 5).
        var own = new Dictionary<string, (Tensor? A, Tensor? B, LayoutAxis Rows)>();
        foreach (var rule in layout.Rules.Where(r => r.Kind == ParameterKind.Weight))
        {
            var (rows, cols) = plan.Axes(rule, rule.PerBlock ? 0 : -1);
            own[LearnedGrowthTraining.Module(rule)] = (Expansion(rule.Rows, rows), rule.Columns is { } c ? Expansion(c, cols!) : null,
                rule.Rows);
        }
        // One shared expansion per axis for everything else (embeddings' residual axis, norm gains and shifts).
        var shared = new Dictionary<LayoutAxis, Tensor?>();
        Tensor? Shared(LayoutAxis axis, AxisMap map)
        {
            if (!shared.TryGetValue(axis, out var e)) shared[axis] = e = Expansion(axis, map);
            return e;
        }
        var factors = new Dictionary<string, (Tensor? A, Tensor? B)>();
        foreach (var rule in layout.Rules)
        {
            var (rows, cols) = plan.Axes(rule, rule.PerBlock ? 0 : -1);
            factors[rule.Pattern] = rule.Kind switch
            {
                ParameterKind.Weight => (own[LearnedGrowthTraining.Module(rule)].A, own[LearnedGrowthTraining.Module(rule)].B),
                ParameterKind.Bias when own.TryGetValue(LearnedGrowthTraining.Module(rule), out var o) && o.Rows == rule.Rows
                    => (o.A, null),
                _ => (rule.Rows.Space is AxisSpace.Vocabulary or AxisSpace.Positions ? null : Shared(rule.Rows, rows),
                      rule.Columns is { } c ? Shared(c, cols!) : null),
            };
        }
        // w^m of every block module (eq. 6), initialised to stacking.
        var depth = layout.Rules.Where(r => r.PerBlock).Select(LearnedGrowthTraining.Module).Distinct()
            .ToDictionary(m => m, _ => (Tensor)inputs.Learn(WidthMapping.Stacking(from.Layers, to.Layers)));
        var stacked = layout.Rules.Where(r => r.PerBlock).ToDictionary(r => r.Pattern, r => LearnedGrowthTraining.StackLayers(w, r,
            from.Layers));

        Dictionary<string, Tensor> Build()
        {
            var big = new Dictionary<string, Tensor>();
            foreach (var rule in layout.Rules)
            {
                var (a, b) = factors[rule.Pattern];
                if (!rule.PerBlock)
                {
                    big[rule.Pattern] = Apply(w[rule.Pattern], a, b);
                    continue;
                }
                // big_l = A (Σ_j w_{l,j} W_j) B^T
                var mixed = einsum("lj,j...->l...", depth[LearnedGrowthTraining.Module(rule)], stacked[rule.Pattern]);
                var rows = mixed.unbind(0);
                for (int l = 0; l < rows.Length; l++) big[rule.Name(l)] = Apply(rows[l], a, b);
            }
            return big;
        }

        return Build;
    }
}
