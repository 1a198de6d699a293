namespace Bus.Cli.Commands;

/// <summary>
/// <c>bus import-hf</c>: reads a Hugging Face GPT2LMHeadModel or LlamaForCausalLM folder into a Bus checkpoint,
/// optionally checking logits against a probe.
/// </summary>
public static class ImportHfCommand
{
    private static readonly Argument<string> From = new("folder")
    {
        Description = "Hugging Face model folder (config.json + model.safetensors, or shards listed by model.safetensors.index.json)",
    };
    private static readonly Option<string> Out = new("--out") { Description = "Bus model checkpoint to write (.safetensors)",
        Required = true };
    private static readonly Option<string?> Probe = new("--probe") { Description = "probe file (tokens + logits from PyTorch) the "
        + "imported model must reproduce" };
    private static readonly Option<double> Rtol = new("--rtol")
    {
        Description = "largest allowed max|logit difference| / max|logit| for --probe, positive, at most 1",
        DefaultValueFactory = _ => 1e-4,
    };

    /// <summary>Builds the command.</summary>
    public static Command Create()
    {
        var command = new Command("import-hf",
            "Import a Hugging Face GPT2LMHeadModel or LlamaForCausalLM folder as a Bus checkpoint (then grow or train it in Bus).");
        command.Add(From);
        command.Add(Out);
        command.Add(Probe);
        command.Add(Rtol);
        command.SetAction(parse =>
        {
            string folder = parse.GetValue(From)!, outPath = parse.GetValue(Out)!;
            double rtol = parse.GetValue(Rtol);
            ModelSizeLimits.RequireAmount("--rtol", rtol, 1);
            if (parse.GetValue(Probe) is { } given && !File.Exists(given))
                throw new FileNotFoundException($"--probe: '{given}' does not exist.", given);
            if (!Directory.Exists(folder)) throw new DirectoryNotFoundException($"Model folder '{folder}' does not exist.");
            OutputPaths.RequireWritableFile("--out", outPath); // before the model is read
            using var model = HuggingFaceCheckpoint.Load(folder);
            if (parse.GetValue(Probe) is { } probe)
            {
                var (difference, scale) = LogitProbe.Compare(model, probe);
                Console.WriteLine($"probe {probe}: max|logit diff| = {difference:E3}, max|logit| = {scale:E3}, relative = "
                    + $"{difference / scale:E3} (limit {rtol:G})");
                if (!(difference <= rtol * scale))
                    throw new InvalidDataException($"--probe: the imported model's logits differ from '{probe}' by "
                        + $"{difference / scale:E3} relative (limit {rtol:G}); nothing was written.");
            }
            var tokenizer = ImportedTokenizer.Of(folder, model); // recorded in the model: bus generate needs no --tokenizer
            ModelCheckpoint.Save(model, outPath, tokenizer?.ToMetadata());
            Console.WriteLine($"Wrote {outPath}: {model.Config.Layers} layers, d_model {model.Config.DModel}, "
                + $"{model.ParameterCount:N0} parameters.");
            if (tokenizer is not null)
                Console.WriteLine($"Tokenizer: {tokenizer.Identity} ({tokenizer.VocabularySize} ids), recorded in {outPath}; "
                    + "prepare corpora "
                    + $"for it with bus prepare INPUT --tokenizer {(tokenizer.Files.Count > 0 ? "hf:" + folder : tokenizer.Spec)}");
            return 0;
        });
        return command;
    }
}
