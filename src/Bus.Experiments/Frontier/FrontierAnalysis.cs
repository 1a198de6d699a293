namespace Bus.Experiments.Frontier;

/// <summary>
/// The frontier study's answer, computed from its run files only: every scratch size's test bpc per budget, their lower
/// envelope (the compute frontier), each growth arm against the frontier at the largest budget (difference with a seed
/// bootstrap that also resamples the frontier, Welch p-values Holm-corrected over every growth arm of the study, and the
/// budget fraction at which the arm's mean dev curve reaches the frontier's final dev bpc), a fitted L(N, D) per family
/// and the saving's trend over scale.
/// </summary>
public sealed class FrontierAnalysis
{
    /// <summary>Bootstrap resamples.</summary>
    public const int BootstrapSamples = 2000;

    /// <summary>Analyses <paramref name="runs"/> of the scales in <paramref name="plans"/>.</summary>
    public FrontierAnalysis(IReadOnlyList<FrontierScalePlan> plans, IReadOnlyList<FrontierRun> runs)
    {
        ArgumentNullException.ThrowIfNull(plans);
        ArgumentNullException.ThrowIfNull(runs);
        Plans = plans;
        Runs = runs;
        Points = plans.SelectMany(ScratchPoints).ToList();
        Envelope = Points.GroupBy(p => (p.Scale, p.BudgetIndex)).Select(g => g.MinBy(p => p.TestBpc.Mean)!)
            .Select(p => new EnvelopePoint(p.Scale, p.BudgetIndex, p.Budget, p.Size, p.TestBpc.Mean)).ToList();
        var growth = plans.SelectMany(GrowthRows).ToList();
        var adjusted = Holm.Adjust(growth.Select(g => g.PValue).ToList());
        Growth = growth.Select((g, i) => g with { PHolm = adjusted[i] }).ToList();
        Fits = plans.GroupBy(p => p.Scale.Architecture).Select(g => FitFamily(g.ToList())).Where(f => f is not null).Select(f => f!)
            .ToList();
        Trend = SavingTrend();
    }

    /// <summary>The scale plans.</summary>
    public IReadOnlyList<FrontierScalePlan> Plans { get; }

    /// <summary>Every run.</summary>
    public IReadOnlyList<FrontierRun> Runs { get; }

    /// <summary>Every scratch size at every budget at its tuned rate.</summary>
    public IReadOnlyList<ScratchPoint> Points { get; }

    /// <summary>The frontier: per scale and budget, the size with the lowest mean test bpc.</summary>
    public IReadOnlyList<EnvelopePoint> Envelope { get; }

    /// <summary>Every growth arm against the frontier at the largest budget.</summary>
    public IReadOnlyList<GrowthRow> Growth { get; }

    /// <summary>The fitted L(N, D) per family.</summary>
    public IReadOnlyList<FamilyFit> Fits { get; }

    /// <summary>The best growth arm's test-bpc difference against the frontier, fitted against log10 N over the growth scales (null with
    /// fewer than 2).</summary>
    public SavingTrendFit? Trend { get; }

    /// <summary>True when the full model has the lowest mean test bpc of the scratch sizes at the scale's largest budget.</summary>
    public bool FullIsOptimalAtMax(string scale)
    {
        int max = Plans.Single(p => p.Scale.Name == scale).Budgets.Count - 1;
        return Envelope.FirstOrDefault(e => e.Scale == scale && e.BudgetIndex == max)?.Size == FrontierSizes.Full;
    }

    /// <summary>The tuned rate of a scratch arm at a scale: the rate with the most runs at the largest budget (ties: lowest mean dev
    /// bpc).</summary>
    public double? TunedRate(string scale, string arm, int maxIndex)
    {
        var atMax = Runs.Where(r => r.Scale == scale && r.Arm == arm && r.BudgetIndex == maxIndex).GroupBy(r => r.LearningRate).ToList();
        return atMax.Count == 0 ? null : atMax.OrderByDescending(g => g.Count()).ThenBy(g => g.Average(r => r.FinalDevBpc)).First().Key;
    }

