namespace Bus.Core.Tests.Generation;

/// <summary>Small decoders of both families with weights drawn wide enough that attention is far from uniform.</summary>
internal static class GenerationModels
{
    public static readonly TransformerConfig Gpt = new()
    {
        VocabSize = 13, DModel = 16, Heads = 2, FeedForwardSize = 32, Layers = 2, MaxLength = 16, Mode = ModelMode.Decoder,
    };

    /// <summary>Grouped-query attention (2 kv heads for 4 query heads), rotary positions, tied head.</summary>
    public static readonly TransformerConfig Llama = new()
    {
        Architecture = ModelArchitecture.Llama, VocabSize = 13, DModel = 16, Heads = 4, KvHeads = 2, FeedForwardSize = 24, Layers = 2,
        MaxLength = 16, Mode = ModelMode.Decoder, TieEmbeddings = true,
    };

    public static IEnumerable<object[]> Both() => [[nameof(Gpt)], [nameof(Llama)]];

    public static TransformerConfig Config(string family) => family == nameof(Gpt) ? Gpt : Llama;

    /// <summary>A model of <paramref name="family"/> in evaluation mode, every weight normal(0, 0.5) from a seeded generator.</summary>
    public static GrowableTransformer Create(string family, long seed)
    {
        var model = new GrowableTransformer(Config(family));
        using var generator = new Generator(unchecked((ulong)seed));
        using (no_grad())
            foreach (var p in model.parameters()) p.normal_(0, 0.5, generator);
        model.eval();
        return model;
    }

    /// <summary>Logits of the module's own (uncached) forward over <paramref name="tokens"/>, [time, vocab].</summary>
    public static Tensor FullForward(GrowableTransformer model, IEnumerable<long> tokens)
    {
        using var noGrad = no_grad();
        using var input = tensor(tokens.ToArray(), dtype: int64).unsqueeze(0);
        using var logits = model.forward(input);
        return logits[0].clone();
    }

    /// <summary>allclose with a relative tolerance: |a - b| &lt;= rtol (|b| + max|b|) elementwise.</summary>
    public static bool CloseRelative(Tensor actual, Tensor expected, double rtol = 1e-4)
    {
        double scale = expected.abs().max().item<float>();
        return actual.allclose(expected, rtol, rtol * scale);
    }
}
