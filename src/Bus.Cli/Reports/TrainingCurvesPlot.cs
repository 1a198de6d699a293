namespace Bus.Cli.Reports;

/// <summary>The PNG of one run's curves (ScottPlot): train and dev loss against steps, and the dev metric on the right axis.</summary>
public static class TrainingCurvesPlot
{
    /// <summary>Writes the curves of <paramref name="history"/> to <paramref name="path"/> (PNG, 1000 x 600).</summary>
    public static void Write(string path, IReadOnlyList<MetricsRecord> history, string metricName)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        ArgumentNullException.ThrowIfNull(history);
        var plot = new Plot();
        double[] steps = history.Select(r => (double)r.Step).ToArray();
        var train = plot.Add.ScatterLine(steps, history.Select(r => r.TrainLoss).ToArray());
        train.LegendText = "train loss (mean since the last evaluation)";
        var dev = plot.Add.ScatterLine(steps, history.Select(r => r.DevLoss).ToArray());
        dev.LegendText = "dev loss";
        var metric = plot.Add.ScatterLine(steps, history.Select(r => r.DevMetric).ToArray());
        metric.LegendText = $"dev {metricName} (right axis)";
        metric.LinePattern = LinePattern.Dashed;
        metric.Axes.YAxis = plot.Axes.Right;
        foreach (var s in new[] { train, dev, metric }) s.MarkerSize = history.Count <= 50 ? 5 : 0;
        plot.Title($"Training curves ({history.Count} evaluations)");
        plot.XLabel("optimizer steps");
        plot.YLabel("loss (nats)");
        plot.Axes.Right.Label.Text = $"dev {metricName}";
        plot.ShowLegend(Alignment.UpperRight);
        plot.SavePng(path, 1000, 600);
    }
}
