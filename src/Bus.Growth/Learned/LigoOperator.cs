using Bus.Core.Growth;
using Bus.Core.Model;
using Bus.Growth.Operators;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Bus.Growth.Learned;

/// <summary>
/// LiGO, the learned linear growth operator (Wang et al., ICLR 2023, "Learning to Grow Pretrained Models", §3):
/// <list type="bullet">
/// <item><b>Width</b>: every weight matrix of type t grows as W_big = A_t W_small B_t^T (eq. 5), with one out-expansion
/// A_t [O_big, O_small] and one in-expansion B_t [I_big, I_small] per type, shared by all layers. Because
/// vec(A W B^T) = (B ⊗ A) vec(W), this is exactly the Kronecker-factorised width operator of the paper: the full
/// [O_big·I_big, O_small·I_small] operator is never formed. Types: q, k, v, o, fc1, fc2 (each with its own A and B; a
/// linear's bias grows as A_t b); the residual-stream expansion A_emb grows the token and position embeddings
/// (W E^T with E = A_emb) and maps every LayerNorm gain and shift (ln1, ln2, ln_f) as vectors (A_emb v); the head
/// reads the stream through its own B_head (W_head B_head^T; its bias is kept).</item>
/// <item><b>Depth</b> (eq. 6): big layer l of module m is a learned linear combination of the small layers,
/// W_big,l = Σ_j w^m_{l,j} W_small,j, with one [L_big, L_small] matrix w^m per module (ln1, q, k, v, o, ln2, fc1, fc2;
/// a module's weight and bias share it), initialised to stacking (one-hot: l takes j = l mod L_small, StackBERT).</item>
/// <item><b>Initialisation</b>: A = Copy(g) = [I; random-row-copy] and B = Split(g) (the same one-hot rows divided by the
/// copy count), i.e. the Net2Net / bert2BERT FPI expansion (<see cref="WidthMapping"/>); so with Steps = 0 the grown
/// model is exactly that expansion stacked in depth.</item>
/// <item><b>Training</b>: the small weights are frozen; A, B and w are trained with Adam for <see cref="LigoOptions.Steps"/>
/// steps on the task loss of the grown model (built functionally, <see cref="FunctionalTransformer"/>); each step is
/// charged to <see cref="GrowthContext.Meter"/> at the big model's cost; then the weights are materialised into a plain
/// <see cref="GrowableTransformer"/>.</item>
/// </list>
/// </summary>
public sealed class LigoOperator : IGrowthOperator
{
    /// <summary>Creates the operator with <paramref name="options"/> (defaults when null).</summary>
    public LigoOperator(LigoOptions? options = null) => Options = options ?? new LigoOptions();

    /// <summary>The operator's options.</summary>
    public LigoOptions Options { get; }

    /// <inheritdoc />
    public string Name => "ligo";

    /// <summary>Linear block modules with their own A (out) and B (in); width kinds of (out, in).</summary>
    internal static readonly (string Module, bool OutIsFf, bool InIsFf)[] Linears = GptLayout.Layout.Rules
        .Where(r => r.PerBlock && r.Kind == ParameterKind.Weight)
        .Select(r => (r.BlockSuffix[..^".weight".Length], r.Rows.Space == AxisSpace.Mlp, r.Columns?.Space == AxisSpace.Mlp)).ToArray();

    /// <summary>Block LayerNorms, grown by A_emb (the layout's per-block norm gains).</summary>
    internal static readonly string[] Norms = GptLayout.Layout.Rules
        .Where(r => r.PerBlock && r.Kind == ParameterKind.NormGain).Select(r => r.BlockSuffix[..^".weight".Length]).ToArray();

    /// <inheritdoc />
    public void Validate(TransformerConfig source, TransformerConfig target)
    {
        GrowthValidation.RequireCompatible(source, target);
        if (source.Architecture != ModelArchitecture.Gpt)
            throw new ArgumentException($"LiGO is implemented for the GPT family only; got architecture {source.Architecture}.", nameof(source));
    }

    /// <inheritdoc />
    public GrowableTransformer Grow(GrowableTransformer source, TransformerConfig target, GrowthContext context) =>
        GrowWithReport(source, target, context).Model;

