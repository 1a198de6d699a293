namespace Bus.Core.Tokenization;

/// <summary>Tokenizers by their command-line names, and the model vocabulary size for a tokenizer.</summary>
public static class TextTokenizers
{
    /// <summary>The names <see cref="Create"/> takes (PATH: a file).</summary>
    public static IReadOnlyList<string> Names { get; } = ["byte", "text8", "gpt2", "cl100k", "o200k", "sentencepiece:PATH", "hf:PATH"];

    /// <summary>The multiple a model's vocabulary size is rounded up to (<see cref="ModelVocabularySize"/>).</summary>
    public const int VocabularyMultiple = 64;

    /// <summary>
    /// The tokenizer named <paramref name="spec"/>: byte, text8, gpt2, cl100k, o200k, sentencepiece:PATH (a tokenizer.model)
    /// or hf:PATH (a tokenizer.json, or a Hugging Face folder: <see cref="HfTokenizerFiles.Read"/>).
    /// </summary>
    /// <exception cref="ArgumentException">The name is none of these (the message lists them).</exception>
    /// <exception cref="FileNotFoundException">The PATH of sentencepiece: or hf: does not exist.</exception>
    /// <exception cref="InvalidDataException">The file is not a tokenizer Microsoft.ML.Tokenizers reads.</exception>
    public static ITextTokenizer Create(string spec)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(spec);
        int colon = spec.IndexOf(':', StringComparison.Ordinal);
        string kind = colon < 0 ? spec : spec[..colon], path = colon < 0 ? "" : spec[(colon + 1)..];
        return kind.ToLowerInvariant() switch
        {
            "byte" when colon < 0 => ByteTokenizer.Instance,
            "text8" when colon < 0 => Text8Tokenizer.Instance,
            "gpt2" when colon < 0 => TiktokenTextTokenizer.Gpt2(),
            "cl100k" when colon < 0 => TiktokenTextTokenizer.Cl100k(),
            "o200k" when colon < 0 => TiktokenTextTokenizer.O200k(),
            "sentencepiece" when path.Length > 0 => SentencePieceTextTokenizer.Load(path),
            "hf" when path.Length > 0 && Directory.Exists(path) => HfTokenizerFiles.Read(path)
                ?? throw new FileNotFoundException($"Hugging Face folder '{path}' has no tokenizer.json, vocab.json + merges.txt or " +
                                                   $"tokenizer.model.", path),
            "hf" when path.Length > 0 => HfJsonTokenizer.Load(path),
            _ => throw new ArgumentException($"Tokenizer '{spec}' is unknown; use one of {string.Join(", ", Names)}.", nameof(spec)),
        };
    }

    /// <summary>
    /// The model's VocabSize for a tokenizer of <paramref name="tokenizerVocabularySize"/> ids: rounded up to a multiple of
    /// <see cref="VocabularyMultiple"/> (faster matrix shapes); the padding ids are never produced by the tokenizer, so the model
    /// learns to give them no probability. Character vocabularies (text8's 27 symbols) keep their exact size, as the seed's
    /// tasks always had it.
    /// </summary>
    public static int ModelVocabularySize(int tokenizerVocabularySize, bool characters = false)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(tokenizerVocabularySize);
        return characters ? tokenizerVocabularySize
            : checked((tokenizerVocabularySize + VocabularyMultiple - 1) / VocabularyMultiple * VocabularyMultiple);
    }
}
