namespace Bus.Cli.Reports;

/// <summary>PNGs of a study (ScottPlot): the compute frontier and the growth-timing plot.</summary>
public static class StudyPlots
{
    /// <summary>Writes frontier.png (dev metric vs spent budget, mean and 95% band per arm) and, when timing arms exist, growth-timing.png;
    /// returns their paths.</summary>
    public static IReadOnlyList<string> Write(string directory, StudyResult result)
    {
        ArgumentNullException.ThrowIfNull(result);
        Directory.CreateDirectory(directory);
        string unit = ComparisonMarkdown.UnitName(result.Options.Comparison.Unit);
        var paths = new List<string>();
        var plot = new Plot();
        var palette = new ScottPlot.Palettes.Category20();
        var curves = result.Frontier().Where(c => c.Points.Count > 0).ToList();
        for (int i = 0; i < curves.Count; i++)
        {
            var color = palette.GetColor(i);
            double[] xs = curves[i].Points.Select(p => p.Spent).ToArray();
            var band = plot.Add.FillY(xs,
                curves[i].Points.Select(p => double.IsFinite(p.Metric.Ci95Low) ? p.Metric.Ci95Low : p.Metric.Mean).ToArray(),
                curves[i].Points.Select(p => double.IsFinite(p.Metric.Ci95High) ? p.Metric.Ci95High : p.Metric.Mean).ToArray());
            band.FillColor = color.WithAlpha(0.15);
            band.LineColor = Colors.Transparent;
            var line = plot.Add.ScatterLine(xs, curves[i].Points.Select(p => p.Metric.Mean).ToArray(), color);
            line.LegendText = curves[i].Arm;
        }
        var o = result.Options.Comparison;
        plot.Title(
            $"Compute frontier: dev {result.MetricName} vs {unit} ({o.Model.Architecture}, d={o.Model.DModel}, {o.Model.Layers} " +
            $"layers, mean and 95% CI over {o.Seeds} seeds)");
        plot.XLabel($"spent ({unit}, charged setup included)");
        plot.YLabel($"dev {result.MetricName}");
        plot.ShowLegend(result.HigherIsBetter ? Alignment.LowerRight : Alignment.UpperRight);
        string frontier = Path.Combine(directory, "frontier.png");
        plot.SavePng(frontier, 1100, 680);
        paths.Add(frontier);

        if (result.BestOperator is { } best)
        {
            var comparison = result.AsComparison();
            var timing = new List<(double Fraction, Bus.Experiments.Statistics.SampleSummary Metric)>();
            foreach (var cell in comparison.Cells)
            {
                string arm = cell.Method;
                if (arm == best) timing.Add((o.GrowthFraction, cell.Metric));
                else if (arm.StartsWith(best + "@", StringComparison.Ordinal) && !arm.EndsWith(":map", StringComparison.Ordinal)
                         && double.TryParse(arm[(best.Length + 1)..], System.Globalization.NumberStyles.Float,
                             System.Globalization.CultureInfo.InvariantCulture, out double f))
                    timing.Add((f, cell.Metric));
            }
            if (timing.Count > 1)
            {
                timing.Sort((a, b) => a.Fraction.CompareTo(b.Fraction));
                var tp = new Plot();
                double[] xs = timing.Select(t => t.Fraction).ToArray();
                double[] ys = timing.Select(t => t.Metric.Mean).ToArray();
                var grown = tp.Add.Scatter(xs, ys);
                grown.LegendText = $"{best}, grown at fraction (mean ± 95% CI)";
                var bars = tp.Add.ErrorBar(xs, ys,
                    timing.Select(t => double.IsFinite(t.Metric.Ci95High) ? (t.Metric.Ci95High - t.Metric.Ci95Low) / 2 : 0).ToArray());
                bars.Color = grown.Color;
                var scratch = comparison.Cells.Single(c => c.Method == Bus.Experiments.EqualBudgetComparison.Baseline).Metric;
                var line = tp.Add.HorizontalLine(scratch.Mean);
                line.LegendText = $"tuned scratch {scratch.Mean:F3}";
                tp.Title($"Growth timing: final dev {result.MetricName} vs budget fraction at growth ({best})");
                tp.XLabel("budget fraction spent before growth");
                tp.YLabel($"final dev {result.MetricName}");
                tp.ShowLegend();
                string path = Path.Combine(directory, "growth-timing.png");
                tp.SavePng(path, 800, 520);
                paths.Add(path);
            }
        }
        return paths;
    }
}
