namespace Bus.Growth.Tests;

/// <summary>
/// Function preservation of every operator claimed exact, on both families, encoder and decoder: max |logit difference|
/// &lt;= 1e-5 x max |logit| on random tokens from a model with random (not freshly initialised) weights.
/// </summary>
public class FamilyPreservationTests
{
    private const double Tolerance = 1e-5;

    public static TheoryData<string, string> ExactCases()
    {
        var data = new TheoryData<string, string>();
        foreach (var family in new[] { "gpt-encoder", "gpt-decoder", "llama-encoder", "llama-decoder", "llama-tied" })
            foreach (var op in new[] { "fpi-width-rr", "fpi-width", "hypercloning", "hypercloning-noise", "fpi-depth-top",
                "fpi-depth-interleave" })
                data.Add(family, op);
        return data;
    }

    /// <summary>A random small model of <paramref name="family"/> (seed 3) grown by <paramref name="op"/> (context seed 21).</summary>
    private static Growth Grow(string family, string op)
    {
        var (small, big) = Shapes(family, op);
        var source = TinyModels.Random(small, seed: 3);
        return new Growth(source, Operator(op).Grow(source, big, new GrowthContext(21)), big);
    }

    private sealed record Growth(GrowableTransformer Source, GrowableTransformer Grown, TransformerConfig Big) : IDisposable
    {
        public void Dispose()
        {
            Grown.Dispose();
            Source.Dispose();
        }
    }

    /// <summary>(small, big) configs of <paramref name="family"/> for <paramref name="op"/>: width x2 on every axis (GQA: q and kv heads),
    /// d_ff only for the random mapping, depth 2 -> 3.</summary>
    internal static (TransformerConfig Small, TransformerConfig Big) Shapes(string family, string op)
    {
        var small = family switch
        {
            "gpt-encoder" => TinyModels.Config(16, 2, 24, mode: ModelMode.Encoder),
            "gpt-decoder" => TinyModels.Config(16, 2, 24, mode: ModelMode.Decoder),
            "llama-encoder" => TinyModels.Llama(16, 4, 2, 24, mode: ModelMode.Encoder),
            "llama-decoder" => TinyModels.Llama(16, 4, 2, 24),
            _ => TinyModels.Llama(16, 4, 2, 24, tied: true),
        };
        var big = op switch
        {
            "fpi-width" => small with { FeedForwardSize = 41 }, // random copies are exact on d_ff, not on the normalised residual stream
            "fpi-depth-top" or "fpi-depth-interleave" or "stack-depth" or "interpolate-depth" => small with { Layers = op.EndsWith("-depth") ? 4 : 3 },
            _ => small with { DModel = 32, Heads = small.Heads * 2, KvHeads = small.KvHeads * 2, FeedForwardSize = 48 },
        };
        return (small, big);
    }

    internal static IGrowthOperator Operator(string op) => op switch
    {
        "hypercloning-noise" => new HyperCloning(new() { NoiseStd = 0.05 }),
        _ => GrowthOperators.Create(op),
    };

    [Theory, MemberData(nameof(ExactCases))]
    public void ExactOperatorsPreserveTheFunction(string family, string op)
    {
        using var growth = Grow(family, op);
        growth.Grown.Config.Should().Be(growth.Big);
        TinyModels.RelativeOutputDifference(growth.Source, growth.Grown).Should().BeLessThanOrEqualTo(Tolerance, $"{family} x {op}");
    }

    [Theory]
    [InlineData("gpt-decoder", "bus-identity")]
    [InlineData("llama-decoder", "bus-identity")]
    [InlineData("llama-tied", "spectral")]
    [InlineData("llama-decoder", "stack-depth")]
    public void OtherOperatorsChangeTheFunctionMeasurably(string family, string op)
    {
        using var growth = Grow(family, op);
        TinyModels.RelativeOutputDifference(growth.Source, growth.Grown).Should().BeGreaterThan(1e-3,
            $"{family} x {op} is not function preserving");
    }

