namespace Bus.Core.Tokenization;

/// <summary>
/// The lossless byte-level tokenizer: ids 0..255 are the UTF-8 bytes of the text, and id 256 is the special token
/// <see cref="EndOfText"/> written between documents. Any text decodes back byte for byte.
/// </summary>
public sealed class ByteTokenizer : ITextTokenizer
{
    /// <summary>The document separator's text, as GPT-2 spells it.</summary>
    public const string EndOfText = "<|endoftext|>";

    /// <summary>The id of <see cref="EndOfText"/>.</summary>
    public const int EndOfTextId = 256;

    /// <summary>The one instance.</summary>
    public static ByteTokenizer Instance { get; } = new();

    private ByteTokenizer() { }

    /// <summary>"byte", with the hash of a canonical description of the 257 ids (256 bytes, then <see cref="EndOfText"/>).</summary>
    public TokenizerIdentity Identity { get; } =
        new("byte", TokenizerIdentity.Hash("byte-level: ids 0..255 are UTF-8 bytes; 256 <|endoftext|>"u8));

    /// <inheritdoc />
    public int VocabularySize => 257;

    /// <inheritdoc />
    public int? DocumentSeparator => EndOfTextId;

    /// <inheritdoc />
    public int? ChunkSeparator => null;

    /// <inheritdoc />
    public bool IsLossless => true;

    /// <inheritdoc />
    public IReadOnlyList<int> Encode(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        return Array.ConvertAll(Encoding.UTF8.GetBytes(text), b => (int)b);
    }

    /// <summary>The text of <paramref name="ids"/>; <see cref="EndOfTextId"/> decodes to <see cref="EndOfText"/>.</summary>
    /// <exception cref="ArgumentException">An id is outside 0..256.</exception>
    public string Decode(IEnumerable<int> ids)
    {
        ArgumentNullException.ThrowIfNull(ids);
        var text = new StringBuilder();
        var bytes = new List<byte>();
        int position = 0;
        foreach (int id in ids)
        {
            if (id is < 0 or > EndOfTextId)
                throw new ArgumentException($"Id {id} at position {position} is outside the byte vocabulary 0..{EndOfTextId}.",
                    nameof(ids));
            if (id == EndOfTextId)
            {
                text.Append(Encoding.UTF8.GetString(bytes.ToArray())).Append(EndOfText);
                bytes.Clear();
            }
            else bytes.Add((byte)id);
            position++;
        }
        return text.Append(Encoding.UTF8.GetString(bytes.ToArray())).ToString();
    }
}
