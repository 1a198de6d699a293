using Bus.Cli.Reports;
using Bus.Experiments.Frontier;

namespace Bus.Cli.Tests;

/// <summary>
/// The frontier report's growth table writes what is not a number as words: an arm with one seed has no p-value ("–"), an arm
/// that never reaches the frontier has no time or time interval ("not reached"); no "NaN" reaches the report.
/// </summary>
public sealed class FrontierMarkdownTests
{
    [Fact]
    public void AnUnreachedOneSeedArmIsWrittenWithoutNaN()
    {
        var scale = new FrontierScale("gpt-a", 16, 2, 2);
        double[] budgets = [4, 8, 16];
        var plan = new FrontierScalePlan(scale, 4_000, 1, budgets[^1], budgets, (long)budgets[^1] * 128, budgets[^1] * 128.0 / 4_000, 1,
            0.3, 0.3);
        var runs = new List<FrontierRun>();
        foreach (var (size, n) in new[] { ("width-half", 1_000L), ("depth-half", 2_000L), ("full", 4_000L) })
            for (int k = 0; k < budgets.Length; k++)
                for (int seed = 0; seed < 2; seed++)
                    runs.Add(Run(FrontierArms.Scratch(size), k, budgets[k], seed, n, 2.0 + k * -0.1 + n / 1e4 + seed * 1e-3, null));
        // one seed, always 0.5 bpc above the best scratch size: never reaches the frontier
        runs.Add(Run(FrontierArms.Growth("stack-depth", "gstack"), 2, budgets[2], 0, 4_000, 2.8, 0.5));

        string report = FrontierMarkdown.Render(new FrontierAnalysis([plan], runs), "bus study --preset frontier", 1);

        string row = report.Split('\n').Single(l => l.StartsWith("| gpt-a | stack-depth@gstack |", StringComparison.Ordinal));
        row.Should().NotContain("NaN").And.Contain("not reached");
        row.Split('|').Select(c => c.Trim()).Should().Contain("–", "one seed gives no p-value");
    }

    private static FrontierRun Run(string arm, int k, double budget, long seed, long n, double bpc, double? fraction) =>
        new("gpt-a", arm, 0.01, k, budget, seed, 16, 2, 2, n, (long)budget * 128, (long)budget, budget, 0, 0, 0, bpc, bpc, fraction,
            [new CurvePoint(budget / 2, bpc + 0.2), new CurvePoint(budget, bpc)], "test", []);
}
