using System.Globalization;
using System.Text;
using Bus.Experiments.Study;

namespace Bus.Cli.Reports;

/// <summary>Writes a study's raw curves and summaries as CSV: curves.csv (every evaluation of every run), frontier.csv, time-to-target.csv.</summary>
public static class StudyFiles
{
    private static readonly CultureInfo Inv = CultureInfo.InvariantCulture;

    /// <summary>Writes the three CSV files into <paramref name="directory"/>.</summary>
    public static void Write(string directory, StudyResult result)
    {
        ArgumentNullException.ThrowIfNull(result);
        Directory.CreateDirectory(directory);
        var unit = result.Options.Comparison.Unit;
        var curves = new StringBuilder("arm,seed,lr,step,spent_incl_charged_setup,dev_loss,dev_metric,train_loss,d_model,layers,note\n");
        foreach (var r in result.Runs)
        {
            double charged = r.Run.Setup.Where(s => s.Charged).Sum(s => s.Spent);
            foreach (var h in r.Run.History)
                curves.AppendLine(Row(r.Arm, r.Run.Seed, r.LearningRate, h.Step, charged + Bus.Experiments.EqualBudgetComparison.SpentAt(h, unit), h.DevLoss, h.DevMetric, h.TrainLoss, h.DModel, h.Layers, h.Note));
        }
        File.WriteAllText(Path.Combine(directory, "curves.csv"), curves.ToString());
        var frontier = new StringBuilder("arm,spent,n,metric_mean,metric_std,ci95_low,ci95_high\n");
        foreach (var c in result.Frontier())
            foreach (var p in c.Points)
                frontier.AppendLine(Row(c.Arm, p.Spent, p.Metric.Count, p.Metric.Mean, p.Metric.StandardDeviation, p.Metric.Ci95Low, p.Metric.Ci95High));
        File.WriteAllText(Path.Combine(directory, "frontier.csv"), frontier.ToString());
        var ttt = new StringBuilder("arm,target,runs,reached,fraction_mean,fraction_ci95_low,fraction_ci95_high,vs_scratch,vs_scratch_ci95_low,vs_scratch_ci95_high\n");
        foreach (var t in result.TimeToTarget())
            ttt.AppendLine(Row(t.Arm, t.Target, t.Runs, t.Reached, t.Fraction?.Mean, t.Fraction?.Ci95Low, t.Fraction?.Ci95High, t.VersusScratch, t.VersusScratchLow, t.VersusScratchHigh));
        File.WriteAllText(Path.Combine(directory, "time-to-target.csv"), ttt.ToString());
    }

    private static string Row(params object?[] values) => string.Join(',', values.Select(v => v is string s && s.Contains(',', StringComparison.Ordinal) ? $"\"{s}\"" : Convert.ToString(v, Inv)));
}
