using Bus.Core.Generation;

namespace Bus.Experiments.Benchmarks;

/// <summary>One row of <see cref="GenerationBenchmark.Run"/>: one generation path's speed.</summary>
/// <param name="Path">"cached" (key/value cache) or "uncached" (full forward per token).</param>
/// <param name="Tokens">Tokens generated.</param>
/// <param name="Seconds">Wall-clock seconds of the timed generation.</param>
/// <param name="Generated">The token ids produced (equal between the paths).</param>
public sealed record GenerationBenchmarkRow(string Path, int Tokens, double Seconds, IReadOnlyList<int> Generated)
{
    /// <summary>Tokens per second.</summary>
    public double TokensPerSecond => Tokens / Math.Max(Seconds, 1e-9);
}

/// <summary>
/// Cached against uncached greedy generation from one seeded decoder, in one process: each path is warmed up, then
/// generates the same number of tokens from the same prompt; the rows carry both token lists so a caller can check
/// they are equal. Not a unit test; <c>bus bench-generate</c> prints the rows.
/// </summary>
public static class GenerationBenchmark
{
    /// <summary>Prompt length of the benchmark (tokens drawn from the seed).</summary>
    public const int PromptLength = 8;

    /// <summary>Times greedy generation of <paramref name="tokens"/> tokens with and without the key/value cache.</summary>
    /// <param name="config">A decoder; MaxLength must hold the prompt and the tokens.</param>
    /// <param name="tokens">Tokens to generate per path.</param>
    /// <param name="seed">Seed of the weights and the prompt.</param>
    /// <returns>The cached row, then the uncached row.</returns>
    public static IReadOnlyList<GenerationBenchmarkRow> Run(TransformerConfig config, int tokens, long seed = 0)
    {
        ArgumentNullException.ThrowIfNull(config);
        using var model = GrowableTransformer.Create(config, seed);
        model.eval();
        var random = new Random(unchecked((int)seed));
        var prompt = Enumerable.Range(0, PromptLength).Select(_ => random.Next(config.VocabSize)).ToArray();
        var options = new GenerationOptions { Temperature = 0, MaxNewTokens = tokens };
        var rows = new List<GenerationBenchmarkRow>();
        foreach (bool cached in new[] { true, false })
        {
            var pathOptions = options with { UseKeyValueCache = cached };
            _ = model.Generate(prompt, pathOptions with { MaxNewTokens = Math.Min(tokens, 8) }).ToList(); // warm-up
            var clock = Stopwatch.StartNew();
            var generated = model.Generate(prompt, pathOptions).ToList();
            rows.Add(new GenerationBenchmarkRow(cached ? "cached" : "uncached", generated.Count, clock.Elapsed.TotalSeconds, generated));
        }
        return rows;
    }
}
