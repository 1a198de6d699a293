using Bus.Core.Tasks.LetterCounting;

namespace Bus.Selection.Tests;

/// <summary>Small synthetic letter-counting data made by the tests themselves.</summary>
internal static class TestData
{
    public static readonly TransformerConfig Tiny = new() { DModel = 16, Heads = 1, FeedForwardSize = 32, Layers = 2, MaxLength = 12 };

    /// <summary>Random windows over a small alphabet, labelled by earlier-occurrence counts capped at 2.</summary>
    public static SequenceDataset LetterCounting(int count, int length, int seed, int alphabet = 6) =>
        Bus.Testing.SyntheticLetterCounting.Create(count, length, seed, alphabet);

    /// <summary>Row-by-row values of an int64 matrix, for comparing selected examples.</summary>
    public static List<string> Rows(Tensor t)
    {
        using var cpu = t.cpu();
        var values = cpu.data<long>().ToArray();
        int width = (int)t.shape[1];
        return Enumerable.Range(0, (int)t.shape[0]).Select(r => string.Join(",", values.Skip(r * width).Take(width))).ToList();
    }
}
