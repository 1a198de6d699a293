namespace Bus.Core.Tests;

/// <summary>Small synthetic letter-counting data made by the tests themselves.</summary>
internal static class TestData
{
    public static readonly TransformerConfig Tiny = new() { DModel = 16, Heads = 1, FeedForwardSize = 32, Layers = 2, MaxLength = 12 };

    /// <summary>Random windows over a small alphabet, labelled by earlier-occurrence counts capped at 2.</summary>
    public static SequenceDataset LetterCounting(int count, int length, int seed, int alphabet = 6) =>
        Bus.Testing.SyntheticLetterCounting.Create(count, length, seed, alphabet);
}
