using Bus.Core.Data;
using static TorchSharp.torch;

namespace Bus.Testing;

/// <summary>Synthetic letter-counting data made by the tests themselves (shared by the test projects).</summary>
internal static class SyntheticLetterCounting
{
    /// <summary>Random windows over a small alphabet, labelled by earlier-occurrence counts capped at 2.</summary>
    public static SequenceDataset Create(int count, int length, int seed, int alphabet = 6)
    {
        var rng = new Random(seed);
        var x = new long[count * length];
        var y = new long[count * length];
        for (int n = 0; n < count; n++)
        {
            var seen = new int[27];
            for (int t = 0; t < length; t++)
            {
                int c = rng.Next(alphabet);
                x[n * length + t] = c;
                y[n * length + t] = Math.Min(seen[c]++, 2);
            }
        }
        return new SequenceDataset(tensor(x, [count, length], int64), tensor(y, [count, length], int64));
    }
}
