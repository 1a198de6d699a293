namespace Bus.Core.Tasks.CharLm;

/// <summary>
/// Character-level language modelling over text8-style text: predict the next character.
/// </summary>
public static class CharLmTaskData
{
    /// <summary>
    /// Window k covers characters [kT, kT+T) as Inputs and the same span shifted by one,
    /// [kT+1, kT+T+1), as Targets (stride T, so inputs never overlap). The first windows are Train,
    /// the last round(total * devFraction) are Dev (contiguous, so dev text is unseen).
    /// </summary>
    /// <exception cref="ArgumentException">The text is empty, too short for two windows, or not text8;
    /// <paramref name="contextLength"/> is not positive; <paramref name="devFraction"/> is not in (0,1);
    /// <paramref name="maxWindows"/> is not positive.</exception>
    public static (SequenceDataset Train, SequenceDataset Dev) Build(
        string text,
        int contextLength,
        double devFraction = 0.1,
        int? maxWindows = null)
    {
        ArgumentNullException.ThrowIfNull(text);
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(contextLength, 0);
        WindowSplit.RequireAlphabet(text, nameof(text));
        // Each window needs T + 1 characters: the last target is one past the last input.
        var split = WindowSplit.For((text.Length - 1L) / contextLength, devFraction, maxWindows, nameof(text), text.Length);

        var train = Windows(text, 0, split.TrainCount, contextLength);
        try
        {
            return (train, Windows(text, split.TrainCount, split.DevCount, contextLength));
        }
        catch
        {
            train.Dispose();
            throw;
        }
    }

    /// <summary>
    /// Three contiguous, disjoint splits of <paramref name="text"/>'s windows (stride T): train first, then dev, then
    /// test (the last round(total x <paramref name="testFraction"/>) windows), so neither dev nor test text is seen in
    /// training and the test text is never used to choose anything.
    /// </summary>
    /// <exception cref="ArgumentException">The text is not text8, or too short for one window per split;
    /// a fraction is outside (0, 1) or the two sum to 1 or more.</exception>
    public static (SequenceDataset Train, SequenceDataset Dev, SequenceDataset Test) BuildSplits(
        string text, int contextLength, double devFraction, double testFraction)
    {
        ArgumentNullException.ThrowIfNull(text);
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(contextLength, 0);
        Guard.InRange(devFraction, 0, 1, nameof(devFraction), minExclusive: true, maxExclusive: true);
        Guard.InRange(testFraction, 0, 1, nameof(testFraction), minExclusive: true, maxExclusive: true);
        if (devFraction + testFraction >= 1)
            throw new ArgumentOutOfRangeException(nameof(testFraction), testFraction,
                $"devFraction + testFraction must be below 1, got {devFraction} + {testFraction}.");
        WindowSplit.RequireAlphabet(text, nameof(text));
        long available = (text.Length - 1L) / contextLength;
        if (available < 3)
            throw new ArgumentException(
                $"Text of {text.Length} characters gives {available} window(s) of {contextLength}; at least 3 are needed (train, dev, " +
                $"test).", nameof(text));
        int total = (int)Math.Min(available, int.MaxValue);
        int test = (int)Math.Clamp(Math.Round(total * testFraction), 1, total - 2);
        int dev = (int)Math.Clamp(Math.Round(total * devFraction), 1, total - test - 1);
        int train = total - dev - test;
        var parts = new List<SequenceDataset>();
        try
        {
            parts.Add(Windows(text, 0, train, contextLength));
            parts.Add(Windows(text, train, dev, contextLength));
            parts.Add(Windows(text, train + dev, test, contextLength));
            return (parts[0], parts[1], parts[2]);
        }
        catch
        {
            foreach (var p in parts) p.Dispose();
            throw;
        }
    }

    private static SequenceDataset Windows(string text, int firstWindow, int count, int length)
    {
        var inputs = new long[(long)count * length];
        var targets = new long[inputs.LongLength];
        for (int w = 0; w < count; w++)
        {
            int start = (firstWindow + w) * length;
            for (int i = 0; i < length; i++)
            {
                long at = (long)w * length + i;
                inputs[at] = CharVocabulary.IdOf(text[start + i], start + i, nameof(text));
                targets[at] = CharVocabulary.IdOf(text[start + i + 1], start + i + 1, nameof(text));   // shift by one
            }
        }
        return SequenceDataset.FromRows(inputs, targets, length);
    }
}
