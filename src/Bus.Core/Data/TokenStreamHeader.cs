using System.Text.Json.Serialization;

namespace Bus.Core.Data;

/// <summary>
/// The JSON header of a <c>.bustok</c> token-stream file (see <see cref="TokenStreamFile"/>): the vocabulary
/// (symbols in id order), the normalisation applied, the token dtype, the token count, the SHA-256 of the
/// token bytes and the source file's name.
/// </summary>
/// <param name="Vocabulary">Symbols in id order, e.g. " abcdefghijklmnopqrstuvwxyz".</param>
/// <param name="Normalization">Normalisation applied to the source text ("text8").</param>
/// <param name="Dtype">"uint8" or "uint16" (little-endian).</param>
/// <param name="Count">Number of tokens.</param>
/// <param name="Sha256">Lower-case hex SHA-256 of the token bytes.</param>
/// <param name="Source">File name of the source text.</param>
/// <param name="SourceLength">Bytes of the source text when it was prepared (absent in files written by <see cref="TokenStreamFile.Write"/>).</param>
/// <param name="SourceSha256">Lower-case hex SHA-256 of the source text's bytes when it was prepared (absent likewise): a prepared
/// stream is reused for its text only while the text still has this hash (<see cref="TokenStreamFile.IsPreparedFrom"/>).</param>
public sealed record TokenStreamHeader(
    [property: JsonPropertyName("vocabulary")] string Vocabulary,
    [property: JsonPropertyName("normalization")] string Normalization,
    [property: JsonPropertyName("dtype")] string Dtype,
    [property: JsonPropertyName("count")] long Count,
    [property: JsonPropertyName("sha256")] string Sha256,
    [property: JsonPropertyName("source")] string Source,
    [property: JsonPropertyName("source_length"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] long? SourceLength = null,
    [property: JsonPropertyName("source_sha256"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? SourceSha256 = null)
{
    /// <summary>Bytes per token: 1 for uint8, 2 for uint16.</summary>
    /// <exception cref="InvalidDataException">The dtype is neither.</exception>
    [JsonIgnore]
    public int BytesPerToken => Dtype switch
    {
        "uint8" => 1,
        "uint16" => 2,
        _ => throw new InvalidDataException($"Token dtype '{Dtype}' is not supported; expected \"uint8\" or \"uint16\"."),
    };
}
