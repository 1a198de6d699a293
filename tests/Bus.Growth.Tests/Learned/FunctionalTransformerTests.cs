namespace Bus.Growth.Tests.Learned;

public class FunctionalTransformerTests
{
    [Theory]
    [InlineData(ModelMode.Encoder)]
    [InlineData(ModelMode.Decoder)]
    public void FunctionalForwardMatchesModuleForward(ModelMode mode) =>
        // Non-trivial norms and biases, so every term of the forward is exercised.
        AssertFunctionalMatchesModule(
            new TransformerConfig { VocabSize = 27, MaxLength = 10, DModel = 16, Heads = 4, FeedForwardSize = 24, Layers = 3, Mode = mode, Dropout = 0.1 },
            seed: 5, name => name.EndsWith(".bias", StringComparison.Ordinal) || name.Contains("ln"));

    [Theory]
    [InlineData(false, ModelMode.Encoder)]
    [InlineData(true, ModelMode.Decoder)]
    public void FunctionalForwardMatchesModuleForwardForLlama(bool tied, ModelMode mode) =>
        // Grouped-query attention (4 query heads on 2 key/value heads), RoPE, SwiGLU, RMSNorm; tied or untied head.
        AssertFunctionalMatchesModule(
            new TransformerConfig
            {
                Architecture = ModelArchitecture.Llama, VocabSize = 27, MaxLength = 10, DModel = 16, Heads = 4, KvHeads = 2, FeedForwardSize = 24,
                Layers = 2, Mode = mode, TieEmbeddings = tied, Dropout = 0.1,
            },
            seed: 6, name => name.Contains("ln"));

    private static void AssertFunctionalMatchesModule(TransformerConfig config, long seed, Func<string, bool> perturb)
    {
        using var model = GrowableTransformer.Create(config, seed);
        using (no_grad())
            foreach (var (name, p) in model.named_parameters())
                if (perturb(name)) p.add_(randn(p.shape) * 0.3);
        model.eval();
        using var tokens = randint(0, config.VocabSize, [3, config.MaxLength], generator: new TorchSharp.torch.Generator(21), dtype: int64);
        var weights = model.CloneWeights();
        using var expected = model.forward(tokens);
        using var actual = FunctionalTransformer.Forward(weights, config, tokens);
        actual.shape.Should().Equal(expected.shape);
        using var diff = (actual - expected).abs().max();
        diff.item<float>().Should().BeLessThanOrEqualTo(1e-5f * Math.Max(1f, expected.abs().max().item<float>()));
        foreach (var w in weights.Values) w.Dispose();
    }

    [Fact]
    public void MissingWeightIsNamed()
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
