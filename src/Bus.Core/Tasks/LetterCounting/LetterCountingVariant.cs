namespace Bus.Core.Tasks.LetterCounting;

/// <summary>Which occurrences of a character the letter-counting label counts.</summary>
public enum LetterCountingVariant
{
    /// <summary>Seed 002: occurrences earlier in the window (a causal task).</summary>
    Before,

    /// <summary>Occurrences anywhere else in the window, before or after (a bidirectional task).</summary>
    BeforeAndAfter,
}
