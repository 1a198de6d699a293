using TorchSharp;

namespace Bus.Interop.Tests;

/// <summary>Small decoders with random (not freshly initialised) weights, and probe files for the interop tests.</summary>
internal static class Models
{
    public static TransformerConfig Decoder(int dModel = 32, int heads = 4, int feedForwardSize = 48, int layers = 2, int vocab = 27, int maxLength = 8) =>
        new() { Mode = ModelMode.Decoder, VocabSize = vocab, MaxLength = maxLength, DModel = dModel, Heads = heads, FeedForwardSize = feedForwardSize, Layers = layers };

    public static TransformerConfig Llama(int kvHeads = 2, bool tied = false, double ropeTheta = 10000) =>
        Decoder(dModel: 32, heads: 4, feedForwardSize: 40, layers: 2) with { Architecture = ModelArchitecture.Llama, KvHeads = kvHeads, TieEmbeddings = tied, RopeTheta = ropeTheta };

    /// <summary>Every parameter (biases, head bias and LayerNorm gains included) random with std <paramref name="std"/>.</summary>
    public static GrowableTransformer Random(TransformerConfig config, long seed, double std = 0.3) =>
        Bus.Testing.RandomModels.Create(config, seed, std);

    public static Tensor Tokens(TransformerConfig config, long seed, int batch = 3) =>
        randint(config.VocabSize, [batch, config.MaxLength], generator: new Generator((ulong)seed + 77), dtype: int64);

    public static Tensor Logits(GrowableTransformer model, Tensor tokens)
    {
        model.eval();
        using var noGrad = no_grad();
        return model.forward(tokens);
    }

    /// <summary>max |a - b| / max |b| in float64.</summary>
    public static double RelativeDifference(Tensor a, Tensor b)
    {
        using var scope = NewDisposeScope();
        var a64 = a.to_type(float64);
        var b64 = b.to_type(float64);
        return (a64 - b64).abs().max().item<double>() / b64.abs().max().item<double>();
    }

    /// <summary>Writes a probe (tokens and the logits they must produce) for scripts/python/interop_check.py verify.</summary>
    public static void WriteProbe(string path, Tensor tokens, Tensor logits) =>
        SafeTensorsFile.Save(path, new Dictionary<string, Tensor> { ["tokens"] = tokens, ["logits"] = logits });

    /// <summary>Relative difference between the probe's logits and <paramref name="model"/>'s on the probe's tokens.</summary>
    public static double CompareWithProbe(GrowableTransformer model, string probePath)
    {
        using var probe = SafeTensorsFile.Load(probePath);
        using var logits = Logits(model, probe.Tensors["tokens"]);
        return RelativeDifference(logits, probe.Tensors["logits"]);
    }
}
