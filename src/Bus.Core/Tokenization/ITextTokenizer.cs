namespace Bus.Core.Tokenization;

/// <summary>
/// A tokenizer behind one interface: text to ids and back, with a stable identity (name + SHA-256 of its vocabulary files)
/// that goes into a token stream's header and a run's fingerprint. Implementations: <see cref="Text8Tokenizer"/> (27
/// characters, lossy), <see cref="ByteTokenizer"/> (UTF-8 bytes, lossless), <see cref="TiktokenTextTokenizer"/> (GPT-2 BPE,
/// cl100k, o200k), <see cref="SentencePieceTextTokenizer"/> (a tokenizer.model) and <see cref="HfJsonTokenizer"/> (a Hugging
/// Face tokenizer.json); <see cref="TextTokenizers.Create"/> makes one from its command-line name.
/// </summary>
public interface ITextTokenizer
{
    /// <summary>Name and vocabulary hash; two tokenizers with equal identities map text to the same ids.</summary>
    TokenizerIdentity Identity { get; }

    /// <summary>Ids this tokenizer can produce are 0..VocabularySize-1 (special tokens included).</summary>
    int VocabularySize { get; }

    /// <summary>The id written between two documents of a corpus (e.g. &lt;|endoftext|&gt;), or null when there is none.</summary>
    int? DocumentSeparator { get; }

    /// <summary>
    /// The id written between two chunks of one document when it is tokenized in pieces (chunks end at a line break): null
    /// for tokenizers that keep every character, so the pieces decode back to the document exactly; a space for text8,
    /// whose normalisation turns the line break into a space.
    /// </summary>
    int? ChunkSeparator { get; }

    /// <summary>True when <see cref="Decode"/> of <see cref="Encode"/> gives back any text exactly.</summary>
    bool IsLossless { get; }

    /// <summary>The ids of <paramref name="text"/> (no separators or sentence markers added).</summary>
    IReadOnlyList<int> Encode(string text);

    /// <summary>The text of <paramref name="ids"/>.</summary>
    /// <exception cref="ArgumentException">An id is outside the vocabulary.</exception>
    string Decode(IEnumerable<int> ids);
}
