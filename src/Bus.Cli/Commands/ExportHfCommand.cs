using Bus.Core.Interop;
using Bus.Core.Model;

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
            + "byte (tokenizer.json) or sentencepiece:PATH (tokenizer.model)",
    };
    private static readonly Option<bool> Probe = new("--probe") { Description = "also write bus-probe.safetensors: seeded tokens "
        + "and Bus's logits, for scripts/python/interop_check.py verify" };

    /// <summary>Builds the command.</summary>
    public static Command Create()
    {
        var command = CommandFactory.Create("export-hf",
            "Export a Bus decoder as a Hugging Face folder (GPT2LMHeadModel or LlamaForCausalLM: model.safetensors + config.json + "
            + "vocab.json).",
            Model, Out, Vocabulary, Probe, TokenizerName);
        command.SetAction((parse, ct) =>
        {
            string path = parse.GetValue(Model)!, outDir = parse.GetValue(Out)!;
            if (!File.Exists(path)) throw new FileNotFoundException($"model: '{path}' does not exist.", path);
            OutputPaths.RequireCreatableFolder("--out", outDir); // before the model is read; nothing is created yet
            Core.Tokenization.ITextTokenizer? tokenizer = null;
            if (parse.GetValue(TokenizerName) is { } name)
            {
                try { tokenizer = Core.Tokenization.TextTokenizers.Create(name); }
                catch (ArgumentException e) { throw new ArgumentException($"--tokenizer {name}: "
                    + $"{e.Message.Split(" (Parameter")[0]}", "--tokenizer", e); }
                if (tokenizer is Core.Tokenization.Text8Tokenizer or Core.Tokenization.HfJsonTokenizer || name.StartsWith("cl100k",
                    StringComparison.OrdinalIgnoreCase)
                    || name.StartsWith("o200k", StringComparison.OrdinalIgnoreCase))
                    throw new ArgumentException($"--tokenizer {name}: must be gpt2, byte or sentencepiece:PATH (text8 is written as "
                        + $"vocab.json by default).", "--tokenizer");
            }
            using var model = ModelCheckpoint.Load(path);
            if (tokenizer is not null && tokenizer.VocabularySize > model.Config.VocabSize)
                throw new ArgumentException(
                    $"--tokenizer {parse.GetValue(TokenizerName)}: its {tokenizer.VocabularySize} ids do not fit the model's "
                        + $"VocabSize {model.Config.VocabSize}.", "--tokenizer");
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
