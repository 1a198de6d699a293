namespace Bus.Cli.Infrastructure;

/// <summary>
/// The tokenizer <c>bus export-hf</c> writes beside the model (<see cref="HfTokenizerFiles.Write"/>): <c>--tokenizer</c>, which
/// must be the one the model file records when it records one, else the recorded one. text8 keeps the character vocab.json
/// the export writes by default.
/// </summary>
internal static class ExportTokenizer
{
    /// <summary>The tokenizer to write for the model at <paramref name="modelPath"/>, or null (none named or recorded, or text8).</summary>
    /// <exception cref="ArgumentException">The named tokenizer is unknown, has no Hugging Face form, or differs from the
    /// model's.</exception>
    public static ITextTokenizer? Choose(string modelPath, string? spec)
    {
        var recorded = ModelTokenizerChoice.Recorded(modelPath, "model");
        var tokenizer = ModelTokenizerChoice.Resolve(recorded, spec, $"model {modelPath}");
        if (tokenizer is null || (spec is null && tokenizer is Text8Tokenizer)) return null;
        if (!HfTokenizerFiles.CanWrite(tokenizer))
            throw new ArgumentException($"--tokenizer {spec ?? recorded!.Spec}: must be {HfTokenizerFiles.WritableNames} "
                + "(text8 is written as vocab.json by default).", "--tokenizer");
        return tokenizer;
    }
}
