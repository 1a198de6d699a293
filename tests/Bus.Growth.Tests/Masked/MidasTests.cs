namespace Bus.Growth.Tests.Masked;

/// <summary>MIDAS (Saunshi et al. 2024): one stage duplicates the middle block(s); the stage helper spreads stages over the budget.</summary>
public class MidasTests
{
    [Theory]
    [InlineData("gpt", 3, 4, new[] { 0, 1, 1, 2 })]
    [InlineData("gpt", 2, 3, new[] { 0, 0, 1 })]
    [InlineData("llama", 4, 6, new[] { 0, 1, 2, 1, 2, 3 })]
    [InlineData("llama", 3, 4, new[] { 0, 1, 1, 2 })]
    public void TheMiddleBlocksAreDuplicatedRightAfterThemselves(string family, int layers, int grownLayers, int[] sources)
    {
        var config = family == "gpt" ? TinyModels.Config(16, 2, 24, layers) : TinyModels.Llama(16, 4, 2, 24, layers);
        using var small = TinyModels.Random(config, seed: 6);
        using var grown = GrowthOperators.Create("midas").Grow(small, config with { Layers = grownLayers }, new GrowthContext(0));

        grown.Config.Layers.Should().Be(grownLayers);
        var smallWeights = small.named_parameters().ToDictionary(p => p.name, p => (Tensor)p.parameter);
        foreach (var (name, p) in grown.named_parameters())
        {
            var (rule, layer) = grown.Layout.Resolve(name);
            var source = rule.PerBlock ? rule.Name(sources[layer]) : name;
            p.shape.Should().Equal(smallWeights[source].shape);
            TinyModels.MaxDifference(p, smallWeights[source]).Should().Be(0, $"{name} copies {source}");
        }
    }

    [Fact]
    public void MomentsAreCopiedWithTheirBlocks()
    {
        var config = TinyModels.Config(16, 2, 24, layers: 3);
        using var small = TinyModels.Random(config, seed: 7);
        var weights = small.named_parameters().ToDictionary(p => p.name, p => (Tensor)p.parameter);
        var op = new MidasGrowth();
        var moments = op.MapMoments(weights, MomentKind.Second, GptLayout.Layout, small.Shape, ModelShape.From(config with { Layers = 4 }), new GrowthContext(0));
        moments.Should().HaveCount(small.named_parameters().Count() + small.named_parameters().Count(p => p.name.StartsWith("blocks.0.", StringComparison.Ordinal)));
        TinyModels.MaxDifference(moments["blocks.2.mlp.fc2.weight"], weights["blocks.1.mlp.fc2.weight"]).Should().Be(0);
        TinyModels.MaxDifference(moments["blocks.3.mlp.fc2.weight"], weights["blocks.2.mlp.fc2.weight"]).Should().Be(0);
        foreach (var t in moments.Values) t.Dispose();
    }

    [Fact]
    public void StagesGrowOneBlockAtATimeBetweenTheTwoFractions()
    {
        var small = TinyModels.Config(16, 2, 24, layers: 2);
        var stages = Midas.Stages(small, small with { Layers = 4 }, 0.25, 0.5);
        stages.Select(s => (((FractionTrigger)s.Trigger).Fraction, s.Target.Layers, s.Operator.Name)).Should().Equal((0.25, 3, "midas"), (0.5, 4, "midas"));
        stages.Select(s => s.Target).Should().AllSatisfy(t => t.Should().Be(small with { Layers = t.Layers }));

        var three = Midas.Stages(small, small with { Layers = 8 }, 0.2, 0.6, blocksPerStage: 2);
        three.Select(s => s.Target.Layers).Should().Equal(4, 6, 8);
        three.Select(s => ((FractionTrigger)s.Trigger).Fraction).Should().Equal([0.2, 0.4, 0.6], (a, b) => Math.Abs(a - b) <= 1e-12 * b);

        var one = Midas.Stages(small, small with { Layers = 4 }, 0.3, 0.9, blocksPerStage: 2);
        one.Should().ContainSingle().Which.Trigger.Should().Be(GrowthTrigger.AtBudgetFraction(0.3));
    }
}
