namespace Bus.Cli.Infrastructure;

/// <summary>
/// The tokenizer <c>bus import-hf</c> records in the Bus model it writes (<see cref="ModelTokenizer"/>, files included): the
/// Hugging Face folder's own (<see cref="HfTokenizerFiles.Read"/>), so <c>bus generate</c> and <c>bus train --init</c> use it
/// without <c>--tokenizer</c>. A folder without one, or with one Microsoft.ML.Tokenizers does not read, or whose ids do not
/// fit the model, gives a model that records none (a note says why).
/// </summary>
internal static class ImportedTokenizer
{
    /// <summary>The record for the model imported from <paramref name="folder"/>, or null.</summary>
    public static ModelTokenizer? Of(string folder, GrowableTransformer model)
    {
        ArgumentNullException.ThrowIfNull(model);
        ITextTokenizer? tokenizer;
        try { tokenizer = HfTokenizerFiles.Read(folder); }
        catch (Exception e) when (e is IOException or InvalidDataException or ArgumentException)
        {
            Console.WriteLine($"note: the folder's tokenizer cannot be read ({e.Message}); the model records none");
            return null;
        }
        if (tokenizer is null) return null;
        if (tokenizer.VocabularySize > model.Config.VocabSize)
        {
            Console.WriteLine($"note: the folder's tokenizer {tokenizer.Identity} has {tokenizer.VocabularySize} ids, "
                + "more than the model's "
                + $"VocabSize {model.Config.VocabSize}; the model records none");
            return null;
        }
        return ModelTokenizer.Of(tokenizer);
    }
}
