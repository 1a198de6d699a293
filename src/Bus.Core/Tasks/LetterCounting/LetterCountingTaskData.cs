namespace Bus.Core.Tasks.LetterCounting;

/// <summary>
/// Seed 002's letter-counting task over text8-style text: non-overlapping windows of characters,
/// each position labelled by <see cref="LetterCounting.Labels"/>.
/// </summary>
public static class LetterCountingTaskData
{
    /// <summary>
    /// Cuts <paramref name="text8Text"/> into non-overlapping windows of <paramref name="windowLength"/>
    /// characters (a trailing partial window is dropped), keeps the first <paramref name="maxWindows"/>,
    /// and splits them contiguously: the first windows are Train, the last round(total * devFraction) are Dev.
    /// Inputs are <see cref="CharVocabulary"/> ids, Targets the labels (0..2 for the default cap).
    /// </summary>
    /// <exception cref="ArgumentException">The text is empty, too short for two windows, or not text8;
    /// <paramref name="windowLength"/> is not positive; <paramref name="devFraction"/> is not in (0,1);
    /// <paramref name="maxWindows"/> is not positive.</exception>
    public static (SequenceDataset Train, SequenceDataset Dev) Build(
        string text8Text,
        int windowLength = 20,
        double devFraction = 0.1,
        int? maxWindows = null,
        LetterCountingVariant variant = LetterCountingVariant.Before)
    {
        ArgumentNullException.ThrowIfNull(text8Text);
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(windowLength, 0);
        if (!Enum.IsDefined(variant))
            throw new ArgumentOutOfRangeException(nameof(variant), variant, "Unknown letter-counting variant.");
        WindowSplit.RequireAlphabet(text8Text, nameof(text8Text));
        var split = WindowSplit.For(text8Text.Length / windowLength, devFraction, maxWindows, nameof(text8Text), text8Text.Length);

        var train = Windows(text8Text, 0, split.TrainCount, windowLength, variant);
        try
        {
            return (train, Windows(text8Text, split.TrainCount, split.DevCount, windowLength, variant));
        }
        catch
        {
            train.Dispose();
            throw;
        }
    }

    private static SequenceDataset Windows(string text, int firstWindow, int count, int length, LetterCountingVariant variant)
    {
        var inputs = new long[(long)count * length];
        var targets = new long[inputs.LongLength];
        for (int w = 0; w < count; w++)
        {
            int start = (firstWindow + w) * length;
            var window = text.AsSpan(start, length);
            int[] labels = LetterCounting.Labels(window, variant);
            for (int i = 0; i < length; i++)
            {
                long at = (long)w * length + i;
                inputs[at] = CharVocabulary.IdOf(window[i], start + i, nameof(text));
                targets[at] = labels[i];
            }
        }
        return SequenceDataset.FromRows(inputs, targets, length);
    }
}
