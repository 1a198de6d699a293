namespace Bus.Core.Tokenization;

/// <summary>
/// A SentencePiece model (a user's <c>tokenizer.model</c>, BPE or unigram) through Microsoft.ML.Tokenizers'
/// <see cref="SentencePieceTokenizer"/>, without sentence markers; documents are separated by its end-of-sentence id.
/// Lossless when the model has byte fallback (and keeps whitespace as it is); otherwise characters outside its pieces
/// become its unknown piece.
/// </summary>
public sealed class SentencePieceTextTokenizer : ITextTokenizer
{
    private SentencePieceTextTokenizer(SentencePieceTokenizer tokenizer, string sha256, byte[] model)
    {
        Inner = tokenizer;
        Model = model;
        VocabularySize = tokenizer.Vocabulary.Values.Max() + 1;
        DocumentSeparator = tokenizer.EndOfSentenceId;
        Identity = new("sentencepiece", sha256);
    }

    /// <summary>Reads the SentencePiece model at <paramref name="path"/>.</summary>
    /// <exception cref="FileNotFoundException">No file at the path.</exception>
    /// <exception cref="InvalidDataException">The file is not a SentencePiece model Microsoft.ML.Tokenizers can read (the message names
    /// it).</exception>
    public static SentencePieceTextTokenizer Load(string path)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        if (!File.Exists(path)) throw new FileNotFoundException($"SentencePiece model '{path}' does not exist.", path);
        var tokenizer = FromBytes(File.ReadAllBytes(path), path);
        tokenizer.Source = Path.GetFullPath(path);
        return tokenizer;
    }

    /// <summary>The SentencePiece model whose file content is <paramref name="bytes"/> (<paramref name="name"/> names it in
    /// errors).</summary>
    /// <exception cref="InvalidDataException">The bytes are not a SentencePiece model Microsoft.ML.Tokenizers can read.</exception>
    public static SentencePieceTextTokenizer FromBytes(byte[] bytes, string name)
    {
        ArgumentNullException.ThrowIfNull(bytes);
        string path = name;
        try
        {
            using var stream = new MemoryStream(bytes, writable: false);
            var tokenizer = SentencePieceTokenizer.Create(stream, addBeginningOfSentence: false, addEndOfSentence: false);
            return new(tokenizer, TokenizerIdentity.Hash(bytes), bytes);
        }
        catch (Exception e) when (e is not OutOfMemoryException and not InvalidDataException)
        {
            throw new InvalidDataException($"'{path}' is not a SentencePiece model that Microsoft.ML.Tokenizers reads: {e.Message}", e);
        }
    }

    /// <summary>The full path of the file it was loaded from (null when made from bytes).</summary>
    public string? Source { get; private set; }

    /// <summary>The Microsoft.ML.Tokenizers tokenizer underneath.</summary>
    public SentencePieceTokenizer Inner { get; }

    /// <summary>The model file's bytes (written back by the Hugging Face export as tokenizer.model).</summary>
    public ReadOnlyMemory<byte> Model { get; }

    /// <summary>"sentencepiece" with the SHA-256 of the model file.</summary>
    public TokenizerIdentity Identity { get; }

    /// <inheritdoc />
    public int VocabularySize { get; }

    /// <inheritdoc />
    public int? DocumentSeparator { get; }

    /// <inheritdoc />
    public int? ChunkSeparator => null;

    /// <summary>True when the model falls back to bytes for characters outside its pieces.</summary>
    public bool IsLossless => Inner.ByteFallback;

    /// <inheritdoc />
    public IReadOnlyList<int> Encode(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        return Inner.EncodeToIds(text, addBeginningOfSentence: false, addEndOfSentence: false);
    }

    /// <inheritdoc />
    public string Decode(IEnumerable<int> ids) => Inner.Decode(ids) ?? "";
}
