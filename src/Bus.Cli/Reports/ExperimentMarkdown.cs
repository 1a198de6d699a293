namespace Bus.Cli.Reports;

/// <summary>Markdown report of a BUS experiment: the seed-002-shaped table, full statistics and time-to-target.</summary>
public static class ExperimentMarkdown
{
    private static readonly CultureInfo Inv = CultureInfo.InvariantCulture;

    /// <summary>Renders <paramref name="results"/> (one per d_model) as markdown.</summary>
    public static string Render(IReadOnlyList<BusExperimentResult> results, string command)
    {
        var sb = new StringBuilder();
        var first = results[0];
        string metric = first.MetricName;
        bool pct = first.HigherIsBetter;
        string F(double v) => pct ? (v * 100).ToString("F1", Inv) + "%" : v.ToString("F3", Inv);
        // Improvement is signed so that positive is better: accuracy up, or bits per character down.
        string D(double bus, double scratch) => pct
            ? ((bus - scratch) * 100).ToString("+0.0;-0.0", Inv) + " pts"
            : (scratch - bus).ToString("+0.000;-0.000", Inv) + " bpc";

        sb.AppendLine($"# BUS experiment: {first.Options.Task}, operator `{first.Options.Operator}`").AppendLine();
        sb.AppendLine($"Command: `{command}`").AppendLine();
        sb.AppendLine($"Protocol (seed 002): small model d/2 for E1 = {first.Options.SmallEpochs} epochs, grow to d, train E2 = " +
                      $"{first.Options.GrownEpochs} epochs; scratch: d for E1 + E2 epochs; control: d initialised by " +
                      $"`{first.Options.Operator}` from an untrained d/2 model, E1 + E2 epochs. {first.Options.Seeds} seeds per arm, " +
                      $"batch {first.Options.BatchSize}, peak lr {first.Options.LearningRate.ToString(Inv)} (AdamW, 5% warm-up, linear " +
                      $"decay to 0), {first.Options.Model.Layers} layer(s), {first.Options.Model.Heads} head(s), " +
                      $"d_ff = {ComparisonMarkdown.FeedForwardRatio(first.Options.Model)} d.").AppendLine();

        sb.AppendLine($"## Dev {metric}, shaped like the seed's results table").AppendLine();
        sb.AppendLine(
            $"| Model size (d_model) | Dev set {metric} | Dev {metric} (transfer learning) | Transfer improvement (positive = better) |");
        sb.AppendLine("|:--:|:--:|:--:|:--:|");
        foreach (var r in results)
        {
            var s = Arm(r, BusExperiment.Scratch); var b = Arm(r, BusExperiment.Bus);
            sb.AppendLine($"| {r.Options.Model.DModel} | {F(s.Metric.Mean)} | {F(b.Metric.Mean)} | {D(b.Metric.Mean, s.Metric.Mean)} |");
        }
        sb.AppendLine();

        sb.AppendLine("## Statistics per arm").AppendLine();
        sb.AppendLine(
            $"| d_model | arm | n | dev {metric} mean ± std | 95% CI | Welch p vs scratch | train wall-clock s (mean) | train GFLOPs " +
            $"(mean) |");
        sb.AppendLine("|--:|:--|--:|:--|:--|--:|--:|--:|");
        foreach (var r in results)
            foreach (var a in r.Arms)
                sb.AppendLine($"| {r.Options.Model.DModel} | {a.Arm} | {a.Metric.Count} | " +
                              $"{F(a.Metric.Mean)} ± {F(a.Metric.StandardDeviation)} " +
                              $"| [{F(a.Metric.Ci95Low)}, {F(a.Metric.Ci95High)}] | " +
                              $"{(a.VersusScratch is { } w ? w.PValue.ToString("G3", Inv) : "–")} | " +
                              $"{a.WallClock.Mean.ToString("F1", Inv)} | {(a.Flops.Mean / 1e9).ToString("F1", Inv)} |");
        sb.AppendLine();

        sb.AppendLine($"## Time to target (target = scratch arm's mean final dev {metric})").AppendLine();
        sb.AppendLine(
            "| d_model | arm | runs reaching target | wall-clock s (mean of those) | fraction of scratch wall-clock | GFLOPs (mean of " +
            "those) | fraction of scratch FLOPs |");
        sb.AppendLine("|--:|:--|--:|--:|--:|--:|--:|");
        foreach (var r in results)
        {
            var scratch = Arm(r, BusExperiment.Scratch);
            foreach (var a in r.Arms)
            {
                var hit = a.TimeToTarget.Where(t => t.Reached).ToList();
                if (hit.Count == 0)
                {
                    sb.AppendLine($"| {r.Options.Model.DModel} | {a.Arm} | 0/{a.TimeToTarget.Count} | – | – | – | – |");
                    continue;
                }
                double wall = hit.Average(t => t.WallClockSeconds), flops = hit.Average(t => t.Flops);
                sb.AppendLine($"| {r.Options.Model.DModel} | {a.Arm} | {hit.Count}/{a.TimeToTarget.Count} | {wall.ToString("F1", Inv)} | " +
                              $"{(wall / scratch.WallClock.Mean).ToString("F2", Inv)} | {(flops / 1e9).ToString("F1", Inv)} | " +
                              $"{(flops / scratch.Flops.Mean).ToString("F2", Inv)} |");
            }
        }
        sb.AppendLine();
        sb.AppendLine("Growth events (dev loss just before and after growth, first seed):").AppendLine();
        foreach (var r in results)
            foreach (var line in r.Runs.Where(x => x.Arm == BusExperiment.Bus).Take(1).SelectMany(x => x.Log)
                .Where(l => l.Contains("growth", StringComparison.Ordinal)))
                sb.AppendLine($"- d={r.Options.Model.DModel}: {line}");
        return sb.ToString();
    }

    private static ArmSummary Arm(BusExperimentResult r, string arm) => r.Arms.Single(a => a.Arm == arm);
}