    private IEnumerable<ScratchPoint> ScratchPoints(FrontierScalePlan plan)
    {
        int max = plan.Budgets.Count - 1;
        foreach (var (size, _, _, _) in FrontierSizes.Of(plan.Scale))
        {
            string arm = FrontierArms.Scratch(size);
            if (TunedRate(plan.Scale.Name, arm, max) is not { } lr) continue;
            for (int k = 0; k < plan.Budgets.Count; k++)
            {
                var runs = Runs.Where(r => r.Scale == plan.Scale.Name && r.Arm == arm && r.LearningRate == lr && r.BudgetIndex == k)
                    .ToList();
                if (runs.Count == 0) continue;
                yield return new ScratchPoint(plan.Scale.Name, size, k, plan.Budgets[k], lr, runs[0].NonEmbeddingParameters,
                    runs.Average(r => (double)r.Tokens), SampleSummary.Of(runs.Select(r => r.TestBpc)),
                    SampleSummary.Of(runs.Select(r => r.FinalDevBpc)), runs);
            }
        }
    }

    private IEnumerable<GrowthRow> GrowthRows(FrontierScalePlan plan)
    {
        int max = plan.Budgets.Count - 1;
        string scale = plan.Scale.Name;
        var frontier = Points.Where(p => p.Scale == scale && p.BudgetIndex == max).ToList();
        if (frontier.Count == 0) yield break;
        var best = frontier.MinBy(p => p.TestBpc.Mean)!;
        foreach (var arm in Runs.Where(r => r.Scale == scale && !FrontierArms.IsScratch(r.Arm) && r.BudgetIndex == max).Select(r => r.Arm)
            .Distinct().Order(StringComparer.Ordinal))
        {
            var runs = Runs.Where(r => r.Scale == scale && r.Arm == arm && r.BudgetIndex == max).ToList();
            // Groups: the arm's runs, then every frontier size's runs at the largest budget (the target is their envelope).
            var groups = new List<IReadOnlyList<FrontierRun>> { runs };
            groups.AddRange(frontier.Select(p => p.Runs));
            double Delta(IReadOnlyList<IReadOnlyList<FrontierRun>> g) => g[0].Average(r => r.TestBpc)
                - g.Skip(1).Min(s => s.Average(r => r.TestBpc));
            double Time(IReadOnlyList<IReadOnlyList<FrontierRun>> g) =>
                CurveCrossing.FirstAtOrBelow(MeanCurve(g[0], plan.MaxBudget), g.Skip(1).Min(s => s.Average(r => r.FinalDevBpc))) is { } t
                    ? t / plan.MaxBudget : double.NaN;
            var deltas = Bootstrap.Replicates(groups, Delta, BootstrapSamples);
            var times = Bootstrap.Replicates(groups, Time, BootstrapSamples);
            var test = runs.Count >= 2 && best.Runs.Count >= 2
                ? WelchTTest.Compare(runs.Select(r => r.TestBpc).ToList(), best.Runs.Select(r => r.TestBpc).ToList()) : null;
            yield return new GrowthRow(scale, arm, runs.Count, runs.Average(r => r.GrowthFraction ?? double.NaN),
                SampleSummary.Of(runs.Select(r => r.TestBpc)), best.Size, Delta(groups), Bootstrap.Interval(deltas),
                test?.PValue ?? double.NaN, double.NaN, Time(groups), Bootstrap.Interval(times),
                times.Count(double.IsFinite) / (double)times.Length);
        }
    }

    /// <summary>The mean over runs of their dev curves, on a grid of 2% of the budget (each curve interpolated linearly).</summary>
    public static IReadOnlyList<(double X, double Y)> MeanCurve(IReadOnlyList<FrontierRun> runs, double budget, int points = 50)
    {
        ArgumentNullException.ThrowIfNull(runs);
        var curves = runs.Select(r => r.Curve.Select(c => (c.Spent, c.DevBpc)).OrderBy(c => c.Spent).ToList()).ToList();
        return Enumerable.Range(1, points).Select(k => budget * k / points)
            .Select(x => (x, curves.Average(c => CurveCrossing.At(c, x)))).ToList();
    }

