using Bus.Core.Growth;
using Bus.Core.Model;
using TorchSharp;
using static TorchSharp.torch;

namespace Bus.Growth.Operators;

/// <summary>
/// Function-preserving width growth: Net2WiderNet (Chen, Goodfellow and Shlens, ICLR 2016, eq. 1-2) as
/// applied to transformers by bert2BERT's function-preserving initialisation (Chen et al., ACL 2022, sec. 3.1).
/// A mapping g sends each new unit j to an old unit (identity for the first n, then <see cref="UnitMapping"/>);
/// incoming weights are copied, W_in'[j, :] = W_in[g(j), :], and outgoing weights are split,
/// W_out'[:, j] = W_out[:, g(j)] / |{k: g(k) = g(j)}|. It is applied on three kinds of axis:
/// <list type="bullet">
/// <item><term>d_ff</term><description>fc1 rows (and bias) copied, fc2 columns split; one mapping per block. Exact for any mapping.</description></item>
/// <item><term>attention (heads x head_dim)</term><description>whole heads are duplicated (q/k/v rows of a head
/// copied, o columns split), and when head_dim grows, dimensions inside every head are duplicated too; q rows are then
/// scaled by sqrt(hd'/hd) / c_d so that q·k / sqrt(hd') is unchanged. Supported: heads and head_dim both do not shrink
/// (target d_model = heads' x head_dim'); growing heads at constant head_dim therefore means growing d_model with it.
/// Exact for any mapping.</description></item>
/// <item><term>d_model (residual stream)</term><description>every matrix writing the stream (tok/pos embedding,
/// attn.o, fc2, and LayerNorm gains/biases) copies its rows; every matrix reading it (q, k, v, fc1, head) splits its
/// columns. LayerNorm is exact only when its mean and variance are preserved, i.e. when every unit has the same
/// number of copies (<see cref="UnitMapping.RoundRobin"/> with d_model' a multiple of d_model); otherwise the grown
/// model only approximates the small one (the statistics of the duplicated stream are re-weighted).</description></item>
/// </list>
/// Depth is unchanged. With <see cref="FunctionPreservingWidthOptions.NoiseStd"/> &gt; 0, Gaussian noise is added to
/// the weights of new units. Implements <see cref="IMomentMappingOperator"/>: optimizer moments map like gradients.
/// </summary>
public sealed class FunctionPreservingWidth : IMomentMappingOperator
{
    /// <summary>Creates the operator.</summary>
    /// <param name="options">Mapping and noise; <see cref="FunctionPreservingWidthOptions.Default"/> when null.</param>
    public FunctionPreservingWidth(FunctionPreservingWidthOptions? options = null) => Options = options ?? FunctionPreservingWidthOptions.Default;

    /// <summary>The operator's options.</summary>
    public FunctionPreservingWidthOptions Options { get; }

    /// <inheritdoc />
    public string Name => Options.Mapping == UnitMapping.RoundRobin ? "fpi-width-rr" : "fpi-width";

    /// <inheritdoc />
    public void Validate(TransformerConfig source, TransformerConfig target)
    {
        GrowthValidation.RequireCompatible(source, target);
        GrowthValidation.Same(source.Layers, target.Layers, nameof(TransformerConfig.Layers));
        if (target.HeadDim < source.HeadDim)
            throw new ArgumentException(
                $"Head dimension would shrink from {source.HeadDim} (d_model {source.DModel} / heads {source.Heads}) to {target.HeadDim} " +
                $"(d_model {target.DModel} / heads {target.Heads}); grow d_model with the heads.", nameof(target));
    }

    /// <inheritdoc />
    public GrowableTransformer Grow(GrowableTransformer source, TransformerConfig target, GrowthContext context)
    {
        ArgumentNullException.ThrowIfNull(source);
        ArgumentNullException.ThrowIfNull(context);
        Validate(source.Config, target);
        var plan = Plan(source.Config, target, context.Seed);
        var grown = new GrowableTransformer(target, source.Device);
        using var noGrad = no_grad();
        using var generator = new Generator(unchecked((ulong)context.Seed), source.Device);
        var small = source.named_parameters().ToDictionary(p => p.name, p => p.parameter);
        foreach (var (name, big) in grown.named_parameters())
        {
            using var scope = NewDisposeScope();
            var (rows, cols) = plan.Axes(name);
            var weight = Expand(small[name], rows, cols, rows.Scale, cols?.Scale);
            if (Options.NoiseStd > 0) weight = weight + NewUnitNoise(rows, cols, weight, generator);
            big.copy_(weight);
        }
        return grown;
    }

