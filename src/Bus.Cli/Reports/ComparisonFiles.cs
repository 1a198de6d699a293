namespace Bus.Cli.Reports;

/// <summary>Writes an equal-budget comparison as CSV (one row per cell, one per run), JSON (everything) and its cost tables.</summary>
public static class ComparisonFiles
{
    /// <summary>Writes results.csv, runs.csv, results.json and cost-table-d{width}.json into <paramref name="directory"/>.</summary>
    public static void Write(string directory, ComparisonResult result)
    {
        ArgumentNullException.ThrowIfNull(result);
        Directory.CreateDirectory(directory);
        Csv.Write(Path.Combine(directory, "results.csv"),
            "budget,unit,method,n,metric_mean,metric_std,ci95_low,ci95_high,delta_vs_baseline,welch_t,welch_df,welch_p," +
            "mean_steps,mean_flops,mean_reference_s,mean_wall_s,reached_baseline,mean_time_to_baseline_fraction",
            result.Cells.Select(c => Csv.Row(c.Budget, result.Options.Unit, c.Method, c.Metric.Count, c.Metric.Mean,
                c.Metric.StandardDeviation, c.Metric.Ci95Low, c.Metric.Ci95High, c.DeltaVsBaseline, c.VersusBaseline?.T,
                c.VersusBaseline?.DegreesOfFreedom, c.VersusBaseline?.PValue, c.MeanSteps, c.MeanFlops, c.MeanReferenceSeconds,
                c.MeanWallClockSeconds, c.ReachedTarget, c.MeanTimeToTargetFraction)));
        Csv.Write(Path.Combine(directory, "runs.csv"),
            "budget,method,seed,final_metric,final_dev_loss,main_budget,spent,spent_before_last_step,steps,flops,reference_s,wall_s," +
            "setup_charged",
            result.Runs.Select(r => Csv.Row(r.Budget, r.Method, r.Seed, r.FinalMetric, r.FinalDevLoss, r.MainBudget, r.Spent,
                r.SpentBeforeLastStep, r.Steps, r.Flops, r.ReferenceSeconds, r.WallClockSeconds,
                r.Setup.Where(s => s.Charged).Sum(s => s.Spent))));
        File.WriteAllText(Path.Combine(directory, "results.json"), JsonSerializer.Serialize(result, ResultJson.Options));
        foreach (var (width, table) in result.CostTables) table.Save(Path.Combine(directory, $"cost-table-d{width}.json"));
    }
}
