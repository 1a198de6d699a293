namespace Bus.Core.Tokenization;

/// <summary>A tokenizer's stable identity: its name (e.g. "gpt2") and the lower-case hex SHA-256 of its vocabulary files.</summary>
/// <param name="Name">The tokenizer's name, as <c>bus prepare --tokenizer</c> spells it (without a path).</param>
/// <param name="Sha256">Lower-case hex SHA-256 of the vocabulary (files, or a canonical serialisation of the vocabulary).</param>
public sealed record TokenizerIdentity(string Name, string Sha256)
{
    /// <summary>The identity of a character vocabulary: "text8" for the text8 alphabet, else "chars"; the hash of its symbols.</summary>
    public static TokenizerIdentity OfCharacters(string vocabulary)
    {
        ArgumentNullException.ThrowIfNull(vocabulary);
        return new(vocabulary == CharVocabulary.Alphabet ? "text8" : "chars", Hash(Encoding.UTF8.GetBytes(vocabulary)));
    }

    /// <summary>Lower-case hex SHA-256 of <paramref name="bytes"/>.</summary>
    public static string Hash(ReadOnlySpan<byte> bytes) => Convert.ToHexStringLower(SHA256.HashData(bytes));

    /// <summary>"NAME sha256 HASH16" (the first 16 hex digits), as run fingerprints and errors show it.</summary>
    public override string ToString() => $"{Name} sha256 {Sha256[..Math.Min(16, Sha256.Length)]}";
}
