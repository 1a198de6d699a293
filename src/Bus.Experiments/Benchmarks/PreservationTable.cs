namespace Bus.Experiments.Benchmarks;

/// <summary>One row of <see cref="PreservationTable"/>.</summary>
/// <param name="Family">gpt, llama or llama-tied.</param>
/// <param name="Mode">Encoder or decoder.</param>
/// <param name="Operator">Operator name.</param>
/// <param name="Growth">What grew, e.g. <c>d 16->32, heads 4->8, kv 2->4, d_ff 24->48</c>.</param>
/// <param name="ClaimedExact">Whether the operator claims function preservation for this growth.</param>
/// <param name="MaxRelativeDifference">max |logit difference| / max |logit| on random tokens.</param>
public sealed record PreservationRow(string Family, ModelMode Mode, string Operator, string Growth, bool ClaimedExact,
    double MaxRelativeDifference)
{
    /// <summary>Relative tolerance of a function-preserving growth: 1e-5 x max |logit|.</summary>
    public const double Tolerance = 1e-5;

    /// <summary>True when the measured difference is within <see cref="Tolerance"/>.</summary>
    public bool Exact => MaxRelativeDifference <= Tolerance;
}

/// <summary>
/// Function preservation of every built-in operator that needs no training data, on each family and mode: a small model
/// with random weights (std 0.3, gains 1 + noise; not a fresh initialisation) is grown, and both models' logits are
/// compared on random token batches. Width operators double d_model, heads, kv heads and d_ff; depth operators double layers.
/// </summary>
public static class PreservationTable
{
    /// <summary>Operators in the table and whether each claims exact function preservation for the table's growth.</summary>
    public static IReadOnlyList<(string Name, bool ClaimedExact)> Operators { get; } =
    [
        ("bus-identity", false), ("fpi-width", false), ("fpi-width-rr", true), ("hypercloning", true), ("spectral", false),
        ("stack-depth", false), ("interpolate-depth", false), ("fpi-depth-top", true), ("fpi-depth-interleave", true),
    ];

    /// <summary>Measures every (family, mode, operator) with seed <paramref name="seed"/>.</summary>
    public static IReadOnlyList<PreservationRow> Run(long seed = 1)
    {
        var rows = new List<PreservationRow>();
        var families = new (string Name, TransformerConfig Config)[]
        {
            ("gpt", new TransformerConfig { VocabSize = 11, MaxLength = 8, DModel = 16, Heads = 2, FeedForwardSize = 24, Layers = 2,
                Classes = 3 }),
            ("llama", new TransformerConfig { Architecture = ModelArchitecture.Llama, VocabSize = 11, MaxLength = 8, DModel = 16, Heads = 4,
                KvHeads = 2, FeedForwardSize = 24, Layers = 2, Classes = 3 }),
        };
        foreach (var (family, baseConfig) in families)
            foreach (var mode in new[] { ModelMode.Encoder, ModelMode.Decoder })
                foreach (var tied in family == "llama" && mode == ModelMode.Decoder ? new[] { false, true } : [false])
                {
                    var small = baseConfig with { Mode = mode, TieEmbeddings = tied };
                    foreach (var (name, claimed) in Operators)
                    {
                        bool depth = name.EndsWith("-depth", StringComparison.Ordinal)
                            || name.StartsWith("fpi-depth", StringComparison.Ordinal);
                        var big = depth ? small with { Layers = small.Layers * 2 }
                            : small with { DModel = small.DModel * 2, Heads = small.Heads * 2, KvHeads = small.KvHeads * 2,
                                FeedForwardSize = small.FeedForwardSize * 2 };
                        rows.Add(new(tied ? "llama-tied" : family, mode, name, Describe(small, big), claimed,
                            Measure(GrowthOperators.Create(name), small, big, seed)));
                    }
                }
        return rows;
    }

    /// <summary>max |f_big(x) - f_small(x)| / max |f_small(x)| over 4 random batches of full-length sequences.</summary>
    public static double Measure(IGrowthOperator op, TransformerConfig small, TransformerConfig big, long seed)
    {
        ArgumentNullException.ThrowIfNull(op);
        using var source = RandomModel(small, seed);
        using var grown = op.Grow(source, big, new GrowthContext(seed));
        source.eval();
        grown.eval();
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        var tokens = randint(small.VocabSize, [4, small.MaxLength], generator: new Generator(unchecked((ulong)seed) + 77), dtype: int64);
        var reference = source.forward(tokens);
        return (grown.forward(tokens) - reference).abs().max().item<float>() / reference.abs().max().item<float>();
    }

    /// <summary>A model of <paramref name="config"/> whose every parameter is random with std 0.3 (norm gains around 1).</summary>
    public static GrowableTransformer RandomModel(TransformerConfig config, long seed)
    {
        var model = GrowableTransformer.Create(config, seed);
        var layout = model.Layout;
        using var noGrad = no_grad();
        var generator = new Generator(unchecked((ulong)seed) + 1000);
        foreach (var (name, p) in model.named_parameters())
        {
            using var scope = NewDisposeScope();
            double offset = layout.Resolve(name).Rule.Kind == ParameterKind.NormGain ? 1.0 : 0.0;
            p.copy_(randn(p.shape, generator: generator) * 0.3 + offset);
        }
        return model;
    }

    private static string Describe(TransformerConfig a, TransformerConfig b)
    {
        var parts = new List<string>();
        void Add(string label, int x, int y) { if (x != y) parts.Add($"{label} {x}->{y}"); }
        Add("d", a.DModel, b.DModel);
        Add("heads", a.Heads, b.Heads);
        if (a.Architecture == ModelArchitecture.Llama) Add("kv", a.KvHeads, b.KvHeads);
        Add("d_ff", a.FeedForwardSize, b.FeedForwardSize);
        Add("layers", a.Layers, b.Layers);
        return string.Join(", ", parts);
    }
}
