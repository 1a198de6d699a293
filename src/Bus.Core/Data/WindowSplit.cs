namespace Bus.Core.Data;

/// <summary>
/// Shared argument checks and the contiguous train/dev split of the task builders:
/// the first windows are train, the last ones dev, so dev text is never seen in training.
/// </summary>
internal readonly record struct WindowSplit(int TrainCount, int DevCount)
{
    public int Total => TrainCount + DevCount;

    /// <summary>
    /// Validates the arguments and splits <paramref name="available"/> windows (capped by
    /// <paramref name="maxWindows"/>): dev gets round(total * devFraction), at least 1 and at most total - 1.
    /// </summary>
    public static WindowSplit For(long available, double devFraction, int? maxWindows, string textParam, int textLength)
    {
        if (double.IsNaN(devFraction) || devFraction <= 0 || devFraction >= 1)
            throw new ArgumentOutOfRangeException(nameof(devFraction), devFraction, "devFraction must lie strictly between 0 and 1.");
        if (maxWindows is <= 0)
            throw new ArgumentOutOfRangeException(nameof(maxWindows), maxWindows, "maxWindows must be positive (or null for all windows).");

        long total = Math.Min(available, maxWindows ?? int.MaxValue);
        if (total < 2)
            throw new ArgumentException(
                $"Text of {textLength} characters gives {available} window(s); at least 2 are needed (one train, one dev).",
                textParam);

        int dev = (int)Math.Clamp(Math.Round(total * devFraction), 1, total - 1);
        return new WindowSplit((int)total - dev, dev);
    }

    /// <summary>Throws <see cref="ArgumentException"/> naming the first character outside the text8 alphabet.</summary>
    public static void RequireAlphabet(string text, string paramName)
    {
        if (text.Length == 0)
            throw new ArgumentException("The corpus is empty.", paramName);
        for (int i = 0; i < text.Length; i++)
            if (!CharVocabulary.Contains(text[i]))
                throw new ArgumentException(
                    $"Character {CharVocabulary.Describe(text[i])} at position {i} is not text8 (' ' and 'a'..'z'); normalise with " +
                    $"Text8.Normalize first.", paramName);
    }
}
