namespace Bus.Core.Tasks.Corpora;

/// <summary>The 27-symbol text8 alphabet: ' ' is 0 and 'a'..'z' are 1..26.</summary>
public static class CharVocabulary
{
    /// <summary>The symbols in id order.</summary>
    public const string Alphabet = " abcdefghijklmnopqrstuvwxyz";

    /// <summary>Number of symbols (27).</summary>
    public const int Size = 27;

    /// <summary>True when <paramref name="c"/> is in the alphabet.</summary>
    public static bool Contains(char c) => c == ' ' || c is >= 'a' and <= 'z';

    /// <summary>Encodes <paramref name="text"/> to ids; throws <see cref="ArgumentException"/> naming the first character outside the
    /// alphabet and its position.</summary>
    public static long[] Encode(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var ids = new long[text.Length];
        for (int i = 0; i < text.Length; i++)
            ids[i] = IdOf(text[i], i, nameof(text));
        return ids;
    }

    /// <summary>Decodes ids back to text; throws <see cref="ArgumentException"/> naming the first id outside 0..26 and its
    /// position.</summary>
    public static string Decode(ReadOnlySpan<long> ids)
    {
        var chars = new char[ids.Length];
        for (int i = 0; i < ids.Length; i++)
        {
            long id = ids[i];
            if (id is < 0 or >= Size)
                throw new ArgumentException($"Id {id} at position {i} is outside the text8 vocabulary 0..{Size - 1}.", nameof(ids));
            chars[i] = Alphabet[(int)id];
        }
        return new string(chars);
    }

    // ' ' -> 0, 'a'..'z' -> 1..26.
    internal static long IdOf(char c, long position, string paramName) =>
        c == ' ' ? 0
        : c is >= 'a' and <= 'z' ? c - 'a' + 1
        : throw new ArgumentException(
            $"Character {Describe(c)} at position {position} is not in the text8 alphabet (' ' and 'a'..'z'); normalise with " +
            $"Text8.Normalize first.", paramName);

    internal static string Describe(char c) =>
        char.IsControl(c) || char.IsWhiteSpace(c) ? $"U+{(int)c:X4}" : $"'{c}' (U+{(int)c:X4})";
}
