namespace Bus.Cli.Reports;

/// <summary>The frontier study's report.md: plans, the frontier per scale, growth against the frontier, the fitted law and the
/// trend.</summary>
public static class FrontierMarkdown
{
    /// <summary>Renders the report of an analysis of the run files.</summary>
    public static string Render(FrontierAnalysis a, string commandLine, double seconds)
    {
        ArgumentNullException.ThrowIfNull(a);
        var (plans, runs) = (a.Plans, a.Runs);
        var sb = new StringBuilder();
        sb.AppendLine("# Compute-frontier study").AppendLine();
        sb.AppendLine($"Command: `{commandLine}` ({runs.Count} runs in the folder; this call {seconds / 60:F1} min). " +
                      $"Builds: {string.Join(", ", runs.Select(r => r.Build).Distinct().Select(b => $"`{b}`"))}.").AppendLine();
        sb.AppendLine("## Scales and budgets").AppendLine();
        sb.AppendLine(
            "| scale | family | d | layers | heads | N (non-emb.) | largest budget | budgets | tokens/param at largest | epochs at " +
            "largest | G_stack raw fraction -> used |");
        sb.AppendLine("|---|---|---|---|---|---|---|---|---|---|---|");
        foreach (var p in plans)
            sb.AppendLine($"| {p.Scale.Name} | {p.Scale.Architecture} | {p.Scale.DModel} | {p.Scale.Layers} | {p.Scale.Heads} | " +
                          $"{p.NonEmbeddingParameters:N0} | {p.MaxBudget:G4} | " +
                          $"{string.Join(", ", p.Budgets.Select(b => b.ToString("G3", CultureInfo.InvariantCulture)))} | " +
                          $"{p.TokensPerParameterAtMax:F1} | {p.EpochsAtMax:F2} | {p.GStackRaw:G3} -> {p.GStackFraction:G3} |");
        sb.AppendLine().AppendLine("## The frontier: every scratch size at its tuned learning rate (test bpc, mean ± sd over seeds)")
            .AppendLine();
        sb.AppendLine("| scale | size | lr | budget | seeds | test bpc | dev bpc | on the frontier |");
        sb.AppendLine("|---|---|---|---|---|---|---|---|");
        foreach (var p in a.Points.OrderBy(p => p.Scale).ThenBy(p => p.BudgetIndex).ThenBy(p => p.TestBpc.Mean))
        {
            bool best = a.Envelope.Any(e => e.Scale == p.Scale && e.BudgetIndex == p.BudgetIndex && e.Size == p.Size);
            sb.AppendLine($"| {p.Scale} | {p.Size} | {p.LearningRate:G3} | {p.Budget:G4} | {p.TestBpc.Count} | {p.TestBpc.Mean:F4} ± " +
                          $"{p.TestBpc.StandardDeviation:F4} | {p.DevBpc.Mean:F4} | {(best ? "yes" : "")} |");
        }
        sb.AppendLine();
        foreach (var p in plans.Where(p => a.Points.Any(q => q.Scale == p.Scale.Name && q.BudgetIndex == p.Budgets.Count - 1)))
            sb.AppendLine(
                $"- {p.Scale.Name}: the full model is {(a.FullIsOptimalAtMax(p.Scale.Name) ? "" : "**not** ")}the compute-optimal size " +
                $"at the largest budget.");
        sb.AppendLine().AppendLine("## Growth against the frontier at the largest budget").AppendLine();
        if (a.Growth.Count == 0) sb.AppendLine("No growth arm has finished yet.");
        else
        {
            sb.AppendLine("Delta = the arm's mean test bpc minus the frontier's (the best scratch size's) at the same reference time; " +
                          "negative is below the frontier. CIs: 95% seed bootstrap resampling the arm and every scratch size. p: Welch " +
                          "against the best size; Holm over all growth arms. Time: budget fraction at which the arm's mean dev curve " +
                          "reaches the frontier's final dev bpc (below 1 is a saving).").AppendLine();
            sb.AppendLine(
                "| scale | arm | grown at | seeds | test bpc | frontier size | Delta [95% CI] | p | p (Holm) | time to frontier [95% CI] " +
                "| reached |");
            sb.AppendLine("|---|---|---|---|---|---|---|---|---|---|---|");
            foreach (var g in a.Growth.OrderBy(g => g.Scale).ThenBy(g => g.Delta))
                sb.AppendLine($"| {g.Scale} | {g.Arm} | {g.GrowthFraction:G3} | {g.Seeds} | {g.TestBpc.Mean:F4} ± " +
                              $"{g.TestBpc.StandardDeviation:F4} | {g.FrontierSize} | {g.Delta:+0.0000;-0.0000} " +
                              $"[{g.DeltaCi.Low:+0.000;-0.000}, {g.DeltaCi.High:+0.000;-0.000}] | {Finite(g.PValue, "G2")} | " +
                              $"{Finite(g.PHolm, "G2")} | " +
                              $"{(double.IsFinite(g.TimeToFrontier)
                                  ? $"{g.TimeToFrontier.ToString("F2", CultureInfo.InvariantCulture)} " +
                                    $"[{Finite(g.TimeCi.Low, "F2")}, {Finite(g.TimeCi.High, "F2")}]"
                                  : "not reached")} | {g.ReachedShare:P0} |");
        }
        sb.AppendLine().AppendLine("## Fitted frontier L(N, D) = E + A/N^a + B/D^b (test bpc)").AppendLine();
        if (a.Fits.Count == 0) sb.AppendLine("Not enough scratch points yet (at least 5 per family).");
        foreach (var f in a.Fits)
            sb.AppendLine($"- {f.Family}: E = {f.All.E:F3}, A = {f.All.A:G3}, a = {f.All.Alpha:F2}, B = {f.All.B:G3}, b = " +
                          $"{f.All.Beta:F2}; RMSE {f.All.Rmse:F4} on {f.Points} points; fitted without {f.HeldOut} ({f.HeldOutPoints} " +
                          $"points), its RMSE there is {f.HeldOutRmse:F4}.");
        sb.AppendLine().AppendLine("## Saving against scale").AppendLine();
        if (a.Trend is not { } t) sb.AppendLine("Needs growth results at two GPT scales or more.");
        else
            sb.AppendLine($"Best arm's Delta per scale: " +
                          $"{string.Join("; ", t.Points.Select(p => $"{p.Scale} {p.Arm} {p.Delta:+0.000;-0.000}"))}. Linear in log10 N: " +
                          $"slope {t.Slope:+0.000;-0.000} per decade; at N = {t.PredictedAtN:G3} (10x the largest) it predicts " +
                          $"{t.Predicted:+0.000;-0.000} [95% prediction interval {t.PredictedLow:+0.000;-0.000}, " +
                          $"{t.PredictedHigh:+0.000;-0.000}]" +
                          (double.IsNaN(t.PredictedLow) || (t.PredictedLow < 0 && t.PredictedHigh > 0)
                              ? " — the trend is too weak to extrapolate." : "."));
        return sb.ToString();
    }

    /// <summary><paramref name="value"/> in <paramref name="format"/>, or "–" where it is not a number (one seed: no p-value).</summary>
    private static string Finite(double value, string format) =>
        double.IsFinite(value) ? value.ToString(format, CultureInfo.InvariantCulture) : "–";
}
