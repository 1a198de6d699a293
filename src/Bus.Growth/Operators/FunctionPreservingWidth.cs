namespace Bus.Growth.Operators;

/// <summary>
/// Function-preserving width growth: Net2WiderNet (Chen, Goodfellow and Shlens, ICLR 2016, eq. 1-2) as
/// applied to transformers by bert2BERT's function-preserving initialisation (Chen et al., ACL 2022, sec. 3.1).
/// A mapping g sends each new unit j to an old unit (identity for the first n, then <see cref="UnitMapping"/>);
/// incoming weights are copied, W_in'[j, :] = W_in[g(j), :], and outgoing weights are split,
/// W_out'[:, j] = W_out[:, g(j)] / |{k: g(k) = g(j)}|. It is applied on three kinds of axis:
/// <list type="bullet">
/// <item><term>d_ff</term><description>fc1 rows (and bias) copied, fc2 columns split; one mapping per block. Exact for any
/// mapping.</description></item>
/// <item><term>attention (heads x head_dim)</term><description>whole heads are duplicated (q/k/v rows of a head
/// copied, o columns split), and when head_dim grows, dimensions inside every head are duplicated too; q rows are then
/// scaled by sqrt(hd'/hd) / c_d so that q·k / sqrt(hd') is unchanged. Supported: heads and head_dim both do not shrink
/// (target d_model = heads' x head_dim'); growing heads at constant head_dim therefore means growing d_model with it.
/// Exact for any mapping.</description></item>
/// <item><term>d_model (residual stream)</term><description>every matrix writing the stream (tok/pos embedding,
/// attn.o, fc2, and LayerNorm gains/biases) copies its rows; every matrix reading it (q, k, v, fc1, head) splits its
/// columns. LayerNorm and RMSNorm are exact only when their statistics are preserved, i.e. when every unit has the same
/// number of copies (<see cref="UnitMapping.RoundRobin"/> with d_model' a multiple of d_model); otherwise the grown
/// model only approximates the small one (the statistics of the duplicated stream are re-weighted).</description></item>
/// <item><term>grouped-query attention</term><description>key/value heads map by their own g_kv; a grown query head
/// copies an old head of the group its key/value head copies, so every head reads what
/// its source read. Under RoPE head_dim is kept.</description></item>
/// </list>
/// Which axis is which comes from the model's <see cref="ModelLayout"/> only: the operator works on any layout.
/// Depth is unchanged. With <see cref="FunctionPreservingWidthOptions.NoiseStd"/> &gt; 0, Gaussian noise is added to
/// the weights of new units. Maps optimizer moments (<see cref="MapMoments"/>): they map like gradients.
/// </summary>
public sealed class FunctionPreservingWidth : IGrowthOperator
{
    /// <summary>Creates the operator.</summary>
    /// <param name="options">Mapping and noise; <see cref="FunctionPreservingWidthOptions.Default"/> when null.</param>
    public FunctionPreservingWidth(FunctionPreservingWidthOptions? options = null) => Options = options
        ?? FunctionPreservingWidthOptions.Default;

    /// <summary>The operator's options.</summary>
    public FunctionPreservingWidthOptions Options { get; }

    /// <inheritdoc />
    public string Name => Options.Mapping == UnitMapping.RoundRobin ? "fpi-width-rr" : "fpi-width";

    /// <inheritdoc />
    public bool MapsMoments => true;

    /// <inheritdoc />
    public void Validate(ModelLayout layout, ModelShape from, ModelShape to) => WidthExpansion.Validate(layout, from, to);

    /// <inheritdoc />
    public Dictionary<string, Tensor> Grow(GrowthPlan plan, IReadOnlyDictionary<string, Tensor> weights, GrowthContext context)
    {
        plan.Require(this, weights, context);
        var width = WidthPlan.Draw(plan.From, plan.To, Options.Mapping, context.Seed);
        if (Options.NoiseStd == 0) return WidthExpansion.Grow(weights, plan.Layout, plan.To, width);
        var device = weights.Values.First().device;
        using var generator = new Generator(unchecked((ulong)context.Seed), device);
        return WidthExpansion.Grow(weights, plan.Layout, plan.To, width, (_, rows, cols, weight) => weight + NewUnitNoise(rows, cols,
            weight, generator));
    }

    /// <summary>Moments map like gradients: first moments by 1/(N s) per axis, second by its square (see
    /// <c>WidthExpansion.MapMoments</c>).</summary>
    public Dictionary<string, Tensor> MapMoments(GrowthPlan plan, IReadOnlyDictionary<string, Tensor> moments, MomentKind kind,
        GrowthContext context) =>
        WidthExpansion.MapMoments(this, plan, moments, kind, context, Options.Mapping);

    private Tensor NewUnitNoise(AxisMap rows, AxisMap? cols, Tensor weight, Generator generator)
    {
        var rowNew = tensor(rows.IsNew, device: weight.device);
        var mask = cols is null ? rowNew : rowNew.unsqueeze(1).logical_or(tensor(cols.IsNew, device: weight.device).unsqueeze(0));
        var noise = randn(weight.shape, dtype: weight.dtype, device: weight.device, generator: generator) * Options.NoiseStd;
        return noise * mask.to_type(weight.dtype);
    }
}
