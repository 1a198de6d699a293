namespace Bus.Cli.Reports;

/// <summary>The frontier study's files, written from every run file in the folder: runs.csv and report.md (the analysis comes from
/// <see cref="FrontierAnalysis"/>).</summary>
public static class FrontierFiles
{
    /// <summary>Writes the files; returns their paths.</summary>
    public static IReadOnlyList<string> Write(string directory, string commandLine, double seconds)
    {
        var runs = FrontierRunner.LoadRuns(directory);
        var plans = FrontierRunner.LoadPlans(directory);
        var paths = new List<string>();
        string csv = Path.Combine(directory, "runs.csv");
        var sb = new StringBuilder(
            "scale,arm,lr,budget_index,budget,seed,d_model,layers,heads,non_embedding_params,tokens,steps,spent,reference_seconds," +
            "flops,wall_seconds,final_dev_bpc,test_bpc,growth_fraction,build\n");
        foreach (var r in runs)
            sb.AppendLine(string.Join(',', r.Scale, r.Arm, F(r.LearningRate), r.BudgetIndex, F(r.Budget), r.Seed, r.DModel, r.Layers,
                r.Heads, r.NonEmbeddingParameters, r.Tokens, r.Steps, F(r.Spent), F(r.ReferenceSeconds), F(r.Flops), F(r.WallClockSeconds),
                F(r.FinalDevBpc), F(r.TestBpc), r.GrowthFraction is { } g ? F(g) : "", r.Build));
        File.WriteAllText(csv, sb.ToString());
        paths.Add(csv);
        string report = Path.Combine(directory, "report.md");
        var analysis = new FrontierAnalysis(plans, runs);
        File.WriteAllText(report, FrontierMarkdown.Render(analysis, commandLine, seconds));
        paths.Add(report);
        paths.AddRange(FrontierPlots.Write(directory, analysis));
        return paths;
    }

    private static string F(double v) => v.ToString("R", CultureInfo.InvariantCulture);
}
