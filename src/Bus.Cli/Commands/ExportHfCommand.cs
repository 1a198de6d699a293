namespace Bus.Cli.Commands;

/// <summary>
/// <c>bus export-hf</c>: writes a Bus decoder checkpoint as a Hugging Face GPT2LMHeadModel or LlamaForCausalLM folder
/// (docs/interop.md).
/// </summary>
public static class ExportHfCommand
{
    private static readonly Argument<string> Model = new("model") { Description = "Bus model checkpoint (.safetensors from bus "
        + "train --save or ModelCheckpoint.Save)" };
    private static readonly Option<string> Out = new("--out") { Description = "folder to write model.safetensors, config.json and "
        + "vocab.json into", Required = true };
    private static readonly Option<string?> Vocabulary = new("--vocabulary") { Description = "the model's symbols in id order "
        + "(default: the text8 alphabet for 27 symbols)" };
    private static readonly Option<string?> TokenizerName = new("--tokenizer")
    {
        Description = "also write the model's tokenizer as Hugging Face files: gpt2 (vocab.json + merges.txt + tokenizer_config.json), "
            + "byte, cl100k, o200k, hf:PATH (tokenizer.json) or sentencepiece:PATH (tokenizer.model); "
            + "default: the one the model file records",
    };
    private static readonly Option<bool> Probe = new("--probe") { Description = "also write bus-probe.safetensors: seeded tokens "
        + "and Bus's logits, for scripts/python/interop_check.py verify" };

    /// <summary>Builds the command.</summary>
    public static Command Create()
    {
        var command = new Command("export-hf",
            "Export a Bus decoder as a Hugging Face folder (GPT2LMHeadModel or LlamaForCausalLM: model.safetensors + config.json + "
            + "vocab.json).");
        command.Add(Model);
        command.Add(Out);
        command.Add(Vocabulary);
        command.Add(Probe);
        command.Add(TokenizerName);
        command.SetAction((parse, ct) =>
        {
            string path = parse.GetValue(Model)!, outDir = parse.GetValue(Out)!;
            if (!File.Exists(path)) throw new FileNotFoundException($"model: '{path}' does not exist.", path);
            OutputPaths.RequireCreatableFolder("--out", outDir); // before the model is read; nothing is created yet
            var tokenizer = ExportTokenizer.Choose(path, parse.GetValue(TokenizerName)); // the model's own, by default
            using var model = ModelCheckpoint.Load(path);
            if (tokenizer is not null && tokenizer.VocabularySize > model.Config.VocabSize)
                throw new ArgumentException(
                    $"--tokenizer {parse.GetValue(TokenizerName) ?? ModelTokenizerChoice.Recorded(path, "model")?.Spec}: "
                    + $"its {tokenizer.VocabularySize} ids do not fit the model's VocabSize {model.Config.VocabSize}.", "--tokenizer");
            bool probe = parse.GetValue(Probe);
            // Written into a temporary sibling and moved into --out at the end: a failure or Ctrl+C leaves no folder behind.
            StagedFolder.Write(outDir, staging =>
            {
                HuggingFaceCheckpoint.Save(model, staging, new HuggingFaceExportOptions { Vocabulary = parse.GetValue(Vocabulary) });
                if (probe) LogitProbe.Write(model, Path.Combine(staging, "bus-probe.safetensors"));
                if (tokenizer is not null) Core.Tokenization.HfTokenizerFiles.Write(tokenizer, staging);
            }, ct);
            string architecture = model.Config.Architecture == ModelArchitecture.Llama ? "LlamaForCausalLM" : "GPT2LMHeadModel";
            Console.WriteLine($"Wrote {outDir}: {architecture}, {model.Config.Layers} layers, d_model {model.Config.DModel}, "
                + $"{model.ParameterCount:N0} parameters.");
            return Task.FromResult(0);
        });
        return command;
    }
}
