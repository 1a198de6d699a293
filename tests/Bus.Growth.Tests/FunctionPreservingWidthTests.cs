using Bus.Core.Growth;
using Bus.Core.Model;
using Bus.Growth.Operators;
using static TorchSharp.torch;

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
        return TinyModels.MaxOutputDifference(source, grown);
    }

    [Theory, MemberData(nameof(Modes))]
    public void DffGrowthWithRandomMappingPreservesFunction(ModelMode mode) =>
        GrowAndCompare(RandomMapping, TinyModels.Config(16, 2, 24, mode: mode), TinyModels.Config(16, 2, 61, mode: mode))
            .Should().BeLessThan(1e-4);

    [Theory, MemberData(nameof(Modes))]
    public void HeadsGrowthAtConstantHeadDimPreservesFunction(ModelMode mode) =>
        GrowAndCompare(RoundRobin, TinyModels.Config(16, 2, 32, mode: mode), TinyModels.Config(32, 4, 32, mode: mode))
            .Should().BeLessThan(1e-4);

    [Theory, MemberData(nameof(Modes))]
    public void DModelDoublingWithRoundRobinPreservesFunction(ModelMode mode) =>
        GrowAndCompare(RoundRobin, TinyModels.Config(16, 2, 32, mode: mode), TinyModels.Config(32, 2, 32, mode: mode))
            .Should().BeLessThan(1e-4);

    [Theory, MemberData(nameof(Modes))]
    public void CombinedGrowthPreservesFunction(ModelMode mode)
    {
        // d_model tripled (even copies), heads 2 -> 3 (uneven head copies), head_dim 6 -> 12, d_ff 20 -> 47 (uneven).
        GrowAndCompare(RoundRobin, TinyModels.Config(12, 2, 20, mode: mode), TinyModels.Config(36, 3, 47, mode: mode))
            .Should().BeLessThan(1e-4);
        // Random mapping is exact on every axis except the residual stream, so keep d_model's copies even by doubling with heads only.
        GrowAndCompare(RandomMapping, TinyModels.Config(12, 2, 20, mode: mode), TinyModels.Config(12, 2, 47, mode: mode))
            .Should().BeLessThan(1e-4);
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
        using var grown = RoundRobin.Grow(source, small with { DFf = 16 }, new GrowthContext(0));
        var s = source.CloneWeights();
        var g = grown.CloneWeights();
        for (int j = 0; j < 16; j++)
        {
            TinyModels.MaxDifference(g["blocks.0.mlp.fc1.weight"][j], s["blocks.0.mlp.fc1.weight"][j % 8]).Should().Be(0);
            TinyModels.MaxDifference(g["blocks.0.mlp.fc2.weight"][.., j], s["blocks.0.mlp.fc2.weight"][.., j % 8] / 2).Should().BeLessThan(1e-7);
        }
        TinyModels.MaxDifference(g["blocks.0.mlp.fc2.bias"], s["blocks.0.mlp.fc2.bias"]).Should().Be(0);
    }

    [Fact]
    public void SameSeedGivesSameWeightsAndDifferentSeedsDifferentMappings()
    {
        var noisy = new FunctionPreservingWidth(new() { NoiseStd = 0.01 });
        var small = TinyModels.Config(16, 2, 8);
        var big = small with { DFf = 24 };
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
        // The gradient of the grown model is the mapped gradient of the small model: the rule MapState applies to moments.
        var small = TinyModels.Config(12, 2, 20);
        var big = TinyModels.Config(24, 4, 33);
        using var source = TinyModels.Random(small, 4);
        var context = new GrowthContext(11);
        using var grown = RoundRobin.Grow(source, big, context);
        var smallGrad = TinyModels.Gradients(source);
        var bigGrad = TinyModels.Gradients(grown);
        foreach (var (name, expected) in bigGrad)
        {
            using var mapped = RoundRobin.MapState(name, MomentKind.First, smallGrad, small, big, context)!;
            TinyModels.MaxDifference(mapped, expected).Should().BeLessThan(1e-4, name);
            using var squared = RoundRobin.MapState(name, MomentKind.Second, smallGrad.ToDictionary(p => p.Key, p => p.Value.square()), small, big, context)!;
            TinyModels.MaxDifference(squared, expected.square()).Should().BeLessThan(1e-4, name);
        }
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
