namespace Bus.Cli.Reports;

/// <summary>PNG plots of an experiment (ScottPlot): dev metric and loss per epoch per arm (mean over seeds), and singular-value
/// spectra.</summary>
public static class ExperimentPlots
{
    /// <summary>Writes metric, loss and spectrum plots for <paramref name="result"/> into <paramref name="directory"/>; returns the file
    /// paths.</summary>
    public static IReadOnlyList<string> Write(string directory, BusExperimentResult result)
    {
        Directory.CreateDirectory(directory);
        int d = result.Options.Model.DModel;
        var files = new List<string>
        {
            Curve(directory, result, $"{result.MetricName}_d{d}.png", $"Dev {result.MetricName} per epoch (d_model {d})", h => h.DevMetric,
                $"dev {result.MetricName}"),
            Curve(directory, result, $"loss_d{d}.png", $"Dev loss per epoch (d_model {d})", h => h.DevLoss, "dev cross-entropy (nats)"),
        };
        if (result.Spectra.Count > 0) files.Add(Spectra(directory, result));
        return files;
    }

    private static string Curve(string directory, BusExperimentResult result, string file, string title,
        Func<Bus.Core.Training.MetricsRecord, double> value, string yLabel)
    {
        var plot = new Plot();
        foreach (var arm in result.Arms.Select(a => a.Arm))
        {
            // Mean over seeds at each evaluation; every seed of an arm has the same evaluation schedule, so
            // records align by position (growth "before"/"after" records sit at the same epoch, one after the other).
            var runs = result.Runs.Where(r => r.Arm == arm).ToList();
            int count = runs.Min(r => r.History.Count);
            var points = Enumerable.Range(0, count)
                .Select(i => (X: runs[0].History[i].Epoch, Y: runs.Average(r => value(r.History[i]))))
                .ToArray();
            var line = plot.Add.Scatter(points.Select(p => p.X).ToArray(), points.Select(p => p.Y).ToArray());
            line.LegendText = arm;
        }
        plot.Title(title);
        plot.XLabel("epoch");
        plot.YLabel(yLabel);
        plot.ShowLegend();
        string path = Path.Combine(directory, file);
        plot.SavePng(path, 800, 500);
        return path;
    }

    private static string Spectra(string directory, BusExperimentResult result)
    {
        var plot = new Plot();
        string parameter = result.Spectra[0].Parameter;
        foreach (var s in result.Spectra.Where(s => s.Parameter == parameter))
        {
            var xs = Enumerable.Range(1, s.Values.Count).Select(i => (double)i).ToArray();
            var line = plot.Add.Scatter(xs, s.Values.ToArray());
            line.LegendText = $"{s.Moment}";
        }
        plot.Title($"Singular values of {parameter} (d_model {result.Options.Model.DModel}, seed {result.Spectra[0].Seed})");
        plot.XLabel("index");
        plot.YLabel("singular value");
        plot.ShowLegend();
        string path = Path.Combine(directory, $"spectrum_d{result.Options.Model.DModel}.png");
        plot.SavePng(path, 800, 500);
        return path;
    }
}
