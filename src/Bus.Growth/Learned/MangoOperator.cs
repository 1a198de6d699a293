using Bus.Core.Growth;
using Bus.Core.Model;
using Bus.Growth.Operators;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Bus.Growth.Learned;

/// <summary>
/// MANGO, the multi-linear growth operator (Pan et al., NeurIPS 2023, "Reusing Pretrained Models by Multi-linear
/// Operators for Efficient Training"; the steps in seed 000: concatenate the small weights into M1, train the operator
/// Φ, recover M2, split). Weights of the same shape family are concatenated into one tensor M1 [B, O, I, L]
/// (B weight types, O×I each, L layers) and mapped by a full linear operator decomposed as a tensor ring of four
/// cores (<see cref="TensorRingMpo"/>): type core S_B [R,B,B,R], out-width core S_O [R,O1,O2,R], in-width core
/// S_I [R,I1,I2,R], depth core S_L [R,L1,L2,R]. Families (each with its own four cores):
/// <list type="bullet">
/// <item><c>attn</c>: q, k, v, o weights, [4, d, d, L] (the type core mixes q, k, v and o: MANGO's cross-weight correlations);</item>
/// <item><c>fc1</c> [1, d_ff, d, L] and <c>fc2</c> [1, d, d_ff, L];</item>
/// <item><c>vec_d</c>: the nine d-vectors of a block (ln1, ln2 gain/shift; q, k, v, o, fc2 biases) as [9, d, 1, L];
/// <c>vec_f</c>: the fc1 bias [1, d_ff, 1, L];</item>
/// <item>non-block tensors, L = 1: token and position embeddings [1, V|T, d, 1], <c>ln_f</c> gain/shift [2, d, 1, 1],
/// head [1, C, d, 1] (the head bias is kept). Vocabulary, positions and classes do not grow: their cores are
/// [R, n, n, R], initialised to identity.</item>
/// </list>
/// Initialisation: the (0, 0) bond slice of every core is the Net2Net expansion used by <see cref="LigoOperator"/>
/// (S_O = Copy(g)^T, S_I = Split(g)^T for matrices, S_I = Copy(g)^T for the embeddings' d index, S_I = [1] for vectors, S_B = I, S_L = stacking^T); other bond
/// entries (rank &gt; 1) are N(0, RingNoise²), so the step-0 model equals the expansion exactly for rank 1 and up to
/// O(RingNoise²) otherwise. Training and materialisation are as for LiGO (Adam on the task loss, charged to the meter).
/// With rank 1 and S_B = I each family is LiGO with A and B shared within the family (tested).
/// </summary>
public sealed class MangoOperator : IGrowthOperator
{
    /// <summary>Creates the operator with <paramref name="options"/> (defaults when null).</summary>
    public MangoOperator(MangoOptions? options = null) => Options = options ?? new MangoOptions();

    /// <summary>The operator's options.</summary>
    public MangoOptions Options { get; }

    /// <inheritdoc />
    public string Name => "mango";

    private enum Dim { Model, Ff, Unit, Fixed }

    // InCopies: the in-index is written to the residual stream (embeddings), so it is copied rather than split.
    private sealed record Family(string Name, string[] Names, bool Block, Dim Out, Dim In, bool InCopies = false);

    private static readonly Family[] Families =
    [
        new("attn", ["attn.q.weight", "attn.k.weight", "attn.v.weight", "attn.o.weight"], true, Dim.Model, Dim.Model),
        new("fc1", ["mlp.fc1.weight"], true, Dim.Ff, Dim.Model),
        new("fc2", ["mlp.fc2.weight"], true, Dim.Model, Dim.Ff),
        new("vec_d", ["ln1.weight", "ln1.bias", "attn.q.bias", "attn.k.bias", "attn.v.bias", "attn.o.bias", "ln2.weight", "ln2.bias", "mlp.fc2.bias"], true, Dim.Model, Dim.Unit),
        new("vec_f", ["mlp.fc1.bias"], true, Dim.Ff, Dim.Unit),
        new("tok_emb", [ParameterNames.TokenEmbedding], false, Dim.Fixed, Dim.Model, InCopies: true),
        new("pos_emb", [ParameterNames.PositionEmbedding], false, Dim.Fixed, Dim.Model, InCopies: true),
        new("ln_f", [ParameterNames.FinalNormWeight, ParameterNames.FinalNormBias], false, Dim.Model, Dim.Unit),
        new("head", [ParameterNames.HeadWeight], false, Dim.Fixed, Dim.Model),
    ];

