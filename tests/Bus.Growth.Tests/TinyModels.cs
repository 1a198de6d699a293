namespace Bus.Growth.Tests;

/// <summary>Tiny models with deliberately large random weights, so function preservation is a non-trivial check.</summary>
internal static class TinyModels
{
    public static TransformerConfig Config(int dModel, int heads, int feedForwardSize, int layers = 2, ModelMode mode = ModelMode.Encoder) =>
        new() { VocabSize = 11, MaxLength = 8, DModel = dModel, Heads = heads, FeedForwardSize = feedForwardSize, Layers = layers, Mode = mode, Classes = 3 };

    public static TransformerConfig Llama(int dModel, int heads, int kvHeads, int feedForwardSize, int layers = 2, ModelMode mode = ModelMode.Decoder, bool tied = false) =>
        new()
        {
            Architecture = ModelArchitecture.Llama, VocabSize = 11, MaxLength = 8, DModel = dModel, Heads = heads, KvHeads = kvHeads, FeedForwardSize = feedForwardSize,
            Layers = layers, Mode = mode, Classes = 3, TieEmbeddings = tied,
        };

    /// <summary>A model whose every parameter (biases and LayerNorm gains included) is random with std <paramref name="std"/>.</summary>
    public static GrowableTransformer Random(TransformerConfig config, long seed, double std = 0.3) =>
        Bus.Testing.RandomModels.Create(config, seed, std);

    /// <summary>The parameters of a <see cref="Random"/> model, cloned by name (the model itself is disposed).</summary>
    public static Dictionary<string, Tensor> RandomWeights(TransformerConfig config, long seed)
    {
        using var model = Random(config, seed);
        return model.CloneWeights();
    }

    public static Tensor Tokens(TransformerConfig config, long seed, int batch = 4)
    {
        var generator = new Generator((ulong)seed + 77);
        return randint(config.VocabSize, [batch, config.MaxLength], generator: generator, dtype: int64);
    }

    /// <summary>max |f_big(x) - f_small(x)| on random tokens.</summary>
    public static double MaxOutputDifference(GrowableTransformer small, GrowableTransformer big, long seed = 5) =>
        OutputDifference(small, big, seed).Max;

    /// <summary>max |f_big(x) - f_small(x)| / max |f_small(x)| on random tokens.</summary>
    public static double RelativeOutputDifference(GrowableTransformer small, GrowableTransformer big, long seed = 5)
    {
        var (max, scale) = OutputDifference(small, big, seed);
        return max / scale;
    }

    // max |f_big(x) - f_small(x)| and max |f_small(x)| on random tokens, both models in eval mode.
    private static (float Max, float Scale) OutputDifference(GrowableTransformer small, GrowableTransformer big, long seed)
    {
        small.eval();
        big.eval();
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        var tokens = Tokens(small.Config, seed);
        var reference = small.forward(tokens);
        return ((reference - big.forward(tokens)).abs().max().item<float>(), reference.abs().max().item<float>());
    }

    /// <summary>
    /// The relative differences, on <paramref name="tokens"/>, of the grown model at mask 1 from the same model with the
    /// mask removed, and of the unmasked model from <paramref name="small"/> (eval mode, no gradient).
    /// </summary>
    public static (double MaskedVsUnmasked, double UnmaskedVsSmall) AtMaskOne(GrowableTransformer grown, GrowableTransformer small,
        Tensor tokens)
    {
        grown.eval();
        using var noGrad = no_grad();
        grown.Mask!.Value = 1;
        using var masked = grown.forward(tokens);
        grown.Mask = null;
        using var unmasked = grown.forward(tokens);
        using var reference = small.forward(tokens);
        return (RelativeDifference(masked, unmasked), RelativeDifference(unmasked, reference));
    }

    /// <summary>max |a - b| / max |b| (relative to the magnitude of the reference b).</summary>
    public static double RelativeDifference(Tensor a, Tensor b)
    {
        using var scope = NewDisposeScope();
        double scale = b.to_type(float64).abs().max().item<double>();
        return MaxDifference(a, b) / (scale > 0 ? scale : 1);
    }

    public static double MaxDifference(Tensor a, Tensor b)
    {
        using var scope = NewDisposeScope();
        return (a.to_type(float64) - b.to_type(float64)).abs().max().item<double>();
    }

    /// <summary>Gradients of the mean-square of the outputs (a loss that uses every logit) on random tokens, by name.</summary>
    public static Dictionary<string, Tensor> Gradients(GrowableTransformer model, long seed = 9)
    {
        model.eval();
        model.zero_grad();
        using (var scope = NewDisposeScope())
        {
            var tokens = Tokens(model.Config, seed);
            var output = model.forward(tokens);
            using var target = randn(output.shape, generator: new Generator((ulong)seed));
            (output * target).sum().backward();
        }
        return model.named_parameters().ToDictionary(p => p.name, p => p.parameter.grad!.detach().clone());
    }
}
