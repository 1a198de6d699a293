using Bus.Core.Model;
using Bus.Growth.Learned;
using static TorchSharp.torch;

namespace Bus.Growth.Tests.Learned;

public class FunctionalTransformerTests
{
    [Theory]
    [InlineData(ModelMode.Encoder)]
    [InlineData(ModelMode.Decoder)]
    public void Functional_forward_matches_module_forward(ModelMode mode)
    {
        var config = new TransformerConfig { VocabSize = 27, MaxLength = 10, DModel = 16, Heads = 4, DFf = 24, Layers = 3, Mode = mode, Dropout = 0.1 };
        using var model = GrowableTransformer.Create(config, seed: 5);
        // Non-trivial norms and biases, so every term of the forward is exercised.
        using (no_grad())
            foreach (var (name, p) in model.named_parameters())
                if (name.EndsWith(".bias", StringComparison.Ordinal) || name.Contains("ln")) p.add_(randn(p.shape) * 0.3);
        model.eval();
        using var tokens = randint(0, 27, [3, 10], generator: new TorchSharp.torch.Generator(21), dtype: int64);
        var weights = model.CloneWeights();
        using var expected = model.forward(tokens);
        using var actual = FunctionalTransformer.Forward(weights, config, tokens);
        actual.shape.Should().Equal(expected.shape);
        using var diff = (actual - expected).abs().max();
        diff.item<float>().Should().BeLessThan(1e-5f);
        foreach (var w in weights.Values) w.Dispose();
    }

    [Fact]
    public void Missing_weight_is_named()
    {
        var config = LearnedGrowthFixtures.Small;
        using var model = GrowableTransformer.Create(config, seed: 1);
        var weights = model.CloneWeights();
        weights.Remove("blocks.0.mlp.fc1.bias");
        using var tokens = zeros([1, 4], int64);
        var act = () => FunctionalTransformer.Forward(weights, config, tokens);
        act.Should().Throw<ArgumentException>().WithMessage("*blocks.0.mlp.fc1.bias*");
    }
}
