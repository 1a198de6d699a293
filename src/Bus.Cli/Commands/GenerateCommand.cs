using Bus.Core.Generation;

namespace Bus.Cli.Commands;

/// <summary>
/// <c>bus generate</c>: continues a prompt with a decoder checkpoint (<c>bus train --task charlm --save</c>, either family),
/// printing each token's text as soon as it is picked. Greedy at <c>--temperature 0</c>, else seeded sampling with
/// optional top-k and top-p; a key/value cache makes each token cost one position's forward (<see cref="TokenGenerator"/>).
/// The prompt and the new tokens must fit in the model's context. Text goes to stdout, one summary line to stderr.
/// </summary>
public static class GenerateCommand
{
    private static readonly Option<string> Model = new("--model")
    {
        Description = "decoder checkpoint (.safetensors from bus train --task charlm --save)", Required = true,
    };
    private static readonly Option<string> Prompt = new("--prompt")
    {
        Description = "text to continue (at least one character of the model's vocabulary)", Required = true,
    };
    private static readonly Option<int?> MaxTokens = new("--max-tokens")
    {
        Description = "most tokens to generate, at least 1 (default: the rest of the model's context; prompt + tokens must fit in it)",
    };
    private static readonly Option<double> TemperatureOption = RunOptions.Create<double>("--temperature",
        "softmax temperature, >= 0 (0: greedy)", 0.8);
    private static readonly Option<int?> TopKOption = new("--top-k") { Description = "sample from the k most likely tokens only, k >= 1" };
    private static readonly Option<double> TopPOption = RunOptions.Create<double>("--top-p",
        "nucleus sampling: the smallest set of most likely tokens holding this probability, in (0, 1]", 1.0);
    private static readonly Option<long> Seed = RunOptions.Seed(0, "seed of the sampling");
    private static readonly Option<string[]> Stop = new("--stop")
    {
        Description = "a token that ends generation (not printed), repeatable, e.g. --stop \" \" to stop after one word",
        AllowMultipleArgumentsPerToken = false,
    };
    private static readonly Option<string?> Tokenizer = new("--tokenizer")
    {
        Description = "the tokenizer the model's corpus was prepared with (bus prepare --tokenizer): byte, gpt2, cl100k, o200k, "
            + "sentencepiece:PATH, hf:PATH; default: the one the model file records, else text8 (27-symbol models)",
    };
    private static readonly Option<bool> NoCache = new("--no-cache")
    {
        Description = "recompute the full forward for every token (the reference path; slower)",
    };
    private static readonly Option<string> Device = RunOptions.Device();

    /// <summary>Builds the command.</summary>
    public static Command Create()
    {
        var command = CommandFactory.Create("generate", "Continue a prompt with a trained decoder, streaming the text as it is produced.",
            Model, Prompt, Tokenizer, MaxTokens, TemperatureOption, TopKOption, TopPOption, Seed, Stop,
            NoCache, Device);
        command.SetAction((parse, ct) => Task.FromResult(Run(parse, ct)));
        return command;
    }

    /// <summary>Runs with the parsed options; returns the exit code.</summary>
    public static int Run(ParseResult parse, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(parse);
        string path = parse.GetValue(Model)!, prompt = parse.GetValue(Prompt)!;
        int? maxTokens = parse.GetValue(MaxTokens), topK = parse.GetValue(TopKOption);
        double temperature = parse.GetValue(TemperatureOption), topP = parse.GetValue(TopPOption);
        // Every check names the option and its value, and runs before the model is read.
        if (maxTokens is { } m) ModelSizeLimits.RequireSize("--max-tokens", m, ModelSizeLimits.MaxContext);
        Require(double.IsFinite(temperature) && temperature >= 0, "--temperature", temperature,
            "must be finite and at least 0 (0 is greedy)");
        Require(topK is null or >= 1, "--top-k", topK, "must be at least 1");
        Require(double.IsFinite(topP) && topP > 0 && topP <= 1, "--top-p", topP, "must be in (0, 1]");
        var device = Core.BusDevice.Parse(parse.GetValue(Device)!);
        if (!File.Exists(path)) throw new FileNotFoundException($"--model '{path}': the file does not exist.", path);

        var recorded = ModelTokenizerChoice.Recorded(path, "--model");
        using var model = ModelCheckpoint.Load(path, device);
        var codec = GenerationTextCodec.For(model, "--model", parse.GetValue(Tokenizer), recorded: recorded,
            modelDescription: $"--model {path}");
        var ids = codec.Encode(prompt, "--prompt");
        Require(ids.Length > 0, "--prompt", "''", "must hold at least one character");
        int room = model.Config.MaxLength - ids.Length;
        Require(room > 0, "--prompt", Quote(prompt),
            $"has {ids.Length} tokens and leaves no room in the model's context of {model.Config.MaxLength}");
        Require(maxTokens is null || maxTokens <= room, "--max-tokens", maxTokens,
            $"does not fit: the prompt has {ids.Length} tokens and the model's context is {model.Config.MaxLength} "
            + $"(at most {room} new tokens)");
        var stops = new List<int>();
        foreach (string stop in parse.GetValue(Stop) ?? [])
        {
            var encoded = codec.Encode(stop, "--stop");
            Require(encoded.Length == 1, "--stop", Quote(stop), "must be exactly one token (one character)");
            stops.Add(encoded[0]);
        }
        var options = new GenerationOptions
        {
            MaxNewTokens = maxTokens ?? room, Temperature = temperature, TopK = topK, TopP = topP, Seed = parse.GetValue(Seed),
            StopTokens = stops, UseKeyValueCache = !parse.GetValue(NoCache),
        };

        var stdout = Console.Out;
        stdout.Write(prompt);
        stdout.Flush();
        var clock = Stopwatch.StartNew();
        int produced = 0;
        foreach (int id in model.Generate(ids, options, ct))
        {
            stdout.Write(codec.Decode(id));
            stdout.Flush(); // stream: each token's text as soon as it is picked
            produced++;
        }
        stdout.Write(codec.Flush());
        stdout.WriteLine();
        double seconds = clock.Elapsed.TotalSeconds;
        Console.Error.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"generated {produced} tokens in {seconds:F2} s ({produced / Math.Max(seconds, 1e-9):F0} tokens/s), "
            + $"{(options.UseKeyValueCache ? "with" : "without")} the key/value cache"));
        return 0;
    }

    private static string Quote(string text) => $"'{text}'";

    private static void Require(bool ok, string option, object? value, string rule)
    {
        if (!ok) throw new ArgumentException(string.Create(CultureInfo.InvariantCulture, $"{option} {value}: {rule}."), option);
    }
}
