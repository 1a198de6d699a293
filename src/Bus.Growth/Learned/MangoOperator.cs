namespace Bus.Growth.Learned;

/// <summary>
/// MANGO, the multi-linear growth operator (Pan et al., NeurIPS 2023, "Reusing Pretrained Models by Multi-linear
/// Operators for Efficient Training"; the steps in seed 000: concatenate the small weights into M1, train the operator
/// Φ, recover M2, split). Weights of the same shape family are concatenated into one tensor M1 [B, O, I, L]
/// (B weight types, O×I each, L layers) and mapped by a full linear operator decomposed as a tensor ring of four
/// cores (<see cref="TensorRingMpo"/>): type core S_B [R,B,B,R], out-width core S_O [R,O1,O2,R], in-width core
/// S_I [R,I1,I2,R], depth core S_L [R,L1,L2,R]. A family is every rule of the <see cref="ModelLayout"/> with the same
/// axes (row axis, column axis, per-block or not), each with its own four cores; e.g. for GPT:
/// <list type="bullet">
/// <item>block matrices: q [1, H·hd, d, L]; k and v [2, KV·hd, d, L] (the type core mixes k and v: MANGO's cross-weight
/// correlations); o; fc1 (Llama: gate and up together); fc2 (Llama: down);</item>
/// <item>block vectors as [B, n, 1, L]: the residual-stream vectors (ln1, ln2 gain/shift; o, fc2 biases), the q bias,
/// the k and v biases, the fc1 bias;</item>
/// <item>non-block tensors, L = 1: token and position embeddings [1, V|T, d, 1], <c>ln_f</c> gain/shift [2, d, 1, 1],
/// head [1, C, d, 1], head bias [1, C, 1, 1]. Vocabulary, positions and outputs do not grow: their cores are
/// [R, n, n, R], initialised to identity.</item>
/// </list>
/// Initialisation: the (0, 0) bond slice of every core is the Net2Net expansion used by <see cref="LigoOperator"/>
/// (S_O and S_I the transposed unit-mapping matrices of the rule's axes, S_I = [1] for vectors, S_B = I, S_L = stacking^T);
/// other bond entries (rank &gt; 1) are N(0, RingNoise²), so the step-0 model equals the expansion exactly for rank 1 and
/// up to O(RingNoise²) otherwise. Training and materialisation are as for LiGO (Adam on the task loss through a
/// <see cref="FunctionalForward"/>, charged to the meter). With rank 1 and S_B = I each family is LiGO with A and B
/// shared within the family (tested).
/// </summary>
public sealed class MangoOperator(MangoOptions? options = null) : LearnedGrowthOperator("mango", options ?? new MangoOptions())
{
    /// <summary>The operator's options.</summary>
    public MangoOptions Options => (MangoOptions)Settings;

    private protected override Func<Dictionary<string, Tensor>> Setup(LearnedGrowthTraining.SetupInputs inputs)
    {
        var (w, layout, from, to, plan, _, random) = inputs;
        var builders = new List<Action<Dictionary<string, Tensor>>>();
        // A family: the rules with the same axes (so one S_O and one S_I fit them all).
        foreach (var family in layout.Rules.GroupBy(r => (r.PerBlock, r.Rows, r.Columns)))
        {
            var rules = family.ToArray();
            bool block = family.Key.PerBlock;
            int types = rules.Length, lSmall = block ? from.Layers : 1, lBig = block ? to.Layers : 1;
            var perType = rules.Select(r => block
                ? stack(Enumerable.Range(0, from.Layers).Select(l => AsMatrix(w[r.Name(l)])).ToArray(), dim: 2)
                : AsMatrix(w[r.Pattern]).unsqueeze(2)).ToArray();
            var m1 = stack(perType);                                      // [B, O, I, L]
            var (rows, cols) = plan.Axes(rules[0], block ? 0 : -1);
            Parameter Core(Tensor init) => inputs.Learn(Ring(init, Options.Rank, Options.RingNoise, random));
            var sB = Core(eye(types));
            var sO = Core(LearnedGrowthTraining.Matrix(rows, from.Size(family.Key.Rows.Space)).t());
            var sI = Core(cols is null ? eye(1) : LearnedGrowthTraining.Matrix(cols, from.Size(family.Key.Columns!.Value.Space)).t());
            var sL = Core(WidthMapping.Stacking(lSmall, lBig).t());
            builders.Add(big =>
            {
                var m2 = TensorRingMpo.Apply(m1, sB, sO, sI, sL);           // [B, O2, I2, L2]
                for (int b = 0; b < types; b++)
                    for (int l = 0; l < lBig; l++)
                    {
                        var slice = m2[b, TensorIndex.Colon, TensorIndex.Colon, l];
                        big[rules[b].Name(block ? l : -1)] = cols is null ? slice.squeeze(1) : slice;
                    }
            });
        }

        return () =>
        {
            var big = new Dictionary<string, Tensor>();
            foreach (var build in builders) build(big);
            return big;
        };
    }

    private static Tensor AsMatrix(Tensor t) => t.dim() == 1 ? t.unsqueeze(1) : t;

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