    /// <summary>
    /// Moments map like gradients. The grown loss satisfies L'(M theta) = L(theta), and copies of a unit are
    /// interchangeable, so every copy of small entry p (N_p copies, weight factor s_p) receives the gradient
    /// dL/dtheta_p / (N_p s_p): split weights (s = 1/c) keep their gradient, copied incoming weights (s = 1) get 1/c of it.
    /// First moments use that factor, second moments its square.
    /// </summary>
    public Tensor? MapState(string parameterName, MomentKind kind, IReadOnlyDictionary<string, Tensor> smallState,
        TransformerConfig source, TransformerConfig target, GrowthContext context)
    {
        ArgumentNullException.ThrowIfNull(smallState);
        ArgumentNullException.ThrowIfNull(context);
        Validate(source, target);
        if (!smallState.TryGetValue(parameterName, out var state))
            throw new ArgumentException($"No small-model state for parameter '{parameterName}'.", nameof(smallState));
        var (rows, cols) = Plan(source, target, context.Seed).Axes(parameterName);
        int power = kind == MomentKind.Second ? 2 : 1;
        double[] Factor(AxisMap axis) => axis.Count.Zip(axis.Scale, (c, s) => Math.Pow(1.0 / (c * s), power)).ToArray();
        using var noGrad = no_grad();
        return Expand(state, rows, cols, Factor(rows), cols is null ? null : Factor(cols));
    }

    /// <summary>The unit mappings for every axis, drawn in a fixed order from <paramref name="seed"/>.</summary>
    internal WidthPlan Plan(TransformerConfig source, TransformerConfig target, long seed)
    {
        var random = new Random(unchecked((int)(seed ^ (seed >> 32))));
        var residual = AxisMap.Units(source.DModel, target.DModel, Options.Mapping, random);
        var heads = AxisMap.Units(source.Heads, target.Heads, Options.Mapping, random);
        var headDims = AxisMap.Units(source.HeadDim, target.HeadDim, Options.Mapping, random);
        var ffn = Enumerable.Range(0, target.Layers)
            .Select(_ => AxisMap.Units(source.DFf, target.DFf, Options.Mapping, random)).ToArray();
        var attention = AxisMap.Attention(heads, headDims, source.HeadDim);
        // q'·k' / sqrt(hd') = q·k / sqrt(hd): each duplicated head dimension contributes c_d times, so q rows carry sqrt(hd'/hd) / c_d.
        double rescale = Math.Sqrt((double)target.HeadDim / source.HeadDim);
        var query = attention.WithScale(Enumerable.Range(0, attention.Length)
            .Select(u => rescale / headDims.Count[u % target.HeadDim]).ToArray());
        return new WidthPlan(source, target, residual, attention, query, ffn);
    }

    private static Tensor Expand(Tensor small, AxisMap rows, AxisMap? cols, double[] rowFactor, double[]? colFactor)
    {
        var expanded = rows.Apply(small, 0, rowFactor);
        if (cols is null) return expanded;
        using (expanded) return cols.Apply(expanded, 1, colFactor!);
    }

    private Tensor NewUnitNoise(AxisMap rows, AxisMap? cols, Tensor weight, Generator generator)
    {
        var rowNew = tensor(rows.IsNew, device: weight.device);
        var mask = cols is null ? rowNew : rowNew.unsqueeze(1).logical_or(tensor(cols.IsNew, device: weight.device).unsqueeze(0));
        var noise = randn(weight.shape, dtype: weight.dtype, device: weight.device, generator: generator) * Options.NoiseStd;
        return noise * mask.to_type(weight.dtype);
    }
}
