namespace Bus.Cli.Reports;

/// <summary>PNGs of the frontier study (ScottPlot): per scale, test bpc against reference time for every scratch size, their envelope and
/// every growth arm; and the saving against scale.</summary>
public static class FrontierPlots
{
    /// <summary>Writes frontier-&lt;scale&gt;.png per scale with runs and saving-vs-scale.png when growth ran at two scales or more;
    /// returns the paths.</summary>
    public static IReadOnlyList<string> Write(string directory, FrontierAnalysis analysis)
    {
        ArgumentNullException.ThrowIfNull(analysis);
        var plans = analysis.Plans;
        var paths = new List<string>();
        var palette = new ScottPlot.Palettes.Category20();
        foreach (var plan in plans)
        {
            string scale = plan.Scale.Name;
            var points = analysis.Points.Where(p => p.Scale == scale).ToList();
            if (points.Count == 0) continue;
            var plot = new Plot();
            int color = 0;
            foreach (var size in points.Select(p => p.Size).Distinct())
            {
                var s = points.Where(p => p.Size == size).OrderBy(p => p.Budget).ToList();
                var line = plot.Add.ScatterLine(s.Select(p => p.Budget).ToArray(), s.Select(p => p.TestBpc.Mean).ToArray(),
                    palette.GetColor(color));
                line.LegendText = $"scratch {size} (lr {s[0].LearningRate:G2})";
                line.MarkerSize = 6;
                plot.Add.ErrorBar(s.Select(p => p.Budget).ToArray(), s.Select(p => p.TestBpc.Mean).ToArray(),
                    s.Select(p => double.IsFinite(p.TestBpc.Ci95High) ? (p.TestBpc.Ci95High - p.TestBpc.Ci95Low) / 2 : 0)
                        .ToArray()).Color = palette.GetColor(color);
                color++;
            }
            var envelope = analysis.Envelope.Where(e => e.Scale == scale).OrderBy(e => e.Budget).ToList();
            var env = plot.Add.ScatterLine(envelope.Select(e => e.Budget).ToArray(), envelope.Select(e => e.TestBpc).ToArray(),
                Colors.Black);
            env.LineWidth = 3;
            env.LinePattern = LinePattern.Dashed;
            env.LegendText = "frontier (lower envelope)";
            foreach (var g in analysis.Growth.Where(g => g.Scale == scale))
            {
                var c = palette.GetColor(color++);
                var m = plot.Add.Scatter(new[] { plan.MaxBudget }, new[] { g.TestBpc.Mean }, c);
                m.LegendText = $"{g.Arm}";
                m.MarkerShape = MarkerShape.OpenDiamond;
                m.MarkerSize = 9;
                plot.Add.ErrorBar(new[] { plan.MaxBudget }, new[] { g.TestBpc.Mean },
                    new[] { double.IsFinite(g.TestBpc.Ci95High) ? (g.TestBpc.Ci95High - g.TestBpc.Ci95Low) / 2 : 0 }).Color = c;
            }
            plot.Axes.Bottom.TickGenerator = new ScottPlot.TickGenerators.NumericAutomatic();
            plot.Title($"{scale}: test bpc vs budget (mean and 95% CI over seeds)");
            plot.XLabel(plans[0].StepCost == 1 ? "budget (steps)" : "budget (reference seconds)");
            plot.YLabel("test bpc");
            plot.ShowLegend(Alignment.UpperRight);
            string path = Path.Combine(directory, $"frontier-{scale}.png");
            plot.SavePng(path, 1000, 640);
            paths.Add(path);
        }
        if (analysis.Trend is { } trend)
        {
            var plot = new Plot();
            var xs = trend.Points.Select(p => (double)plans.Single(q => q.Scale.Name == p.Scale).NonEmbeddingParameters).ToArray();
            var ys = trend.Points.Select(p => p.Delta).ToArray();
            var sc = plot.Add.Scatter(xs.Select(Math.Log10).ToArray(), ys);
            sc.LegendText = "best growth arm: test bpc - frontier (negative = below the frontier)";
            plot.Add.HorizontalLine(0).LinePattern = LinePattern.Dotted;
            plot.Title("Growth against the compute frontier, by scale");
            plot.XLabel("log10 non-embedding parameters of the full model");
            plot.YLabel("test bpc difference at the largest budget");
            plot.ShowLegend();
            string path = Path.Combine(directory, "saving-vs-scale.png");
            plot.SavePng(path, 800, 520);
            paths.Add(path);
        }
        return paths;
    }
}
