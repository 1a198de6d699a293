using Bus.Core.Tasks.Corpora;

namespace Bus.MLNet.Portable;

/// <summary>
/// How Bus turns a text cell into model input: a text made only of ' ' and 'a'..'z' is used as it is (so
/// letter-counting windows keep their leading and trailing spaces); any other text is text8-normalised
/// (<see cref="Text8.Normalize(string)"/>). Then it is truncated, or padded with spaces, to a fixed length.
/// </summary>
public static class BusText
{
    /// <summary>
    /// Token ids of <paramref name="raw"/> (after <see cref="Prepare"/>), truncated or padded with spaces (id 0)
    /// to <paramref name="maxLength"/>; <c>Length</c> is the number of real characters.
    /// </summary>
    public static (long[] Ids, int Length) Encode(string? raw, int maxLength)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(maxLength, 1);
        string text = Prepare(raw);
        int length = Math.Min(text.Length, maxLength);
        var ids = new long[maxLength];
        long[] encoded = CharVocabulary.Encode(text[..length]);
        Array.Copy(encoded, ids, length);
        return (ids, length);
    }

    /// <summary>The text as the model reads it: unchanged when every character is in the alphabet, else text8-normalised.</summary>
    public static string Prepare(string? raw)
    {
        raw ??= "";
        return raw.All(CharVocabulary.Contains) ? raw : Text8.Normalize(raw);
    }
}
