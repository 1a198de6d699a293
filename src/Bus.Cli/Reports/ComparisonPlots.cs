namespace Bus.Cli.Reports;

/// <summary>PNG of an equal-budget comparison (ScottPlot): final dev metric vs budget per method, mean ± std over seeds.</summary>
public static class ComparisonPlots
{
    /// <summary>Writes metric-vs-budget.png into <paramref name="directory"/>; returns its path.</summary>
    public static string Write(string directory, ComparisonResult result)
    {
        ArgumentNullException.ThrowIfNull(result);
        Directory.CreateDirectory(directory);
        var plot = new Plot();
        var palette = new ScottPlot.Palettes.Category10();
        var methods = result.Cells.Select(c => c.Method).Distinct().ToList();
        var budgets = result.Cells.Select(c => c.Budget).Distinct().Order().ToList();
        double span = budgets.Count > 1 ? budgets[^1] - budgets[0] : budgets[0];
        for (int m = 0; m < methods.Count; m++)
        {
            var cells = result.Cells.Where(c => c.Method == methods[m]).OrderBy(c => c.Budget).ToList();
            double offset = (m - (methods.Count - 1) / 2.0) * span * 0.006; // small horizontal dodge so error bars do not hide each other
            double[] xs = cells.Select(c => c.Budget + offset).ToArray();
            double[] ys = cells.Select(c => c.Metric.Mean).ToArray();
            double[] errors = cells.Select(c => c.Metric.StandardDeviation).ToArray();
            var color = palette.GetColor(m); // explicit: error bars would otherwise take every other palette colour
            var line = plot.Add.Scatter(xs, ys, color);
            line.LegendText = methods[m];
            var bars = plot.Add.ErrorBar(xs, ys, errors);
            bars.Color = color;
        }
        plot.Title(
            $"Final dev {result.MetricName} at equal budget ({result.Options.Task}, d={result.Options.Model.DModel}, mean ± std over " +
            $"{result.Options.Seeds} seeds)");
        plot.XLabel($"budget ({ComparisonMarkdown.UnitName(result.Options.Unit)})");
        plot.YLabel($"dev {result.MetricName}");
        // where the curves are not: they rise (accuracy) or fall (bpc) to the right
        plot.ShowLegend(result.HigherIsBetter ? Alignment.LowerRight : Alignment.UpperRight);
        string path = Path.Combine(directory, "metric-vs-budget.png");
        plot.SavePng(path, 900, 560);
        return path;
    }
}
