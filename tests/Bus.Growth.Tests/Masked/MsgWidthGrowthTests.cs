namespace Bus.Growth.Tests.Masked;

/// <summary>MSG width (Yao et al., ICLR 2024): new channels, units and heads masked, norms with weighted statistics.</summary>
public class MsgWidthGrowthTests
{
    private static (TransformerConfig Small, TransformerConfig Big) Configs(string family) => family switch
    {
        "gpt" => (TinyModels.Config(16, 2, 24, mode: ModelMode.Decoder), TinyModels.Config(32, 4, 48, mode: ModelMode.Decoder)),
        "gpt-encoder" => (TinyModels.Config(16, 2, 24), TinyModels.Config(24, 3, 40)),
        "llama" => (TinyModels.Llama(16, 4, 2, 24), TinyModels.Llama(32, 8, 4, 48)),
        _ => (TinyModels.Llama(16, 4, 2, 24, tied: true), TinyModels.Llama(32, 8, 4, 48, tied: true)),
    };

    /// <summary>Every grown parameter gets seeded random values of std 0.3 outside the small model's corner (new entries of any value).</summary>
    private static void RandomiseNewEntries(GrowableTransformer grown, GrowableTransformer small, ulong seed)
    {
        using var noGrad = no_grad();
        var generator = new Generator(seed);
        var old = small.named_parameters().ToDictionary(p => p.name, p => (Tensor)p.parameter);
        foreach (var (name, p) in grown.named_parameters())
        {
            using var scope = NewDisposeScope();
            var corner = old[name].shape.Select(n => TensorIndex.Slice(0, n)).ToArray();
            var kept = p[corner].clone();
            p.copy_(randn(p.shape, generator: generator) * 0.3);
            p[corner] = kept;
        }
    }

    [Theory]
    [InlineData("gpt")]
    [InlineData("gpt-encoder")]
    [InlineData("llama")]
    [InlineData("llama-tied")]
    public void AtMaskZeroTheGrownModelComputesTheSmallModelForAnyNewEntries(string family)
    {
        var (smallConfig, bigConfig) = Configs(family);
        using var small = TinyModels.Random(smallConfig, seed: 3);
        using var grown = GrowthOperators.Create("msg-width").Grow(small, bigConfig, new GrowthContext(7));
        grown.Mask!.Width.Should().Be(new MaskedWidth(smallConfig.DModel, smallConfig.FeedForwardSize, smallConfig.Heads));
        TinyModels.RelativeOutputDifference(small, grown).Should().BeLessThanOrEqualTo(1e-5);

        RandomiseNewEntries(grown, small, seed: 13);
        TinyModels.RelativeOutputDifference(small, grown).Should().BeLessThanOrEqualTo(1e-5, "new entries are masked whatever they hold");
    }

    [Theory]
    [InlineData("gpt")]
    [InlineData("llama")]
    public void AtMaskOneTheModelEqualsTheUnmaskedGrownModel(string family)
    {
        var (smallConfig, bigConfig) = Configs(family);
        using var small = TinyModels.Random(smallConfig, seed: 4);
        using var grown = new MsgWidthGrowth().Grow(small, bigConfig, new GrowthContext(1));
        RandomiseNewEntries(grown, small, seed: 14);
        using var tokens = TinyModels.Tokens(smallConfig, seed: 5);
        var (maskedVsUnmasked, unmaskedVsSmall) = TinyModels.AtMaskOne(grown, small, tokens);
        maskedVsUnmasked.Should().BeLessThanOrEqualTo(1e-5);
        unmaskedVsSmall.Should().BeGreaterThan(1e-2);
    }

    [Fact]
    public void OldEntriesAreCopiedAndMomentsOfNewEntriesAreZero()
    {
        var (smallConfig, bigConfig) = Configs("llama");
        using var small = TinyModels.Random(smallConfig, seed: 6);
        var op = new MsgWidthGrowth();
        var weights = small.named_parameters().ToDictionary(p => p.name, p => (Tensor)p.parameter);
        var moments = op.MapMoments(weights, MomentKind.First, small.Layout, small.Shape, ModelShape.From(bigConfig), new GrowthContext(0));
        var down = moments["blocks.1.mlp.down.weight"];
        down.shape.Should().Equal(32, 48);
        TinyModels.MaxDifference(down[TensorIndex.Slice(0, 16), TensorIndex.Slice(0, 24)], weights["blocks.1.mlp.down.weight"]).Should().Be(0);
        down[TensorIndex.Slice(16, 32)].abs().max().item<float>().Should().Be(0);
        foreach (var t in moments.Values) t.Dispose();
    }

    [Fact]
    public void BadShapesAreRejected()
    {
        var (smallConfig, _) = Configs("llama");
        var ratio = () => new MsgWidthGrowth().Validate(smallConfig, smallConfig with { DModel = 32, Heads = 8, KvHeads = 2 });
        ratio.Should().Throw<ArgumentException>().Where(e => e.ParamName == "KvHeads").WithMessage("*4/2*8/2*");
        var headDim = () => new MsgWidthGrowth().Validate(smallConfig, smallConfig with { DModel = 32 });
        headDim.Should().Throw<ArgumentException>().WithMessage("*HeadDim*");
        var depth = () => new MsgWidthGrowth().Validate(smallConfig, smallConfig with { Layers = 4 });
        depth.Should().Throw<ArgumentException>().WithMessage("*Layers*");
    }
}
