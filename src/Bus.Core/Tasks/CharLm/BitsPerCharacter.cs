namespace Bus.Core.Tasks.CharLm;

/// <summary>Bits per character, the usual text8 metric.</summary>
public static class BitsPerCharacter
{
    /// <summary>
    /// Converts a mean cross-entropy in nats per character to bits per character: nats / ln 2.
    /// NaN and +infinity (a diverged run) pass through.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="natsPerChar"/> is negative.</exception>
    public static double FromCrossEntropy(double natsPerChar)
    {
        if (natsPerChar < 0)
            throw new ArgumentOutOfRangeException(nameof(natsPerChar), natsPerChar, "Cross-entropy cannot be negative.");
        return natsPerChar / Math.Log(2);
    }
}
