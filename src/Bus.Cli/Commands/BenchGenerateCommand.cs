namespace Bus.Cli.Commands;

/// <summary><c>bus bench-generate</c>: tokens/s of greedy generation with and without the key/value cache, side by side.</summary>
public static class BenchGenerateCommand
{
    private static readonly Option<ModelArchitecture> Arch = RunOptions.Create<ModelArchitecture>("--arch",
        "model family: gpt or llama", ModelArchitecture.Gpt);
    private static readonly ModelShapeOptions Shape = new(width: 128, heads: 4, layers: 4);
    private static readonly Option<int> Tokens = RunOptions.Create<int>("--tokens",
        $"tokens generated per path, 1..65536 (the context is the prompt of {GenerationBenchmark.PromptLength} plus these)", 256);

    /// <summary>Builds the command.</summary>
    public static Command Create()
    {
        var command = CommandFactory.Create("bench-generate",
            "Generation speed: tokens/s with and without the key/value cache, on a seeded char-LM-sized decoder.",
            Arch, Shape.Width, Shape.Layers, Shape.Heads, Tokens);
        command.SetAction(parse =>
        {
            var (d, heads, layers) = Shape.Read(parse);
            int tokens = parse.Size(Tokens, ModelSizeLimits.MaxContext);
            var config = Shape.Config(parse, new TransformerConfig
            {
                Architecture = parse.GetValue(Arch), VocabSize = 27, Mode = ModelMode.Decoder,
                    MaxLength = GenerationBenchmark.PromptLength + tokens,
            });
            var rows = GenerationBenchmark.Run(config, tokens);
            Console.WriteLine(
                $"{config.Architecture} d={d} layers={layers} heads={heads}, "
                + $"prompt {GenerationBenchmark.PromptLength} + {tokens} greedy tokens");
            Console.WriteLine("| path | tokens | seconds | tokens/s |");
            Console.WriteLine("|---|---|---|---|");
            foreach (var r in rows)
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"| {r.Path} | {r.Tokens} | {r.Seconds:F2} | {r.TokensPerSecond:F0} |"));
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"cached / uncached: {rows[0].TokensPerSecond / rows[1].TokensPerSecond:F1}x; "
                + $"same tokens: {(rows[0].Generated.SequenceEqual(rows[1].Generated) ? "yes" : "NO")}"));
        });
        return command;
    }
}