    /// <summary>Trains the operator, materialises the grown model and reports the per-step task loss.</summary>
    /// <exception cref="InvalidOperationException">Steps &gt; 0 and the context lacks training data or an objective.</exception>
    public LearnedGrowthResult GrowWithReport(GrowableTransformer source, TransformerConfig target, GrowthContext context)
    {
        ArgumentNullException.ThrowIfNull(source);
        ArgumentNullException.ThrowIfNull(context);
        Validate(source.Config, target);
        var small = source.Config;
        long seed = Options.Seed ?? context.Seed;
        return LearnedGrowthTraining.Grow(source, target, context, seed, Options.Steps, Options.LearningRate, inputs =>
        {
            var (_, _, w, gd, gf, device, _) = inputs;
            Parameter Learn(Tensor init) => new(init.to(device), requires_grad: true);
            Parameter Copy(bool ff) => Learn(ff ? WidthMapping.Copy(gf, small.DFf) : WidthMapping.Copy(gd, small.DModel));
            Parameter Split(bool ff) => Learn(ff ? WidthMapping.Split(gf, small.DFf) : WidthMapping.Split(gd, small.DModel));

            var aEmb = Copy(false);
            var bHead = Split(false);
            var a = Linears.ToDictionary(t => t.Module, t => Copy(t.OutIsFf));
            var b = Linears.ToDictionary(t => t.Module, t => Split(t.InIsFf));
            var depth = Linears.Select(t => t.Module).Concat(Norms)
                .ToDictionary(m => m, _ => Learn(WidthMapping.Stacking(small.Layers, target.Layers)));

            var stacked = StackLayers(w, small.Layers);
            Dictionary<string, Tensor> Build()
            {
                var big = new Dictionary<string, Tensor>
                {
                    [ParameterNames.TokenEmbedding] = w[ParameterNames.TokenEmbedding].matmul(aEmb.t()),
                    [ParameterNames.PositionEmbedding] = w[ParameterNames.PositionEmbedding].matmul(aEmb.t()),
                    [ParameterNames.FinalNormWeight] = aEmb.matmul(w[ParameterNames.FinalNormWeight]),
                    [ParameterNames.FinalNormBias] = aEmb.matmul(w[ParameterNames.FinalNormBias]),
                    [ParameterNames.HeadWeight] = w[ParameterNames.HeadWeight].matmul(bHead.t()),
                    [ParameterNames.HeadBias] = w[ParameterNames.HeadBias],
                };
                foreach (var (m, _, _) in Linears)
                {
                    AddLayers(big, $"{m}.weight", Expand(stacked[$"{m}.weight"], depth[m], a[m], b[m]));
                    AddLayers(big, $"{m}.bias", ExpandVectors(stacked[$"{m}.bias"], depth[m], a[m]));
                }
                foreach (var m in Norms)
                {
                    AddLayers(big, $"{m}.weight", ExpandVectors(stacked[$"{m}.weight"], depth[m], aEmb));
                    AddLayers(big, $"{m}.bias", ExpandVectors(stacked[$"{m}.bias"], depth[m], aEmb));
                }
                return big;
            }

            var parameters = new List<Parameter> { aEmb, bHead };
            parameters.AddRange(a.Values);
            parameters.AddRange(b.Values);
            parameters.AddRange(depth.Values);
            return (parameters, Build);
        });
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

    /// <summary>Every block parameter stacked over layers: suffix -> [L, ...].</summary>
    internal static Dictionary<string, Tensor> StackLayers(IReadOnlyDictionary<string, Tensor> weights, int layers) =>
        ParameterNames.BlockSuffixes.ToDictionary(
            s => s, s => stack(Enumerable.Range(0, layers).Select(l => weights[ParameterNames.Block(l, s)]).ToArray()));

    /// <summary>Writes the rows of <paramref name="perLayer"/> [L, ...] as blocks.{l}.<paramref name="suffix"/>.</summary>
    internal static void AddLayers(Dictionary<string, Tensor> weights, string suffix, Tensor perLayer)
    {
        var rows = perLayer.unbind(0);
        for (int l = 0; l < rows.Length; l++) weights[ParameterNames.Block(l, suffix)] = rows[l];
    }
}
