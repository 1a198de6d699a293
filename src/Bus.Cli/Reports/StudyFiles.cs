namespace Bus.Cli.Reports;

/// <summary>Writes a study's raw curves and summaries as CSV: curves.csv (every evaluation of every run), frontier.csv,
/// time-to-target.csv.</summary>
public static class StudyFiles
{
    /// <summary>Writes the three CSV files into <paramref name="directory"/>.</summary>
    public static void Write(string directory, StudyResult result)
    {
        ArgumentNullException.ThrowIfNull(result);
        Directory.CreateDirectory(directory);
        var unit = result.Options.Comparison.Unit;
        Csv.Write(Path.Combine(directory, "curves.csv"),
            "arm,seed,lr,step,spent_incl_charged_setup,dev_loss,dev_metric,train_loss,d_model,layers,note",
            result.Runs.SelectMany(r =>
            {
                double charged = r.Run.Setup.Where(s => s.Charged).Sum(s => s.Spent);
                return r.Run.History.Select(h => Csv.Row(r.Arm, r.Run.Seed, r.LearningRate, h.Step,
                    charged + Bus.Experiments.EqualBudgetComparison.SpentAt(h, unit), h.DevLoss, h.DevMetric, h.TrainLoss, h.DModel,
                    h.Layers, h.Note));
            }));
        Csv.Write(Path.Combine(directory, "frontier.csv"), "arm,spent,n,metric_mean,metric_std,ci95_low,ci95_high",
            result.Frontier().SelectMany(c => c.Points.Select(p => Csv.Row(c.Arm, p.Spent, p.Metric.Count, p.Metric.Mean,
                p.Metric.StandardDeviation, p.Metric.Ci95Low, p.Metric.Ci95High))));
        Csv.Write(Path.Combine(directory, "time-to-target.csv"),
            "arm,target,runs,reached,fraction_mean,fraction_ci95_low,fraction_ci95_high," +
            "vs_scratch,vs_scratch_ci95_low,vs_scratch_ci95_high",
            result.TimeToTarget().Select(t => Csv.Row(t.Arm, t.Target, t.Runs, t.Reached, t.Fraction?.Mean, t.Fraction?.Ci95Low,
                t.Fraction?.Ci95High, t.VersusScratch, t.VersusScratchLow, t.VersusScratchHigh)));
    }
}
