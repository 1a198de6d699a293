namespace Bus.Growth.Tests;

public class DepthGrowthTests
{
    public static TheoryData<ModelMode, DepthPlacement> Cases => new()
    {
        { ModelMode.Encoder, DepthPlacement.Top }, { ModelMode.Decoder, DepthPlacement.Top },
        { ModelMode.Encoder, DepthPlacement.Interleave }, { ModelMode.Decoder, DepthPlacement.Interleave },
    };

    [Theory, MemberData(nameof(Cases))]
    public void FunctionPreservingDepthKeepsOutputs(ModelMode mode, DepthPlacement placement)
    {
        var small = TinyModels.Config(16, 2, 32, layers: 2, mode: mode);
        using var source = TinyModels.Random(small, 1);
        using var grown = new FunctionPreservingDepth(placement).Grow(source, small with { Layers = 5 }, new GrowthContext(3));
        TinyModels.MaxOutputDifference(source, grown).Should().BeLessThan(1e-5);
    }

    [Fact]
    public void FunctionPreservingDepthZeroesOnlyTheOutputProjectionsOfNewBlocks()
    {
        var small = TinyModels.Config(16, 2, 32, layers: 2);
        using var source = TinyModels.Random(small, 1);
        using var grown = new FunctionPreservingDepth(DepthPlacement.Interleave).Grow(source, small with { Layers = 4 },
            new GrowthContext(3));
        var s = source.CloneWeights();
        var g = grown.CloneWeights();
        // 2 -> 4 interleaved: trained blocks at 0 and 2, new blocks at 1 and 3.
        TinyModels.MaxDifference(g["blocks.2.attn.q.weight"], s["blocks.1.attn.q.weight"]).Should().Be(0);
        foreach (var suffix in new[] { "attn.o.weight", "attn.o.bias", "mlp.fc2.weight", "mlp.fc2.bias" })
            g[ParameterNames.Block(3, suffix)].abs().max().item<float>().Should().Be(0, suffix);
        g["blocks.3.attn.q.weight"].abs().max().item<float>().Should().BeGreaterThan(0);
    }

    [Fact]
    public void StackingCopiesTheBlocksAsAWhole()
    {
        var small = TinyModels.Config(16, 2, 32, layers: 2);
        var op = new StackingDepthGrowth();
        using var source = TinyModels.Random(small, 1);
        using var grown = op.Grow(source, small with { Layers = 4 }, new GrowthContext(0));
        var s = source.CloneWeights();
        var g = grown.CloneWeights();
        int[] expected = [0, 1, 0, 1];
        for (int l = 0; l < 4; l++)
            foreach (var suffix in ParameterNames.BlockSuffixes)
                TinyModels.MaxDifference(g[ParameterNames.Block(l, suffix)], s[ParameterNames.Block(expected[l], suffix)]).Should().Be(0);
        TinyModels.MaxDifference(g[ParameterNames.HeadWeight], s[ParameterNames.HeadWeight]).Should().Be(0);
        op.SourceName("blocks.3.mlp.fc1.weight", small, small with { Layers = 4 }).Should().Be("blocks.1.mlp.fc1.weight");
    }

    [Fact]
    public void InterpolationDuplicatesEachBlockInPlace()
    {
        var small = TinyModels.Config(16, 2, 32, layers: 2);
        using var source = TinyModels.Random(small, 1);
        using var grown = new InterpolationDepthGrowth().Grow(source, small with { Layers = 6 }, new GrowthContext(0));
        var s = source.CloneWeights();
        var g = grown.CloneWeights();
        int[] expected = [0, 0, 0, 1, 1, 1];
        for (int l = 0; l < 6; l++)
            TinyModels.MaxDifference(g[ParameterNames.Block(l, "attn.v.weight")], s[ParameterNames.Block(expected[l],
                "attn.v.weight")]).Should().Be(0);
    }

    [Fact]
    public void ValidationRejectsNonMultiplesAndWidthChanges()
    {
        var small = TinyModels.Config(16, 2, 32, layers: 2);
        var stack = () => new StackingDepthGrowth().Validate(small, small with { Layers = 3 });
        stack.Should().Throw<ArgumentException>().Where(e => e.ParamName == "Layers" && e.Message.Contains('3'));
        var interpolate = () => new InterpolationDepthGrowth().Validate(small, small with { Layers = 5 });
        interpolate.Should().Throw<ArgumentException>().Where(e => e.ParamName == "Layers");
        var width = () => new FunctionPreservingDepth().Validate(small, small with { Layers = 3, DModel = 32 });
        width.Should().Throw<ArgumentException>().Where(e => e.ParamName == "DModel");
        new FunctionPreservingDepth().Validate(small, small with { Layers = 3 }); // any larger depth is fine
    }

    [Fact]
    public void DepthMomentsAreCopiedByBlockAndNewBlocksKeepAFreshState()
    {
        var small = TinyModels.Config(16, 2, 32, layers: 2);
        var big = small with { Layers = 3 };
        var state = TinyModels.RandomWeights(small, 1);
        var context = new GrowthContext(0);
        var op = new FunctionPreservingDepth();
        var mapped = op.MapMoments(state, MomentKind.Second, GptLayout.Layout, ModelShape.From(small), ModelShape.From(big), context);
        TinyModels.MaxDifference(mapped["blocks.1.ln1.weight"], state["blocks.1.ln1.weight"]).Should().Be(0);
        mapped.Should().NotContainKey("blocks.2.ln1.weight");
    }
}
