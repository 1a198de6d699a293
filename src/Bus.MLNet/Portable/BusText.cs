using Bus.Core.Data;

namespace Bus.MLNet.Portable;

/// <summary>How Bus turns a text cell into model input: text8 normalisation, then truncate or pad with spaces to a fixed length.</summary>
public static class BusText
{
    /// <summary>
    /// Token ids of <paramref name="raw"/> (normalised with <see cref="Text8.Normalize(string)"/>), truncated or
    /// padded with spaces (id 0) to <paramref name="maxLength"/>; <c>Length</c> is the number of real characters.
    /// </summary>
    public static (long[] Ids, int Length) Encode(string? raw, int maxLength)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(maxLength, 1);
        string text = Text8.Normalize(raw ?? "");
        int length = Math.Min(text.Length, maxLength);
        var ids = new long[maxLength];
        long[] encoded = CharVocabulary.Encode(text[..length]);
        Array.Copy(encoded, ids, length);
        return (ids, length);
    }
}
