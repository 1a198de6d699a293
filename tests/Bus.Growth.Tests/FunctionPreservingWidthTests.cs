namespace Bus.Growth.Tests;

public class FunctionPreservingWidthTests
{
    private static readonly FunctionPreservingWidth RoundRobin = new(new() { Mapping = UnitMapping.RoundRobin });
    private static readonly FunctionPreservingWidth RandomMapping = new();

    public static TheoryData<ModelMode> Modes => new() { ModelMode.Encoder, ModelMode.Decoder };

    private static double GrowAndCompare(FunctionPreservingWidth op, TransformerConfig small, TransformerConfig big, long seed = 3)
    {
        using var source = TinyModels.Random(small, seed);
        using var grown = op.Grow(source, big, new GrowthContext(seed));
        grown.Config.Should().Be(big);
        return TinyModels.RelativeOutputDifference(source, grown); // max |logit diff| / max |logit|
    }

    [Theory, MemberData(nameof(Modes))]
    public void DffGrowthWithRandomMappingPreservesFunction(ModelMode mode) =>
        GrowAndCompare(RandomMapping, TinyModels.Config(16, 2, 24, mode: mode), TinyModels.Config(16, 2, 61, mode: mode))
            .Should().BeLessThan(1e-5);

    [Theory, MemberData(nameof(Modes))]
    public void HeadsGrowthAtConstantHeadDimPreservesFunction(ModelMode mode) =>
        GrowAndCompare(RoundRobin, TinyModels.Config(16, 2, 32, mode: mode), TinyModels.Config(32, 4, 32, mode: mode))
            .Should().BeLessThan(1e-5);

    [Theory, MemberData(nameof(Modes))]
    public void DModelDoublingWithRoundRobinPreservesFunction(ModelMode mode) =>
        GrowAndCompare(RoundRobin, TinyModels.Config(16, 2, 32, mode: mode), TinyModels.Config(32, 2, 32, mode: mode))
            .Should().BeLessThan(1e-5);

    [Theory, MemberData(nameof(Modes))]
    public void CombinedGrowthPreservesFunction(ModelMode mode)
    {
        // d_model tripled (even copies), heads 2 -> 3 (uneven head copies), head_dim 6 -> 12, d_ff 20 -> 47 (uneven).
        GrowAndCompare(RoundRobin, TinyModels.Config(12, 2, 20, mode: mode), TinyModels.Config(36, 3, 47, mode: mode))
            .Should().BeLessThan(1e-5);
        // Random mapping is exact on every axis except the residual stream, so keep d_model's copies even by doubling with heads only.
        GrowAndCompare(RandomMapping, TinyModels.Config(12, 2, 20, mode: mode), TinyModels.Config(12, 2, 47, mode: mode))
            .Should().BeLessThan(1e-5);
    }

    [Fact]
    public void UnevenDModelGrowthIsOnlyApproximateBecauseLayerNormStatisticsChange()
    {
        // 16 -> 24 copies 8 units twice and 8 once: LayerNorm mean/variance are re-weighted (documented approximate case).
        GrowAndCompare(RoundRobin, TinyModels.Config(16, 2, 32), TinyModels.Config(24, 2, 32)).Should().BeGreaterThan(1e-3);
    }

    [Fact]
    public void NoiseBreaksSymmetryAndChangesOutputsSlightly()
    {
        var noisy = new FunctionPreservingWidth(new() { Mapping = UnitMapping.RoundRobin, NoiseStd = 1e-3 });
        double difference = GrowAndCompare(noisy, TinyModels.Config(16, 2, 32), TinyModels.Config(32, 4, 64));
        difference.Should().BeGreaterThan(1e-5).And.BeLessThan(0.1);
    }

