namespace Bus.Core.Tokenization;

/// <summary>
/// The seed's character tokenizer: text normalised as text8 (<see cref="Text8"/>: lower case, digits spelled, anything else a
/// space) over the 27-symbol <see cref="CharVocabulary"/>. Lossy: case, punctuation and everything outside a..z are gone.
/// </summary>
public sealed class Text8Tokenizer : ITextTokenizer
{
    /// <summary>The one instance.</summary>
    public static Text8Tokenizer Instance { get; } = new();

    private Text8Tokenizer() { }

    /// <inheritdoc />
    public TokenizerIdentity Identity { get; } = TokenizerIdentity.OfCharacters(CharVocabulary.Alphabet);

    /// <inheritdoc />
    public int VocabularySize => CharVocabulary.Size;

    /// <summary>A space (id 0): documents are separated as words are.</summary>
    public int? DocumentSeparator => 0;

    /// <summary>A space (id 0): the line break that ends a chunk normalises to one.</summary>
    public int? ChunkSeparator => 0;

    /// <inheritdoc />
    public bool IsLossless => false;

    /// <inheritdoc />
    public IReadOnlyList<int> Encode(string text) => Array.ConvertAll(CharVocabulary.Encode(Text8.Normalize(text)), id => (int)id);

    /// <inheritdoc />
    public string Decode(IEnumerable<int> ids) => CharVocabulary.Decode(ids.Select(i => (long)i).ToArray());
}
