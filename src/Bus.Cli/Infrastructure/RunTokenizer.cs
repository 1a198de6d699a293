namespace Bus.Cli.Infrastructure;

/// <summary>
/// The tokenizer <c>bus train</c> records in the models and checkpoints it writes (<see cref="ModelTokenizer"/>): for a
/// language model on a token stream the stream's tokenizer (with its files, found in the <c>--init</c> model's record or at
/// the path the stream's header names), on in-memory text the text8 alphabet; none for the letter task. With
/// <c>--init M</c> a stream whose tokenizer differs from the one M records is refused.
/// </summary>
internal static class RunTokenizer
{
    /// <summary>The tokenizer the model or Hugging Face folder of <c>--init</c> records, or null (none, or no <c>--init</c>).</summary>
    /// <exception cref="ArgumentException">The folder's tokenizer files cannot be read.</exception>
    /// <exception cref="InvalidDataException">The model's tokenizer record is malformed.</exception>
    public static ModelTokenizer? OfInit(string? init)
    {
        if (init is null) return null;
        if (!Directory.Exists(init)) return File.Exists(init) ? ModelTokenizerChoice.Recorded(init, "--init") : null;
        try { return HfTokenizerFiles.Read(init) is { } tokenizer ? ModelTokenizer.Of(tokenizer) : null; }
        catch (Exception e) when (e is IOException or InvalidDataException)
        {
            throw new ArgumentException($"--init {init}: the folder's tokenizer cannot be read: {e.Message}", "--init", e);
        }
    }

    /// <summary>
    /// The tokenizer of a run on <paramref name="train"/> (null for the letter task), checked against <paramref name="fromInit"/>,
    /// the <c>--init</c> model's.
    /// </summary>
    /// <exception cref="ArgumentException">The data's tokenizer differs from the <c>--init</c> model's (both named).</exception>
    public static ModelTokenizer? Of(ITrainingData train, bool charLm, string? corpus, string? init, ModelTokenizer? fromInit)
    {
        if (!charLm) return null;
        var run = Find(train, fromInit);
        ModelTokenizerChoice.RequireSame(fromInit, run.Identity, $"--init {init}", $"--corpus {corpus ?? "(the built-in Brown slice)"}",
            $"prepare the corpus with bus prepare --tokenizer {fromInit?.Spec}");
        return run;
    }

    private static ModelTokenizer Find(ITrainingData train, ModelTokenizer? fromInit)
    {
        if (train is not TokenStreamData stream) return ModelTokenizer.Of(Text8Tokenizer.Instance);
        var identity = stream.Header.TokenizerIdentity;
        if (fromInit is not null && fromInit.Identity == identity && fromInit.CanCreate) return fromInit;
        var record = new ModelTokenizer
        {
            Identity = identity, VocabularySize = stream.VocabularySize, Spec = stream.Header.TokenizerSpec ?? identity.Name,
        };
        if (record.CanCreate || stream.Header.TokenizerSpec is not { } spec) return record; // a built-in tokenizer: its name rebuilds it
        try
        {
            var tokenizer = TextTokenizers.Create(spec);
            if (tokenizer.Identity == identity) return ModelTokenizer.Of(tokenizer);
            Console.WriteLine($"note: {spec} is no longer the stream's tokenizer {identity}; the saved model records the tokenizer's "
                + "identity only, so bus generate will need --tokenizer");
        }
        catch (Exception e) when (e is ArgumentException or IOException or InvalidDataException)
        {
            Console.WriteLine($"note: the stream's tokenizer {spec} cannot be read ({e.Message}); "
                + "the saved model records its identity only, "
                + "so bus generate will need --tokenizer");
        }
        return record;
    }
}
