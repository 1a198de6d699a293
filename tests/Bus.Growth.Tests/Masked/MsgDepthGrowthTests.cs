namespace Bus.Growth.Tests.Masked;

/// <summary>MSG depth (Yao et al., ICLR 2024): function preserving at m = 0 for any new-block initialisation.</summary>
public class MsgDepthGrowthTests
{
    public static TheoryData<string, string> Cases() => new()
    {
        { "gpt", "msg-depth" }, { "gpt", "msg-depth-fresh" },
        { "llama", "msg-depth" }, { "llama", "msg-depth-fresh" },
        { "llama-tied", "msg-depth" },
    };

    private static TransformerConfig Small(string family) => family switch
    {
        "gpt" => TinyModels.Config(16, 2, 24, layers: 2, mode: ModelMode.Decoder),
        "llama" => TinyModels.Llama(16, 4, 2, 24, layers: 2),
        _ => TinyModels.Llama(16, 4, 2, 24, layers: 2, tied: true),
    };

    /// <summary>Overwrites every parameter of the new blocks (index &gt;= <paramref name="fromLayer"/>) with seeded random values of std 0.3.</summary>
    private static void RandomiseNewBlocks(GrowableTransformer model, int fromLayer, ulong seed)
    {
        using var noGrad = no_grad();
        var generator = new Generator(seed);
        foreach (var (name, p) in model.named_parameters())
            if (model.Layout.Resolve(name).Layer >= fromLayer)
                p.copy_(randn(p.shape, generator: generator) * 0.3);
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void AtMaskZeroTheGrownModelComputesTheSmallModelForAnyNewInitialisation(string family, string name)
    {
        var smallConfig = Small(family);
        using var small = TinyModels.Random(smallConfig, seed: 3);
        var op = GrowthOperators.Create(name);
        using var grown = op.Grow(small, smallConfig with { Layers = 4 }, new GrowthContext(7));

        grown.Mask.Should().NotBeNull();
        grown.Mask!.Value.Should().Be(0);
        grown.Mask.MaskedBlocks.Should().BeEquivalentTo([2, 3]);
        TinyModels.RelativeOutputDifference(small, grown).Should().BeLessThanOrEqualTo(1e-6, "the initial (copied or fresh) new blocks are masked");

        RandomiseNewBlocks(grown, fromLayer: 2, seed: 11);
        TinyModels.RelativeOutputDifference(small, grown).Should().BeLessThanOrEqualTo(1e-6, "random new blocks are masked too");
    }

    [Theory]
    [InlineData("gpt")]
    [InlineData("llama")]
    public void AtMaskOneTheModelEqualsTheUnmaskedGrownModel(string family)
    {
        var smallConfig = Small(family);
        using var small = TinyModels.Random(smallConfig, seed: 4);
        using var grown = new MsgDepthGrowth().Grow(small, smallConfig with { Layers = 4 }, new GrowthContext(1));
        RandomiseNewBlocks(grown, fromLayer: 2, seed: 12);
        using var tokens = TinyModels.Tokens(smallConfig, seed: 5);
        var (maskedVsUnmasked, unmaskedVsSmall) = TinyModels.AtMaskOne(grown, small, tokens);
        maskedVsUnmasked.Should().Be(0);
        unmaskedVsSmall.Should().BeGreaterThan(1e-2, "the unmasked new blocks change the function");
    }

    [Fact]
    public void CopiedBlocksFollowStackingOrderAndNewBlocksStartWithAFreshOptimizerState()
    {
        var smallConfig = Small("gpt");
        using var small = TinyModels.Random(smallConfig, seed: 5);
        var op = new MsgDepthGrowth();
        using var grown = op.Grow(small, smallConfig with { Layers = 4 }, new GrowthContext(0));
        var weights = small.named_parameters().ToDictionary(p => p.name, p => (Tensor)p.parameter);
        var grownWeights = grown.named_parameters().ToDictionary(p => p.name, p => (Tensor)p.parameter);
        foreach (var (layer, source) in new[] { (0, 0), (1, 1), (2, 0), (3, 1) })
            TinyModels.MaxDifference(grownWeights[$"blocks.{layer}.mlp.fc1.weight"], weights[$"blocks.{source}.mlp.fc1.weight"]).Should().Be(0);

        var moments = op.MapMoments(weights, MomentKind.First, grown.Layout, small.Shape, grown.Shape, new GrowthContext(0));
        moments.Keys.Should().Contain("blocks.1.attn.o.weight").And.NotContain(k => k.StartsWith("blocks.2.", StringComparison.Ordinal) || k.StartsWith("blocks.3.", StringComparison.Ordinal));
        foreach (var t in moments.Values) t.Dispose();
    }

    [Fact]
    public void TheRampRisesLinearlyAndIsExactlyOneAtItsEnd()
    {
        var bySteps = new MaskRamp { Steps = 4 };
        Enumerable.Range(0, 6).Select(s => bySteps.Value(s, 0)).Should().Equal(0, 0.25, 0.5, 0.75, 1, 1);
        var byFraction = new MaskRamp { BudgetFraction = 0.1 };
        byFraction.Value(0, 0).Should().Be(0);
        byFraction.Value(0, 0.05).Should().BeApproximately(0.5, 1e-12);
        byFraction.Value(0, 0.1).Should().Be(1);
        byFraction.Value(0, 0.3).Should().Be(1);
        MaskRamp.Default.BudgetFraction.Should().Be(0.1);
        MaskRamp.Default.Steps.Should().Be(0);
    }

    [Fact]
    public void FreshNewBlocksDependOnlyOnTheContextSeed()
    {
        var smallConfig = Small("gpt");
        using var small = TinyModels.Random(smallConfig, seed: 8);
        var op = GrowthOperators.Create("msg-depth-fresh");
        using var a = op.Grow(small, smallConfig with { Layers = 3 }, new GrowthContext(5));
        using var b = op.Grow(small, smallConfig with { Layers = 3 }, new GrowthContext(5));
        using var c = op.Grow(small, smallConfig with { Layers = 3 }, new GrowthContext(6));
        var name = "blocks.2.mlp.fc1.weight";
        Tensor Of(GrowableTransformer m) => m.named_parameters().Single(p => p.name == name).parameter;
        TinyModels.MaxDifference(Of(a), Of(b)).Should().Be(0);
        TinyModels.MaxDifference(Of(a), Of(c)).Should().BeGreaterThan(0);
    }
}