    [Fact]
    public void CopiesIncomingAndSplitsOutgoingWeights()
    {
        var small = TinyModels.Config(16, 2, 8, layers: 1);
        using var source = TinyModels.Random(small, 1);
        using var grown = RoundRobin.Grow(source, small with { FeedForwardSize = 16 }, new GrowthContext(0));
        var s = source.CloneWeights();
        var g = grown.CloneWeights();
        for (int j = 0; j < 16; j++)
        {
            TinyModels.MaxDifference(g["blocks.0.mlp.fc1.weight"][j], s["blocks.0.mlp.fc1.weight"][j % 8]).Should().Be(0);
            TinyModels.MaxDifference(g["blocks.0.mlp.fc2.weight"][.., j], s["blocks.0.mlp.fc2.weight"][..,
                j % 8] / 2).Should().BeLessThan(1e-7);
        }
        TinyModels.MaxDifference(g["blocks.0.mlp.fc2.bias"], s["blocks.0.mlp.fc2.bias"]).Should().Be(0);
    }

    [Fact]
    public void SameSeedGivesSameWeightsAndDifferentSeedsDifferentMappings()
    {
        var noisy = new FunctionPreservingWidth(new() { NoiseStd = 0.01 });
        var small = TinyModels.Config(16, 2, 8);
        var big = small with { FeedForwardSize = 24 };
        using var source = TinyModels.Random(small, 2);
        using var a = noisy.Grow(source, big, new GrowthContext(7));
        using var b = noisy.Grow(source, big, new GrowthContext(7));
        using var c = noisy.Grow(source, big, new GrowthContext(8));
        var (wa, wb, wc) = (a.CloneWeights(), b.CloneWeights(), c.CloneWeights());
        foreach (var name in wa.Keys) TinyModels.MaxDifference(wa[name], wb[name]).Should().Be(0, name);
        TinyModels.MaxDifference(wa["blocks.0.mlp.fc1.weight"], wc["blocks.0.mlp.fc1.weight"]).Should().BeGreaterThan(0);
    }

    [Fact]
    public void MappedFirstMomentsEqualTheGrownModelsGradients()
    {
        // The gradient of the grown model is the mapped gradient of the small model: the rule MapMoments applies to moments.
        var small = TinyModels.Config(12, 2, 20);
        var big = TinyModels.Config(24, 4, 33);
        using var source = TinyModels.Random(small, 4);
        var context = new GrowthContext(11);
        using var grown = RoundRobin.Grow(source, big, context);
        var smallGrad = TinyModels.Gradients(source);
        var bigGrad = TinyModels.Gradients(grown);
        // allclose relative to each tensor's magnitude (rtol 1e-4), with atol 1e-6 of the largest gradient for the
        // k biases, whose gradient is ~0 because softmax ignores q·b_k.
        double global = bigGrad.Values.Max(g => g.abs().max().item<float>());
        var squares = smallGrad.ToDictionary(p => p.Key, p => p.Value.square());
        var plan = GrowthPlan.Create(RoundRobin, small, big);
        var first = plan.MapMoments(smallGrad, MomentKind.First, context);
        var second = plan.MapMoments(squares, MomentKind.Second, context);
        first.Keys.Should().BeEquivalentTo(bigGrad.Keys);
        foreach (var (name, expected) in bigGrad)
        {
            double local = expected.abs().max().item<float>();
            using var mapped = first[name];
            TinyModels.MaxDifference(mapped, expected).Should().BeLessThanOrEqualTo(1e-4 * local + 1e-6 * global, name);
            using var squared = second[name];
            using var expectedSquare = expected.square();
            TinyModels.MaxDifference(squared, expectedSquare).Should().BeLessThanOrEqualTo(2e-4 * local * local + 1e-6 * global * global,
                name);
        }
    }

    /// <summary>The old d_ff unit each grown fc1 row copies, read off the weights.</summary>
    private static int[] ObservedMapping(FunctionPreservingWidth op, long seed)
    {
        var small = TinyModels.Config(16, 2, 8, layers: 1);
        using var source = TinyModels.Random(small, 1);
        using var grown = op.Grow(source, small with { FeedForwardSize = 40 }, new GrowthContext(seed));
        var s = source.CloneWeights()["blocks.0.mlp.fc1.weight"];
        var g = grown.CloneWeights()["blocks.0.mlp.fc1.weight"];
        return Enumerable.Range(0, 40).Select(j => Enumerable.Range(0, 8).Single(i => TinyModels.MaxDifference(g[j], s[i]) == 0)).ToArray();
    }

