namespace Bus.Core.Tasks.LetterCounting;

/// <summary>
/// Letter-counting labels (seed 002): at each position, how many times the same character
/// occurs elsewhere in the window (earlier only, or anywhere), capped at <c>cap</c>.
/// Spaces are characters like any other.
/// </summary>
/// <remarks>
/// The seed prints two 21-character examples (it also says windows have 20 characters).
/// Applying its written rule ("times this character has occurred before, max 2") by hand:
/// <code>
/// "we propose a new simp"  printed 000000110110202021002
///                          rule    000000110110202121002   differs at position 15 (the second 'w': 1, not 0)
/// "men love the downfall"  printed 000000011002201010001
///                          rule    000000011002201010012   differs at positions 19 and 20 ('l': 1 and 2, not 0 and 1)
/// </code>
/// Bus implements the written rule; see docs/tasks.md.
/// </remarks>
public static class LetterCounting
{
    /// <summary>The seed's cap: counts 0, 1 and "2 or more".</summary>
    public const int DefaultCap = 2;

    /// <summary>Number of classes for a cap: <c>cap + 1</c> (3 for the seed).</summary>
    public static int ClassCount(int cap = DefaultCap)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(cap, 1);
        return cap + 1;
    }

    /// <summary>The label of every position of <paramref name="window"/>.</summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="cap"/> is below 1 or <paramref name="variant"/> is
    /// unknown.</exception>
    public static int[] Labels(ReadOnlySpan<char> window, LetterCountingVariant variant = LetterCountingVariant.Before,
        int cap = DefaultCap)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(cap, 1);
        var labels = new int[window.Length];
        var seen = new Dictionary<char, int>();
        switch (variant)
        {
            case LetterCountingVariant.Before:
                // Label = occurrences strictly before i, capped.
                for (int i = 0; i < window.Length; i++)
                {
                    seen.TryGetValue(window[i], out int before);
                    labels[i] = Math.Min(before, cap);
                    seen[window[i]] = before + 1;
                }
                break;
            case LetterCountingVariant.BeforeAndAfter:
                // Label = occurrences anywhere in the window except i itself, capped.
                foreach (char c in window)
                    seen[c] = seen.GetValueOrDefault(c) + 1;
                for (int i = 0; i < window.Length; i++)
                    labels[i] = Math.Min(seen[window[i]] - 1, cap);
                break;
            default:
                throw new ArgumentOutOfRangeException(nameof(variant), variant, "Unknown letter-counting variant.");
        }
        return labels;
    }
}
