namespace Bus.Core.Tests.Model;

public class GrowableTransformerTests
{
    private static readonly TransformerConfig Small = new() { DModel = 16, Heads = 2, FeedForwardSize = 32, Layers = 2, MaxLength = 12 };

    [Fact]
    public void ParameterNamesAreCanonical()
    {
        using var model = new GrowableTransformer(Small);
        var names = model.named_parameters().Select(p => p.name).ToList();
        var expected = new List<string> { ParameterNames.TokenEmbedding, ParameterNames.PositionEmbedding };
        for (int l = 0; l < Small.Layers; l++) expected.AddRange(ParameterNames.BlockSuffixes.Select(s => ParameterNames.Block(l, s)));
        expected.AddRange([ParameterNames.FinalNormWeight, ParameterNames.FinalNormBias, ParameterNames.HeadWeight, ParameterNames.HeadBias]);
        names.Should().BeEquivalentTo(expected);
        model.named_parameters().Single(p => p.name == "blocks.1.mlp.fc1.weight").parameter.shape.Should().Equal(32, 16);
    }

    [Fact]
    public void EncoderOutputsOneRowOfClassLogitsPerToken()
    {
        using var model = new GrowableTransformer(Small);
        using var tokens = randint(0, 27, [3, 10], dtype: int64);
        using var logits = model.forward(tokens);
        logits.shape.Should().Equal(3, 10, 3);
    }

    [Fact]
    public void DecoderIsCausal()
    {
        var config = Small with { Mode = ModelMode.Decoder };
        using var model = GrowableTransformer.Create(config, seed: 3);
        model.eval();
        using var a = randint(0, 27, [1, 8], dtype: int64);
        using var b = a.clone();
        b[0, 7] = tensor(5L == a[0, 7].item<long>() ? 6L : 5L);
        using var la = model.forward(a);
        using var lb = model.forward(b);
        // Changing the last token must not change predictions at earlier positions.
        la.narrow(1, 0, 7).allclose(lb.narrow(1, 0, 7), 1e-6, 1e-6).Should().BeTrue();
        la.narrow(1, 7, 1).allclose(lb.narrow(1, 7, 1)).Should().BeFalse();
    }

    [Fact]
    public void EncoderAttendsToLaterTokens()
    {
        using var model = GrowableTransformer.Create(Small, seed: 3);
        model.eval();
        using var a = zeros([1, 8], dtype: int64);
        using var b = a.clone();
        b[0, 7] = tensor(4L);
        using var la = model.forward(a);
        using var lb = model.forward(b);
        la.narrow(1, 0, 1).allclose(lb.narrow(1, 0, 1)).Should().BeFalse();
    }

    [Fact]
    public void SameSeedGivesSameWeights()
    {
        using var a = GrowableTransformer.Create(Small, seed: 11);
        using var b = GrowableTransformer.Create(Small, seed: 11);
        foreach (var ((_, pa), (_, pb)) in a.named_parameters().Zip(b.named_parameters()))
            pa.allclose(pb, 0, 0).Should().BeTrue();
    }

    [Fact]
    public void LoadWeightsCopiesAndRejectsMismatches()
    {
        using var a = GrowableTransformer.Create(Small, seed: 1);
        using var b = GrowableTransformer.Create(Small, seed: 2);
        var weights = a.CloneWeights();
        b.LoadWeights(weights);
        foreach (var ((_, pa), (_, pb)) in a.named_parameters().Zip(b.named_parameters())) pa.allclose(pb, 0, 0).Should().BeTrue();

        using var wrong = zeros(3, 3);
        var bad = new Dictionary<string, Tensor>(weights) { [ParameterNames.HeadBias] = wrong };
        var act = () => b.LoadWeights(bad);
        act.Should().Throw<ArgumentException>().WithMessage("*head.bias*[3, 3]*");
        foreach (var w in weights.Values) w.Dispose();
    }

    [Fact]
    public void TooLongInputNamesTheLimit()
    {
        using var model = new GrowableTransformer(Small);
        using var tokens = zeros([1, 13], dtype: int64);
        var act = () => model.forward(tokens);
        act.Should().Throw<ArgumentException>().WithMessage("*13*MaxLength 12*");
    }
}