    [Fact]
    public void NoiseMakesHyperClonesDifferWhileThePlainClonesAreEqual()
    {
        var (small, big) = Shapes("llama-decoder", "hypercloning");
        using var source = TinyModels.Random(small, seed: 3);
        using var plain = new HyperCloning().Grow(source, big, new GrowthContext(1));
        using var noisy = new HyperCloning(new() { NoiseStd = 0.05 }).Grow(source, big, new GrowthContext(1));
        var p = plain.CloneWeights();
        var n = noisy.CloneWeights();
        // clone k of residual unit i is unit i + 16k: the plain copies of a read column are equal, the noisy ones are not
        TinyModels.MaxDifference(p["blocks.0.mlp.up.weight"][.., ..16], p["blocks.0.mlp.up.weight"][.., 16..]).Should().Be(0);
        TinyModels.MaxDifference(n["blocks.0.mlp.up.weight"][.., ..16], n["blocks.0.mlp.up.weight"][.., 16..]).Should().BeGreaterThan(1e-3);
        // zero-sum noise: the two clones still add up to the small column
        TinyModels.MaxDifference(n["blocks.0.mlp.up.weight"][..24, ..16] + n["blocks.0.mlp.up.weight"][..24, 16..],
            source.CloneWeights()["blocks.0.mlp.up.weight"]).Should().BeLessThan(1e-6);
        foreach (var w in p.Values.Concat(n.Values)) w.Dispose();
    }

    [Theory]
    [InlineData("llama-decoder", "hypercloning")]
    [InlineData("llama-tied", "fpi-width-rr")]
    [InlineData("llama-encoder", "fpi-width")]
    [InlineData("gpt-decoder", "hypercloning")]
    [InlineData("llama-tied", "fpi-depth-interleave")]
    public void MappedGradientsEqualTheGrownModelsGradients(string family, string op)
    {
        // The gradient of the grown model is the mapped gradient of the small model: the rule MapMoments applies to moments.
        var (small, big) = Shapes(family, op);
        var growth = Operator(op);
        using var source = TinyModels.Random(small, seed: 4);
        var context = new GrowthContext(11);
        using var grown = growth.Grow(source, big, context);
        var smallGrad = TinyModels.Gradients(source);
        var bigGrad = TinyModels.Gradients(grown);
        var mapped = growth.MapMoments(smallGrad, MomentKind.First, grown.Layout, source.Shape, grown.Shape, context);
        // allclose: rtol 1e-4 of the tensor's own scale, atol 1e-6 of the largest gradient (k biases have gradient ~0: softmax ignores q·b_k)
        double global = bigGrad.Values.Max(g => g.abs().max().item<float>());
        foreach (var (name, expected) in bigGrad)
        {
            if (!mapped.TryGetValue(name, out var m)) continue; // a new block: fresh state
            double local = expected.abs().max().item<float>();
            TinyModels.MaxDifference(m, expected).Should().BeLessThanOrEqualTo(1e-4 * local + 1e-6 * global, name);
        }
        mapped.Count.Should().BeGreaterThan(bigGrad.Count / 2);
        foreach (var t in mapped.Values.Concat(smallGrad.Values).Concat(bigGrad.Values)) t.Dispose();
    }

    [Fact]
    public void GroupedQueryHeadsCanGrowFasterThanKeyValueHeads()
    {
        // 4 query heads on 2 kv heads -> 8 query heads on the same 2 kv heads: each new query head joins its source's group.
        var small = TinyModels.Llama(16, 4, 2, 24);
        var big = small with { DModel = 32, Heads = 8, FeedForwardSize = 24 };
        using var source = TinyModels.Random(small, seed: 6);
        using var grown = new FunctionPreservingWidth(new() { Mapping = UnitMapping.RoundRobin }).Grow(source, big, new GrowthContext(2));
        TinyModels.RelativeOutputDifference(source, grown).Should().BeLessThanOrEqualTo(Tolerance);
    }

    [Fact]
    public void RotaryHeadDimAndShrinkingGroupsAreRefused()
    {
        var small = TinyModels.Llama(16, 4, 2, 24);
        var op = new FunctionPreservingWidth(new() { Mapping = UnitMapping.RoundRobin });
        var headDim = () => op.Validate(small, small with { DModel = 32 });
        headDim.Should().Throw<ArgumentException>().WithMessage("*RoPE*head_dim must stay 4*8*");
        var groups = () => op.Validate(small, small with { DModel = 32, Heads = 8, KvHeads = 8 });
        groups.Should().Throw<ArgumentException>().WithMessage("*per key/value head would shrink from 2*to 1*");
        var clone = () => new HyperCloning().Validate(small, small with { FeedForwardSize = 30 });
        clone.Should().Throw<ArgumentException>().WithMessage("*FeedForwardSize must grow by a whole factor*24*30*");
        var family = () => op.Validate(small, TinyModels.Config(32, 4, 24, mode: ModelMode.Decoder));
        family.Should().Throw<ArgumentException>().WithMessage("*Architecture differs*");
    }
}
