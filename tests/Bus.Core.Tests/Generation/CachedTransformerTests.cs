namespace Bus.Core.Tests.Generation;

public class CachedTransformerTests
{
    [Theory]
    [MemberData(nameof(GenerationModels.Both), MemberType = typeof(GenerationModels))]
    public void IncrementalLogitsEqualTheFullForwardOverTheSamePrefix(string family)
    {
        using var model = GenerationModels.Create(family, seed: 11);
        var config = model.Config;
        long[] sequence = [3, 7, 1, 12, 0, 5, 5, 9, 2, 11, 4, 8, 6, 10, 1, 3]; // 16 = MaxLength tokens
        var weights = model.named_parameters().ToDictionary(p => p.name, p => (Tensor)p.parameter);
        using var cache = new KeyValueCache(config, config.MaxLength, model.Device);
        using var reference = GenerationModels.FullForward(model, sequence);
        // a prompt chunk of 5, one token at a time, a chunk of 3 after cached positions (mask with an offset), then one by one
        int[] chunks = [5, 1, 1, 3, 1, 1, 1, 1, 1, 1];
        int position = 0;
        foreach (int count in chunks)
        {
            using var input = tensor(sequence[position..(position + count)], dtype: int64).unsqueeze(0);
            using var logits = CachedTransformer.Forward(weights, cache, input);
            using var expected = reference.narrow(0, position, count);
            GenerationModels.CloseRelative(logits[0], expected).Should().BeTrue($"{family}: positions {position}..{position + count - 1}");
            position += count;
            cache.Length.Should().Be(position);
        }
        position.Should().Be(config.MaxLength);
    }

    [Fact]
    public void TheCachedLogitsDependOnThePrefixSoTheCheckIsNotVacuous()
    {
        using var model = GenerationModels.Create(nameof(GenerationModels.Llama), seed: 11);
        var weights = model.named_parameters().ToDictionary(p => p.name, p => (Tensor)p.parameter);
        using var a = new KeyValueCache(model.Config, 8, model.Device);
        using var b = new KeyValueCache(model.Config, 8, model.Device);
        using var promptA = tensor(new long[] { 1, 2, 3 }).unsqueeze(0);
        using var promptB = tensor(new long[] { 4, 2, 3 }).unsqueeze(0);
        using var next = tensor(new long[] { 7 }).unsqueeze(0);
        CachedTransformer.Forward(weights, a, promptA).Dispose();
        CachedTransformer.Forward(weights, b, promptB).Dispose();
        using var la = CachedTransformer.Forward(weights, a, next);
        using var lb = CachedTransformer.Forward(weights, b, next);
        GenerationModels.CloseRelative(la, lb, 1e-2).Should().BeFalse("the new token attends to the cached keys and values");
    }

    [Fact]
    public void TokensBeyondTheCapacityAreRefused()
    {
        using var model = GenerationModels.Create(nameof(GenerationModels.Gpt), seed: 1);
        var weights = model.named_parameters().ToDictionary(p => p.name, p => (Tensor)p.parameter);
        using var cache = new KeyValueCache(model.Config, 4, model.Device);
        using var tokens = tensor(new long[] { 1, 2, 3, 4, 5 }).unsqueeze(0);
        var act = () => CachedTransformer.Forward(weights, cache, tokens);
        act.Should().Throw<ArgumentException>().WithMessage("*capacity 4*");
        var tooLarge = () => new KeyValueCache(model.Config, 17, model.Device);
        tooLarge.Should().Throw<ArgumentOutOfRangeException>().WithParameterName("capacity");
    }

    [Fact]
    public void AnEncoderIsRefused()
    {
        var encoder = GenerationModels.Gpt with { Mode = ModelMode.Encoder };
        using var model = new GrowableTransformer(encoder);
        var weights = model.named_parameters().ToDictionary(p => p.name, p => (Tensor)p.parameter);
        using var cache = new KeyValueCache(encoder, 4, model.Device);
        using var tokens = tensor(new long[] { 1 }).unsqueeze(0);
        var act = () => CachedTransformer.Forward(weights, cache, tokens);
        act.Should().Throw<InvalidOperationException>().WithMessage("*decoder*");
    }
}
