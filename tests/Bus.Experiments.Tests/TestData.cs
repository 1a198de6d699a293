using Bus.Core.Tasks.LetterCounting;
using Bus.Testing;

namespace Bus.Experiments.Tests;

/// <summary>Tiny synthetic letter-counting data and options made by the tests themselves.</summary>
internal static class TestData
{
    public const int Length = 12;

    public static ComparisonOptions Options(BudgetUnit unit = BudgetUnit.Steps, params string[] methods) => new()
    {
        Model = new() { DModel = 16, FeedForwardSize = 64, Layers = 2, Heads = 1 }, SequenceLength = Length, BatchSize = 8, Budgets = [8], Unit = unit, Seeds = 1,
        Methods = methods.Length > 0 ? methods : ["baseline"], EvaluationsPerEpoch = 2, MaxEvalExamples = 64,
    };

    public static TransformerConfig Full(ComparisonOptions options) => EqualBudgetComparison.FullConfig(options);

    public static SequenceObjective Objective => SequenceObjective.TokenClassification;

    /// <summary>Random windows over a small alphabet, labelled by earlier-occurrence counts capped at 2.</summary>
    public static SequenceDataset LetterCounting(int count, int seed, int alphabet = 6) =>
        SyntheticLetterCounting.Create(count, Length, seed, alphabet);

    /// <summary>A hand-made cost table: every AdamW/Lion step costs <paramref name="perLayer"/> x active layers; forward-only passes a third of that.</summary>
    public static CalibratedCostModel Table(double perLayer, int batch) =>
        new(new CostTable(Length,
        [
            new(batch, 1, "adamw", false, perLayer), new(batch, 2, "adamw", false, 2 * perLayer),
            new(batch, 1, "lion", false, perLayer), new(batch, 2, "lion", false, 2 * perLayer),
            new(batch, 1, null, true, perLayer / 3), new(batch, 2, null, true, 2 * perLayer / 3),
        ]));
}
