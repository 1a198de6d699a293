using System.Text.Json.Serialization;

namespace Bus.Core.Data;

/// <summary>
/// The JSON header of a <c>.bustok</c> token-stream file (see <see cref="TokenStreamFile"/>): the vocabulary
/// (symbols in id order), the normalisation applied, the token dtype, the token count, the SHA-256 of the
/// token bytes and the source file's name.
/// </summary>
/// <param name="Vocabulary">Symbols in id order, e.g. " abcdefghijklmnopqrstuvwxyz", for a character vocabulary; empty for
/// a stream written by another tokenizer (<paramref name="Tokenizer"/>), whose size is <paramref name="TokenizerVocabularySize"/>.</param>
/// <param name="Normalization">Normalisation applied to the source text ("text8").</param>
/// <param name="Dtype">"uint8", "uint16" or "uint32" (little-endian).</param>
/// <param name="Count">Number of tokens.</param>
/// <param name="Sha256">Lower-case hex SHA-256 of the token bytes.</param>
/// <param name="Source">File name of the source text.</param>
/// <param name="SourceLength">Bytes of the source text when it was prepared (absent in files written by
/// <see cref="TokenStreamFile.Write"/>).</param>
/// <param name="SourceSha256">Lower-case hex SHA-256 of the source text's bytes when it was prepared (absent likewise): a prepared
/// stream is reused for its text only while the text still has this hash (<see cref="TokenStreamFile.IsPreparedFrom"/>).</param>
/// <param name="Tokenizer">The tokenizer's name (<see cref="Tokenization.ITextTokenizer.Identity"/>), e.g. "gpt2"; absent in
/// streams written before tokenizers were named, which are character streams of <paramref name="Vocabulary"/>.</param>
/// <param name="TokenizerSha256">Lower-case hex SHA-256 of the tokenizer's vocabulary files (absent likewise).</param>
/// <param name="TokenizerVocabularySize">Ids the tokenizer can produce (absent likewise: then the vocabulary string's length).</param>
/// <param name="TextBytes">UTF-8 bytes of the text that was tokenized (the documents, without separators): with
/// <paramref name="Count"/> it turns a loss per token into bits per byte (<see cref="Tokenization.BitsPerByte"/>).</param>
/// <param name="Documents">Documents in the stream (absent likewise).</param>
/// <param name="Separator">The id written between documents, when the tokenizer has one.</param>
/// <param name="TokenizerSpec">What makes the tokenizer again (<see cref="Tokenization.ModelTokenizer.SpecOf"/>): its name, or
/// "sentencepiece:" / "hf:" and the full path of its file (absent in streams written before it was recorded).</param>
public sealed record TokenStreamHeader(
    [property: JsonPropertyName("vocabulary")] string Vocabulary,
    [property: JsonPropertyName("normalization")] string Normalization,
    [property: JsonPropertyName("dtype")] string Dtype,
    [property: JsonPropertyName("count")] long Count,
    [property: JsonPropertyName("sha256")] string Sha256,
    [property: JsonPropertyName("source")] string Source,
    [property: JsonPropertyName("source_length"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] long? SourceLength = null,
    [property: JsonPropertyName("source_sha256"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? SourceSha256 = null,
    [property: JsonPropertyName("tokenizer"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? Tokenizer = null,
    [property: JsonPropertyName("tokenizer_sha256"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? TokenizerSha256 =
        null,
    [property: JsonPropertyName("vocabulary_size"),
        JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] int? TokenizerVocabularySize = null,
    [property: JsonPropertyName("text_bytes"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] long? TextBytes = null,
    [property: JsonPropertyName("documents"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] long? Documents = null,
    [property: JsonPropertyName("separator"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] int? Separator = null,
    [property: JsonPropertyName("tokenizer_spec"),
        JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? TokenizerSpec = null)
{
    /// <summary>Ids the stream's tokenizer can produce: <see cref="TokenizerVocabularySize"/>, or the vocabulary string's length
    /// for a character stream.</summary>
    [JsonIgnore]
    public int VocabularySize => TokenizerVocabularySize ?? Vocabulary.Length;

    /// <summary>
    /// The tokenizer that wrote the stream: the header's name and hash, or for a character stream without them (every stream
    /// written before tokenizers were named) "text8" with the SHA-256 of the vocabulary string, as
    /// <see cref="Tokenization.Text8Tokenizer"/> has for its alphabet.
    /// </summary>
    [JsonIgnore]
    public Tokenization.TokenizerIdentity TokenizerIdentity => Tokenizer is { } name
        ? new(name, TokenizerSha256 ?? "")
        : Tokenization.TokenizerIdentity.OfCharacters(Vocabulary);

    /// <summary>Bytes per token: 1 for uint8, 2 for uint16, 4 for uint32.</summary>
    /// <exception cref="InvalidDataException">The dtype is neither.</exception>
    [JsonIgnore]
    public int BytesPerToken => Dtype switch
    {
        "uint8" => 1,
        "uint16" => 2,
        "uint32" => 4,
        _ => throw new InvalidDataException($"Token dtype '{Dtype}' is not supported; expected \"uint8\", \"uint16\" or \"uint32\"."),
    };
}
