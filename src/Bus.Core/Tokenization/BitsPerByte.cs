namespace Bus.Core.Tokenization;

/// <summary>
/// Bits per byte: a language model's loss in a unit every tokenizer shares, so runs with different tokenizers compare.
/// bits/byte = (nats per token) x tokens / bytes / ln 2, with tokens and bytes of the same text (a token stream's header
/// holds both: <see cref="Data.TokenStreamHeader.Count"/> and <see cref="Data.TokenStreamHeader.TextBytes"/>).
/// </summary>
public static class BitsPerByte
{
    /// <summary>Converts a mean cross-entropy of <paramref name="natsPerToken"/> over text of <paramref name="tokens"/> tokens and
    /// <paramref name="bytes"/> UTF-8 bytes into bits per byte. NaN and +infinity (a diverged run) pass through.</summary>
    /// <exception cref="ArgumentOutOfRangeException">The loss is negative, or the counts are not positive.</exception>
    public static double FromCrossEntropy(double natsPerToken, long tokens, long bytes)
    {
        if (natsPerToken < 0)
            throw new ArgumentOutOfRangeException(nameof(natsPerToken), natsPerToken, "Cross-entropy cannot be negative.");
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(tokens);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(bytes);
        return natsPerToken * tokens / bytes / Math.Log(2);
    }
}
