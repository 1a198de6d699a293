namespace Bus.Cli.Reports;

/// <summary>Markdown report of a growth study: status, time-to-target table, then the final-metric table of
/// <see cref="ComparisonMarkdown"/>.</summary>
public static class StudyMarkdown
{
    private static readonly CultureInfo Inv = CultureInfo.InvariantCulture;

    /// <summary>Renders <paramref name="result"/>; <paramref name="command"/> and <paramref name="wallSeconds"/> (this call's duration) are
    /// quoted.</summary>
    public static string Render(StudyResult result, string command, double wallSeconds)
    {
        ArgumentNullException.ThrowIfNull(result);
        var o = result.Options;
        string unit = ComparisonMarkdown.UnitName(o.Comparison.Unit);
        var sb = new StringBuilder();
        sb.AppendLine(
            $"# Growth study: {o.Comparison.Model.Architecture} char LM, d={o.Comparison.Model.DModel}, {o.Comparison.Model.Layers} " +
            $"layers, budget " +
            $"{o.Budget.ToString("G6", Inv)} {unit}").AppendLine();
        sb.AppendLine($"Command: `{command}` — this call trained {result.Executed} run(s) in {wallSeconds.ToString("F0", Inv)} s " +
                      $"wall-clock and loaded the other {result.Runs.Count - result.Executed} from runs/. Status: " +
                      $"{(result.Complete ? "complete" : "INCOMPLETE (re-run the same command to resume)")}.").AppendLine();
        sb.AppendLine($"Scratch peak LR tuned over {string.Join(", ", o.ScratchLearningRates.Select(l => l.ToString("G3", Inv)))}: " +
                      $"{(result.TunedLearningRate is { } lr ? lr.ToString("G3", Inv) : "pending")}; every other arm uses it. " +
                      $"Best growth operator (phase 2, by mean final {result.MetricName}): {result.BestOperator ?? "pending"}.")
                          .AppendLine();
        var ttt = result.TimeToTarget();
        if (ttt.Count > 0)
        {
            sb.AppendLine($"## Time to tuned scratch's final {result.MetricName} ({ttt[0].Target.ToString("F4", Inv)})").AppendLine();
            sb.AppendLine("| arm | reached | budget fraction mean [95% CI] | vs scratch's time [95% CI] |");
            sb.AppendLine("|:--|--:|:--|:--|");
            foreach (var t in ttt)
                sb.AppendLine($"| {t.Arm} | {t.Reached}/{t.Runs} | " +
                              $"{(t.Fraction is { } f
                                  ? $"{f.Mean.ToString("F3", Inv)} [{f.Ci95Low.ToString("F3", Inv)}, {f.Ci95High.ToString("F3", Inv)}]"
                                  : "–")} | " +
                              $"{(double.IsNaN(t.VersusScratch)
                                  ? "–"
                                  : $"{t.VersusScratch.ToString("F2", Inv)}x [{t.VersusScratchLow.ToString("F2", Inv)}, " +
                                    $"{t.VersusScratchHigh.ToString("F2", Inv)}]")} |");
            sb.AppendLine();
            sb.AppendLine("Budget fraction spent (charged setup included) at the first dev evaluation at or below the target, over the " +
                          "runs that reached it; \"vs scratch\" divides by tuned scratch's mean fraction. Evaluations are discrete, so " +
                          "fractions are resolved to the evaluation spacing.").AppendLine();
        }
        if (result.Runs.Count > 0)
            sb.Append(ComparisonMarkdown.Render(result.AsComparison(), command)
                .Replace("# Equal-budget comparison", "## Final dev metric — equal-budget comparison", StringComparison.Ordinal));
        sb.AppendLine(
            "Files: frontier.png (the compute frontier), growth-timing.png, curves.csv (every evaluation of every run), frontier.csv, " +
            "time-to-target.csv, results.csv, runs.csv, results.json, runs/*.json (one per run), cost-d*.json.");
        return sb.ToString();
    }
}
