namespace Bus.Experiments.Study;

/// <summary>What a study run (or resume) produced so far.</summary>
/// <param name="Options">The study.</param>
/// <param name="MetricName">"bpc" for the char LM.</param>
/// <param name="HigherIsBetter">Direction of the metric.</param>
/// <param name="TunedLearningRate">Scratch's best peak LR (null until phase 1 is complete).</param>
/// <param name="BestOperator">The best growth-operator arm of phase 2 (null until phase 2 is complete).</param>
/// <param name="Runs">Every finished run (loaded or new), in run order.</param>
/// <param name="Executed">Runs trained by this call (the others were loaded from their files).</param>
/// <param name="Complete">True when no planned run is missing.</param>
/// <param name="Notes">Calibration notes and skipped phases.</param>
public sealed record StudyResult(StudyOptions Options, string MetricName, bool HigherIsBetter, double? TunedLearningRate,
    string? BestOperator, IReadOnlyList<StudyRun> Runs, int Executed, bool Complete, IReadOnlyList<string> Notes)
{
    /// <summary>The tuned scratch arm (the target and the reference of every test), or null before phase 1 completes.</summary>
    public string? TunedScratch => TunedLearningRate is { } lr ? StudyOptions.ScratchArm(lr) : null;

    /// <summary>Arms in run order.</summary>
    public IReadOnlyList<string> Arms => Runs.Select(r => r.Arm).Distinct().ToList();

    /// <summary>
    /// The runs as an equal-budget comparison, with the tuned scratch arm as its baseline (renamed
    /// <see cref="EqualBudgetComparison.Baseline"/>), so <see cref="EqualBudgetComparison.Summarise"/> gives the final-metric
    /// statistics, Welch's test against tuned scratch and time-to-target.
    /// </summary>
    public ComparisonResult AsComparison()
    {
        string Name(string arm) => arm == TunedScratch ? EqualBudgetComparison.Baseline : arm;
        var runs = Runs.Select(r => r.Run with { Method = Name(r.Arm) }).ToList();
        var methods = Arms.Select(Name).ToList();
        var options = Options.Comparison with { LearningRate = TunedLearningRate ?? Options.Comparison.LearningRate, Methods = methods };
        var descriptions = Arms.Select(a => new MethodDescription(Name(a), (a == TunedScratch ? $"tuned scratch ({a}): " : "") +
            $"{StudyArms.Parse(a).Describe(options with { LearningRate = Runs.First(r => r.Arm == a).LearningRate })}")).ToList();
        return new ComparisonResult(options, MetricName, HigherIsBetter, descriptions, new Dictionary<int,
            Bus.Core.Training.CostModel.CostTable>(),
            Notes, runs, EqualBudgetComparison.Summarise(runs, [Options.Budget], methods, HigherIsBetter, Options.Comparison.Unit));
    }

    /// <summary>Per arm: reference time to reach tuned scratch's mean final metric (charged setup included), as a budget fraction, and its
    /// ratio to scratch's.</summary>
    public IReadOnlyList<TimeToTargetRow> TimeToTarget()
    {
        if (TunedScratch is null) return [];
        double target = Runs.Where(r => r.Arm == TunedScratch).Average(r => r.Run.FinalMetric);
        var unit = Options.Comparison.Unit;
        List<double> Fractions(string arm) => Runs.Where(r => r.Arm == arm)
            .Select(r => EqualBudgetComparison.TimeToTarget(r.Run, target, HigherIsBetter, unit)).Where(f => f is not null)
                .Select(f => f!.Value).ToList();
        var scratch = Fractions(TunedScratch);
        double scratchMean = scratch.Count > 0 ? scratch.Average() : double.NaN;
        return Arms.Select(arm =>
        {
            var f = Fractions(arm);
            var summary = f.Count > 0 ? SampleSummary.Of(f) : null;
            return new TimeToTargetRow(Label(arm), target, Runs.Count(r => r.Arm == arm), f.Count, summary,
                summary is null ? double.NaN : summary.Mean / scratchMean, summary is null ? double.NaN : summary.Ci95Low / scratchMean,
                    summary is null ? double.NaN : summary.Ci95High / scratchMean);
        }).ToList();
    }

    /// <summary>
    /// The compute frontier: per arm, dev metric against spent budget (charged setup included) on <paramref name="points"/>
    /// equally spaced budget fractions; at each point every seed contributes its latest evaluation at or before it
    /// (a point is left out until every seed has one), summarised as mean and 95% CI.
    /// </summary>
    public IReadOnlyList<FrontierCurve> Frontier(int points = 40)
    {
        if (points < 2) throw new ArgumentOutOfRangeException(nameof(points), points, "A curve needs at least 2 points.");
        var unit = Options.Comparison.Unit;
        return Arms.Select(arm =>
        {
            var curves = Runs.Where(r => r.Arm == arm).Select(r =>
            {
                double charged = r.Run.Setup.Where(s => s.Charged).Sum(s => s.Spent);
                return r.Run.History.Select(h => (X: charged + EqualBudgetComparison.SpentAt(h, unit), Y: h.DevMetric)).OrderBy(p => p.X)
                    .ToList();
            }).ToList();
            var list = new List<FrontierPoint>();
            for (int k = 1; k <= points; k++)
            {
                double x = Options.Budget * k / points * (1 + 1e-9);
                var ys = curves.Select(c => c.LastOrDefault(p => p.X <= x)).Where(p => p != default).Select(p => p.Y).ToList();
                if (ys.Count == curves.Count && ys.Count > 0)
                    list.Add(new FrontierPoint(Options.Budget * k / points, SampleSummary.Of(ys)));
            }
            return new FrontierCurve(Label(arm), list);
        }).ToList();
    }

    /// <summary>The name an arm has in tables: the tuned scratch arm gains " (tuned)".</summary>
    public string Label(string arm) => arm == TunedScratch ? arm + " (tuned)" : arm;
}

/// <summary>One arm's time to tuned scratch's final metric.</summary>
/// <param name="Arm">Arm label.</param>
/// <param name="Target">Tuned scratch's mean final metric.</param>
/// <param name="Runs">Runs of the arm.</param>
/// <param name="Reached">Runs that reached the target.</param>
/// <param name="Fraction">Budget fraction at the first evaluation reaching it, over the runs that did (null if none).</param>
/// <param name="VersusScratch">Mean fraction / tuned scratch's mean fraction.</param>
/// <param name="VersusScratchLow">Lower 95% CI bound of the fraction / scratch's mean.</param>
/// <param name="VersusScratchHigh">Upper 95% CI bound of the fraction / scratch's mean.</param>
public sealed record TimeToTargetRow(string Arm, double Target, int Runs, int Reached, SampleSummary? Fraction, double VersusScratch,
    double VersusScratchLow, double VersusScratchHigh);

/// <summary>One arm's dev metric against spent budget.</summary>
/// <param name="Arm">Arm label.</param>
/// <param name="Points">Points in budget order.</param>
public sealed record FrontierCurve(string Arm, IReadOnlyList<FrontierPoint> Points);

/// <summary>Dev metric over seeds at one amount of spent budget.</summary>
/// <param name="Spent">Budget spent, in the study's unit.</param>
/// <param name="Metric">Mean, std and 95% CI over seeds.</param>
public sealed record FrontierPoint(double Spent, SampleSummary Metric);