    /// <inheritdoc />
    public void Validate(TransformerConfig source, TransformerConfig target)
    {
        GrowthValidation.RequireCompatible(source, target);
        if (source.Architecture != ModelArchitecture.Gpt)
            throw new ArgumentException($"MANGO is implemented for the GPT family only; got architecture {source.Architecture}.", nameof(source));
    }

    /// <inheritdoc />
    public GrowableTransformer Grow(GrowableTransformer source, TransformerConfig target, GrowthContext context) =>
        GrowWithReport(source, target, context).Model;

    /// <summary>Trains the four-core operator of every family, materialises the grown model and reports the per-step task loss.</summary>
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
            var (_, _, w, gd, gf, device, random) = inputs;
            var parameters = new List<Parameter>();
            var builders = new List<Action<Dictionary<string, Tensor>>>();

            foreach (var family in Families)
            {
                Tensor[] perType = family.Names.Select(n => family.Block
                    ? stack(Enumerable.Range(0, small.Layers).Select(l => AsMatrix(w[ParameterNames.Block(l, n)])).ToArray(), dim: 2)
                    : AsMatrix(w[n]).unsqueeze(2)).ToArray();
                var m1 = stack(perType);                                      // [B, O, I, L]
                int types = family.Names.Length, lSmall = family.Block ? small.Layers : 1, lBig = family.Block ? target.Layers : 1;
                Parameter Core(Tensor init) { var p = new Parameter(Ring(init, Options.Rank, Options.RingNoise, random).to(device), requires_grad: true); parameters.Add(p); return p; }
                var sB = Core(eye(types));
                var sO = Core(Expansion(family.Out, (int)m1.shape[1], gd, gf, copy: true).t());
                var sI = Core(Expansion(family.In, (int)m1.shape[2], gd, gf, copy: family.InCopies).t());
                var sL = Core(WidthMapping.Stacking(lSmall, lBig).t());
                builders.Add(big =>
                {
                    var m2 = TensorRingMpo.Apply(m1, sB, sO, sI, sL);           // [B, O2, I2, L2]
                    for (int b = 0; b < types; b++)
                        for (int l = 0; l < lBig; l++)
                        {
                            string name = family.Block ? ParameterNames.Block(l, family.Names[b]) : family.Names[b];
                            var slice = m2[b, TensorIndex.Colon, TensorIndex.Colon, l];
                            big[name] = family.Out != Dim.Fixed && family.In == Dim.Unit ? slice.squeeze(1) : slice;
                        }
                });
            }

            Dictionary<string, Tensor> Build()
            {
                var big = new Dictionary<string, Tensor> { [ParameterNames.HeadBias] = w[ParameterNames.HeadBias] };
                foreach (var build in builders) build(big);
                return big;
            }

            return (parameters, Build);
        });
    }

    private static Tensor AsMatrix(Tensor t) => t.dim() == 1 ? t.unsqueeze(1) : t;

    // [big, small] initial expansion along one index: Copy for out-indices, Split for in-indices (Net2Net FPI).
    private static Tensor Expansion(Dim dim, int small, int[] gd, int[] gf, bool copy) => dim switch
    {
        Dim.Model => copy ? WidthMapping.Copy(gd, small) : WidthMapping.Split(gd, small),
        Dim.Ff => copy ? WidthMapping.Copy(gf, small) : WidthMapping.Split(gf, small),
        _ => eye(small),
    };

    // Core [R, n1, n2, R]: bond slice (0, 0) = init [n1, n2]; other bond entries N(0, noise^2).
    private static Tensor Ring(Tensor init, int rank, double noise, Random random)
    {
        long n1 = init.shape[0], n2 = init.shape[1];
        var data = new float[rank * n1 * n2 * rank];
        for (int i = 0; i < data.Length; i++) data[i] = (float)(noise * Gaussian(random));
        var core = tensor(data, [rank, n1, n2, rank], float32);
        core[0, TensorIndex.Colon, TensorIndex.Colon, 0] = init.to(float32);
        return core;
    }

    private static double Gaussian(Random random) =>
        Math.Sqrt(-2 * Math.Log(1 - random.NextDouble())) * Math.Cos(2 * Math.PI * random.NextDouble());
}
