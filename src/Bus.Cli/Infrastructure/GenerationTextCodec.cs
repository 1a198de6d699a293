namespace Bus.Cli.Infrastructure;

/// <summary>
/// The one place where <c>bus generate</c> turns text into token ids and back. Model files record their tokenizer
/// (<see cref="ModelTokenizer"/>); <c>--tokenizer</c> may name it again and must then name the same one. A model saved before
/// models recorded it needs <c>--tokenizer</c> (the one <c>bus prepare</c> used: byte, gpt2, ...); without it a 27-symbol
/// model reads the text8 alphabet (<see cref="CharVocabulary"/>: ' ' is 0, 'a'..'z' are 1..26). Decoding streams: each
/// call returns the text the ids so far add, holding back a UTF-8 sequence a byte-level token has not finished.
/// </summary>
internal sealed class GenerationTextCodec
{
    private readonly ITextTokenizer? _tokenizer;
    private readonly List<int> _produced = [];
    private int _printed;

    private GenerationTextCodec(ITextTokenizer? tokenizer, string description) => (_tokenizer, Description) = (tokenizer, description);

    /// <summary>What the vocabulary is, for error messages.</summary>
    public string Description { get; }

    /// <summary>
    /// The codec of the tokenizer <paramref name="model"/> was trained with: <paramref name="tokenizerSpec"/>, which must be the
    /// tokenizer the model file records (<paramref name="recorded"/>) when it records one; else the recorded one; else text8.
    /// </summary>
    /// <param name="model">The model.</param>
    /// <param name="option">The option naming the model, for errors.</param>
    /// <param name="tokenizerSpec">The tokenizer named on the command line, or null.</param>
    /// <param name="tokenizerOption">The option naming the tokenizer.</param>
    /// <param name="recorded">The tokenizer the model file records, or null.</param>
    /// <param name="modelDescription">How errors name the model, e.g. "--model lm.safetensors"
    /// (default: <paramref name="option"/>).</param>
    /// <exception cref="ArgumentException">The tokenizer does not fit the model's vocabulary or differs from the recorded one.</exception>
    public static GenerationTextCodec For(GrowableTransformer model, string option, string? tokenizerSpec = null,
        string tokenizerOption = "--tokenizer",
        ModelTokenizer? recorded = null, string? modelDescription = null)
    {
        ArgumentNullException.ThrowIfNull(model);
        var tokenizer = ModelTokenizerChoice.Resolve(recorded, tokenizerSpec, modelDescription ?? option, tokenizerOption);
        if (tokenizer is null || (tokenizerSpec is null && tokenizer is Text8Tokenizer && model.Config.VocabSize == CharVocabulary.Size))
        {
            if (model.Config.VocabSize != CharVocabulary.Size)
                throw new ArgumentException(
                    $"{option}: the model has {model.Config.VocabSize} symbols, not text8's {CharVocabulary.Size}; "
                    + $"name the tokenizer it was prepared with: {tokenizerOption} byte|gpt2|... (bus prepare --tokenizer).",
                    option);
            return new GenerationTextCodec(null, "the text8 alphabet: ' ' and 'a'..'z'");
        }
        string name = tokenizerSpec ?? recorded!.Spec;
        if (tokenizer.VocabularySize > model.Config.VocabSize)
            throw new ArgumentException(
                $"{tokenizerOption} {name}: {tokenizer.VocabularySize} tokens, but the model reads only {model.Config.VocabSize}.",
                tokenizerOption);
        return new GenerationTextCodec(tokenizer, $"the {name} tokenizer");
    }

    /// <summary>Token ids of <paramref name="text"/>; a character outside the vocabulary is an error naming it and its position.</summary>
    public int[] Encode(string text, string option)
    {
        ArgumentNullException.ThrowIfNull(text);
        if (_tokenizer is not null) return [.. _tokenizer.Encode(text)];
        var ids = new int[text.Length];
        for (int i = 0; i < text.Length; i++)
        {
            int id = CharVocabulary.Alphabet.IndexOf(text[i], StringComparison.Ordinal);
            if (id < 0)
                throw new ArgumentException(
                    $"{option}: character {Describe(text[i])} at position {i} is not in the model's vocabulary ({Description}).", option);
            ids[i] = id;
        }
        return ids;
    }

    /// <summary>
    /// The text that token <paramref name="id"/> adds to the generated text (empty while a UTF-8 sequence is incomplete).
    /// </summary>
    public string Decode(int id)
    {
        if (_tokenizer is null) return CharVocabulary.Alphabet[id].ToString();
        if (id >= _tokenizer.VocabularySize) return ""; // a padding id of the rounded-up vocabulary: never text
        _produced.Add(id);
        string text = _tokenizer.Decode(_produced);
        int end = text.Length;
        while (end > _printed && text[end - 1] == '\uFFFD') end--; // an unfinished multi-byte character: wait for its bytes
        string added = text[_printed..end];
        _printed = end;
        return added;
    }

    /// <summary>Text held back at the end (an unfinished UTF-8 sequence, shown as U+FFFD).</summary>
    public string Flush()
    {
        if (_tokenizer is null) return "";
        string text = _tokenizer.Decode(_produced);
        string rest = text[Math.Min(_printed, text.Length)..];
        _printed = text.Length;
        return rest;
    }

    private static string Describe(char c) => char.IsControl(c) || char.IsWhiteSpace(c) ? $"U+{(int)c:X4}" : $"'{c}' (U+{(int)c:X4})";
}
