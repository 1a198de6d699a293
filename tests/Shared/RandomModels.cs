using Bus.Core.Model;
using static TorchSharp.torch;

namespace Bus.Testing;

/// <summary>Tiny transformers with deliberately large random weights, so preservation and interop are non-trivial checks.</summary>
internal static class RandomModels
{
    /// <summary>
    /// A model of <paramref name="config"/> whose every parameter (biases, head bias and norm gains included) is random
    /// with std <paramref name="std"/> (norm gains around 1), in eval mode.
    /// </summary>
    public static GrowableTransformer Create(TransformerConfig config, long seed, double std = 0.3)
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
}
