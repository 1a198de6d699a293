namespace Bus.Cli.Reports;

/// <summary>Markdown report of an equal-budget comparison: rows budget x method with statistics against the baseline.</summary>
public static class ComparisonMarkdown
{
    private static readonly CultureInfo Inv = CultureInfo.InvariantCulture;

    /// <summary>Renders <paramref name="result"/> as markdown.</summary>
    public static string Render(ComparisonResult result, string command)
    {
        ArgumentNullException.ThrowIfNull(result);
        var o = result.Options;
        bool pct = result.HigherIsBetter;
        string F(double v) => double.IsNaN(v) ? "–" : pct ? (v * 100).ToString("F1", Inv) + "%" : v.ToString("F3", Inv);
        string D(double v) => double.IsNaN(v) ? "–"
            : pct ? (v * 100).ToString("+0.0;-0.0;0.0", Inv) + " pts"
            : v.ToString("+0.000;-0.000;0.000", Inv);
        string unit = UnitName(o.Unit);
        var sb = new StringBuilder();
        sb.AppendLine($"# Equal-budget comparison: {o.Task}, d={o.Model.DModel}, {o.Model.Layers} layer(s)").AppendLine();
        sb.AppendLine($"Command: `{command}`").AppendLine();
        sb.AppendLine($"Every method gets the same budget in {unit}; each run stops at the first step where spent >= budget and its " +
                      $"learning rate (5% warm-up, linear decay) reaches 0 exactly there (NTNG's fully decayed baseline). {o.Seeds} " +
                      $"seed(s) per cell, batch {o.BatchSize}, sequence length {o.SequenceLength}, {o.Model.Heads} head(s), d_ff = " +
                      $"{FeedForwardRatio(o.Model)} d. Dev {result.MetricName} is evaluated on " +
                      $"{(o.MaxEvalExamples is { } m ? $"the first {m} dev windows" : "the whole dev set")}; " +
                      $"{(result.HigherIsBetter ? "higher" : "lower")} is better.").AppendLine();
        sb.AppendLine("Methods:").AppendLine();
        foreach (var method in result.Methods) sb.AppendLine($"- `{method.Name}` — {method.Description}");
        sb.AppendLine();
        if (result.CostTables.Count > 0)
        {
            sb.AppendLine($"Reference time: cost tables calibrated once at the start on this machine, one per width " +
                          $"({string.Join(", ", result.CostTables.Keys.Order().Select(w => "d=" + w))}), stored as cost-table-d*.json. " +
                          "Reference: " + result.CostTables.Values.First().Reference).AppendLine();
        }
        foreach (var n in result.Notes) sb.AppendLine($"- note: {n}");
        if (result.Notes.Count > 0) sb.AppendLine();
        sb.AppendLine($"## Final dev {result.MetricName} at equal budget").AppendLine();
        sb.AppendLine(
            $"| budget ({unit}) | method | n | dev {result.MetricName} mean ± std | 95% CI | Δ vs baseline | Welch p vs baseline | steps " +
            $"| ref. s | GFLOPs | wall s | reached baseline | time to baseline (budget fraction) |");
        sb.AppendLine("|--:|:--|--:|:--|:--|--:|--:|--:|--:|--:|--:|--:|--:|");
        foreach (var c in result.Cells)
        {
            bool isBaseline = c.Method == EqualBudgetComparison.Baseline;
            sb.AppendLine($"| {c.Budget.ToString("G6", Inv)} | {c.Method} | {c.Metric.Count} | {F(c.Metric.Mean)} ± " +
                          $"{F(c.Metric.StandardDeviation)} | [{F(c.Metric.Ci95Low)}, {F(c.Metric.Ci95High)}] | " +
                          $"{(isBaseline ? "–" : D(c.DeltaVsBaseline))} | " +
                          $"{(c.VersusBaseline is { } w ? w.PValue.ToString("G3", Inv) : "–")} | {c.MeanSteps.ToString("F0", Inv)} | " +
                          $"{c.MeanReferenceSeconds.ToString("F1", Inv)} | {(c.MeanFlops / 1e9).ToString("F1", Inv)} | " +
                          $"{c.MeanWallClockSeconds.ToString("F1", Inv)} | {c.ReachedTarget}/{c.Metric.Count} | " +
                          $"{(double.IsNaN(c.MeanTimeToTargetFraction) ? "–" : c.MeanTimeToTargetFraction.ToString("F2", Inv))} |");
        }
        sb.AppendLine();
        sb.AppendLine("Steps, reference seconds, GFLOPs and wall-clock are means over seeds and include setup (RHO-LOSS's IL model) " +
                      "whether it was charged or not. \"Reached baseline\" counts runs whose dev metric reached the baseline's mean " +
                      "final metric at that budget at some evaluation; the time is the budget fraction spent (charged setup included) at " +
                      "the first such evaluation.").AppendLine();
        var setups = result.Runs.Where(r => r.Setup.Count > 0).GroupBy(r => r.Method).Select(g => g.First()).ToList();
        if (setups.Count > 0)
        {
            sb.AppendLine("Setup (first run of each method):").AppendLine();
            foreach (var r in setups)
                foreach (var s in r.Setup)
                    sb.AppendLine(
                        $"- `{r.Method}` at budget {r.Budget.ToString("G6", Inv)}: {s.Note}; {(s.Charged ? "charged" : "free")}: " +
                        $"{s.Spent.ToString("G4", Inv)} {unit} ({(s.Spent / r.Budget).ToString("P0", Inv)} of the budget)");
            sb.AppendLine();
        }
        return sb.ToString();
    }

    /// <summary>d_ff as a multiple of d_model ("4" for the default shape), as the reports write it.</summary>
    public static string FeedForwardRatio(TransformerConfig model) =>
        (model.FeedForwardSize / (double)model.DModel).ToString("G3", CultureInfo.InvariantCulture);

    /// <summary>Human name of a budget unit.</summary>
    public static string UnitName(BudgetUnit unit) => unit switch
    {
        BudgetUnit.ReferenceSeconds => "reference seconds",
        BudgetUnit.WallClockSeconds => "wall-clock seconds",
        BudgetUnit.Flops => "FLOPs",
        _ => unit.ToString().ToLowerInvariant(),
    };
}