    [Fact]
    public void UnitMappingsAreTheDocumentedOnes()
    {
        var roundRobin = ObservedMapping(RoundRobin, 3);
        roundRobin.Should().Equal(Enumerable.Range(0, 40).Select(j => j % 8), "round-robin: g(j) = j mod n");
        var random = ObservedMapping(RandomMapping, 3);
        random.Take(8).Should().Equal(Enumerable.Range(0, 8), "old units keep their place");
        random.Skip(8).Should().NotEqual(roundRobin.Skip(8), "the random mapping is not round-robin");
        ObservedMapping(RandomMapping, 4).Skip(8).Should().NotEqual(random.Skip(8), "another seed draws another mapping");
    }

    [Fact]
    public void NoiseTouchesOnlyWeightsOfNewUnits()
    {
        var small = TinyModels.Config(16, 2, 8, layers: 1);
        var big = small with { FeedForwardSize = 16 };
        using var source = TinyModels.Random(small, 1);
        using var plain = RoundRobin.Grow(source, big, new GrowthContext(2));
        using var noisy = new FunctionPreservingWidth(new() { Mapping = UnitMapping.RoundRobin, NoiseStd = 0.1 }).Grow(source, big,
            new GrowthContext(2));
        var p = plain.CloneWeights();
        var n = noisy.CloneWeights();
        TinyModels.MaxDifference(n["blocks.0.mlp.fc1.weight"][..8], p["blocks.0.mlp.fc1.weight"][..8]).Should().Be(0, "old fc1 rows");
        TinyModels.MaxDifference(n["blocks.0.mlp.fc2.weight"][.., ..8], p["blocks.0.mlp.fc2.weight"][.., ..8]).Should().Be(0,
            "old fc2 columns");
        TinyModels.MaxDifference(n["blocks.0.attn.q.weight"], p["blocks.0.attn.q.weight"]).Should().Be(0,
            "no new attention or residual unit");
        TinyModels.MaxDifference(n["blocks.0.mlp.fc1.weight"][8..], p["blocks.0.mlp.fc1.weight"][8..]).Should().BeGreaterThan(0.01,
            "new fc1 rows");
        TinyModels.MaxDifference(n["blocks.0.mlp.fc2.weight"][.., 8..], p["blocks.0.mlp.fc2.weight"][.., 8..]).Should().BeGreaterThan(0.01,
            "new fc2 columns");
    }

    [Fact]
    public void NamedTensorGrowAndMapMomentsValidateTheWeightsFirst()
    {
        var small = TinyModels.Config(16, 2, 8, layers: 1);
        var big = small with { FeedForwardSize = 16 };
        var weights = TinyModels.RandomWeights(small, 1);
        using var wrong = zeros(5, 16);
        weights["blocks.0.mlp.fc1.weight"] = wrong;
        var act = () => RoundRobin.Grow(weights, GptLayout.Layout, ModelShape.From(small), ModelShape.From(big), new GrowthContext(0));
        act.Should().Throw<ArgumentException>().WithMessage("*'blocks.0.mlp.fc1.weight' has shape [5, 16]*[8, 16]*");
        var moments = () => RoundRobin.MapMoments(weights, MomentKind.First, GptLayout.Layout, ModelShape.From(small),
            ModelShape.From(big), new GrowthContext(0));
        moments.Should().Throw<ArgumentException>().WithMessage("*'blocks.0.mlp.fc1.weight' has shape [5, 16]*");
    }

    [Fact]
    public void ValidateRejectsShrinkingHeadDimAndDepthChange()
    {
        var small = TinyModels.Config(16, 2, 32);
        var act = () => RoundRobin.Validate(small, small with { Heads = 4 });
        act.Should().Throw<ArgumentException>().Where(e => e.ParamName == "target" && e.Message.Contains('8') && e.Message.Contains('4'));
        act = () => RoundRobin.Validate(small, small with { Layers = 3 });
        act.Should().Throw<ArgumentException>().Where(e => e.ParamName == nameof(TransformerConfig.Layers));
        var options = () => new FunctionPreservingWidthOptions { NoiseStd = -1 };
        options.Should().Throw<ArgumentOutOfRangeException>().Where(e => e.ParamName == "NoiseStd" && e.Message.Contains("-1"));
    }
}