    private FamilyFit? FitFamily(IReadOnlyList<FrontierScalePlan> plans)
    {
        var names = plans.Select(p => p.Scale.Name).ToHashSet();
        var points = Points.Where(p => names.Contains(p.Scale))
            .Select(p => (N: (double)p.NonEmbeddingParameters, D: p.Tokens, L: p.TestBpc.Mean, p.Scale)).ToList();
        if (points.Count < 5) return null;
        // Held out: the largest scale with points when several scales have some (extrapolation in N), else each size's
        // largest budget (in D). A study in progress (or stopped) may have scales without any point yet.
        var measured = plans.Where(p => points.Any(q => q.Scale == p.Scale.Name)).ToList();
        string largest = measured.MaxBy(p => p.NonEmbeddingParameters)!.Scale.Name;
        int maxIndex = measured.Max(p => p.Budgets.Count) - 1;
        var held = measured.Count > 1
            ? points.Where(p => p.Scale == largest).ToList()
            : Points.Where(p => names.Contains(p.Scale) && p.BudgetIndex == maxIndex)
                .Select(p => (N: (double)p.NonEmbeddingParameters, D: p.Tokens, L: p.TestBpc.Mean, p.Scale)).ToList();
        var fitOn = points.Except(held).Select(p => (p.N, p.D, p.L)).ToList();
        var all = ScalingLawFit.Fit(points.Select(p => (p.N, p.D, p.L)).ToList());
        var partial = ScalingLawFit.Fit(fitOn);
        return all is null ? null : new FamilyFit(plans[0].Scale.Architecture.ToString(), points.Count, all, partial,
            measured.Count > 1 ? $"every point of {largest}" : "each size's largest budget", held.Count,
            partial?.RmseOn(held.Select(p => (p.N, p.D, p.L)).ToList()) ?? double.NaN);
    }

    private SavingTrendFit? SavingTrend()
    {
        var rows = Growth.Where(g => Plans.Single(p => p.Scale.Name == g.Scale).Scale.Architecture == Bus.Core.Model.ModelArchitecture.Gpt)
            .GroupBy(g => g.Scale).Select(g => g.MinBy(r => r.Delta)!).ToList();
        if (rows.Count < 2) return null;
        var x = rows.Select(r => Math.Log10(Plans.Single(p => p.Scale.Name == r.Scale).NonEmbeddingParameters)).ToArray();
        var y = rows.Select(r => r.Delta).ToArray();
        double mx = x.Average(), my = y.Average(), sxx = x.Sum(v => (v - mx) * (v - mx));
        double slope = sxx > 0 ? x.Zip(y).Sum(p => (p.First - mx) * (p.Second - my)) / sxx : double.NaN;
        double intercept = my - slope * mx;
        double at = x.Max() + 1;
        double predicted = intercept + slope * at;
        double half = double.NaN;
        if (rows.Count > 2)
        {
            double s2 = x.Zip(y).Sum(p => Math.Pow(p.Second - intercept - slope * p.First, 2)) / (rows.Count - 2);
            half = StudentT.Quantile(0.975, rows.Count - 2) * Math.Sqrt(s2 * (1 + 1.0 / rows.Count + (at - mx) * (at - mx) / sxx));
        }
        return new SavingTrendFit(rows.Select(r => (r.Scale, r.Arm, r.Delta)).ToList(), slope, intercept, Math.Pow(10, at), predicted,
            predicted - half, predicted + half);
    }
}

/// <summary>One scratch size at one budget, at its tuned rate.</summary>
public sealed record ScratchPoint(string Scale, string Size, int BudgetIndex, double Budget, double LearningRate,
    long NonEmbeddingParameters, double Tokens, SampleSummary TestBpc, SampleSummary DevBpc, IReadOnlyList<FrontierRun> Runs);

/// <summary>The frontier at one budget: the size with the lowest mean test bpc.</summary>
public sealed record EnvelopePoint(string Scale, int BudgetIndex, double Budget, string Size, double TestBpc);

/// <summary>
/// A growth arm against the frontier at the largest budget: Delta = its mean test bpc - the envelope's (negative: below the
/// frontier), with a 95% seed-bootstrap interval; Welch's p against the best size and its Holm correction; the budget fraction at
/// which its mean dev curve reaches the frontier's final dev bpc (below 1: a saving) with its bootstrap interval and the share of
/// bootstrap samples in which it got there at all.
/// </summary>
public sealed record GrowthRow(string Scale, string Arm, int Seeds, double GrowthFraction, SampleSummary TestBpc, string FrontierSize,
    double Delta, (double Low, double High) DeltaCi, double PValue, double PHolm, double TimeToFrontier, (double Low, double High) TimeCi,
    double ReachedShare);

/// <summary>A fitted L(N, D) for one family: on every point, and on all but the held-out ones with its error there.</summary>
public sealed record FamilyFit(string Family, int Points, ScalingLawFit All, ScalingLawFit? WithoutHeldOut, string HeldOut,
    int HeldOutPoints, double HeldOutRmse);

/// <summary>The best growth arm's Delta per scale fitted against log10 N, and its prediction at 10x the largest N with a 95% prediction
/// interval (NaN with 2 scales).</summary>
public sealed record SavingTrendFit(IReadOnlyList<(string Scale, string Arm, double Delta)> Points, double Slope, double Intercept,
    double PredictedAtN, double Predicted, double PredictedLow, double PredictedHigh);
