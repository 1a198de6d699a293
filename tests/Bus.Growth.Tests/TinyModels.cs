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
    public static GrowableTransformer Random(TransformerConfig config, long seed, double std = 0.3)
    {
        var model = GrowableTransformer.Create(config, seed);
        using var noGrad = no_grad();
        var generator = new Generator((ulong)seed + 1000);
        foreach (var (name, p) in model.named_parameters())
        {
            using var scope = NewDisposeScope();
            var offset = model.Layout.Resolve(name).Rule.Kind == ParameterKind.NormGain ? 1.0 : 0.0;
            p.copy_(randn(p.shape, generator: generator) * std + offset);
        }
        model.eval();
        return model;
    }

    public static Tensor Tokens(TransformerConfig config, long seed, int batch = 4)
    {
        var generator = new Generator((ulong)seed + 77);
        return randint(config.VocabSize, [batch, config.MaxLength], generator: generator, dtype: int64);
    }

    /// <summary>max |f_big(x) - f_small(x)| on random tokens.</summary>
    public static double MaxOutputDifference(GrowableTransformer small, GrowableTransformer big, long seed = 5)
    {
        small.eval();
        big.eval();
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        var tokens = Tokens(small.Config, seed);
        return (small.forward(tokens) - big.forward(tokens)).abs().max().item<float>();
    }

    /// <summary>max |f_big(x) - f_small(x)| / max |f_small(x)| on random tokens.</summary>
    public static double RelativeOutputDifference(GrowableTransformer small, GrowableTransformer big, long seed = 5)
    {
        small.eval();
        big.eval();
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        var tokens = Tokens(small.Config, seed);
        var reference = small.forward(tokens);
        return (reference - big.forward(tokens)).abs().max().item<float>() / reference.abs().max().item<float>();
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
