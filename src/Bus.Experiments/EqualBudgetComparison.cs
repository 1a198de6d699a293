namespace Bus.Experiments;

/// <summary>
/// NTNG's equal-budget comparison (Kaddour et al. 2023): every method trains, for every budget and seed, until
/// it has spent exactly the same budget (the run stops at the first step where spent &gt;= budget), with its
/// learning rate fully decayed at that budget; quality is the final dev metric, compared with the baseline by
/// mean ± std, 95% CI and Welch's t-test, plus time-to-target (when each run first reached the baseline's mean
/// final metric). With a reference-seconds budget, the cost model is calibrated once before any run.
/// </summary>
public static class EqualBudgetComparison
{
    /// <summary>Name of the baseline method the others are compared with.</summary>
    public const string Baseline = "baseline";

    /// <summary>Runs every method at every budget for every seed on <paramref name="text8"/> (the built-in Brown slice when
    /// null).</summary>
    /// <exception cref="ArgumentException">A method name is unknown.</exception>
    /// <exception cref="InvalidOperationException">A combination cannot run together (checked before any training).</exception>
    public static ComparisonResult Run(ComparisonOptions options, string? text8 = null, IProgress<ComparisonProgress>? progress = null,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(options);
        var methods = options.Methods.Select(MethodCatalog.Parse).ToList();
        var full = FullConfig(options);
        var objective = ExperimentTask.Objective(options.Task);
        var (train, dev) = ExperimentTask.Build(options.Task, text8 ?? BuiltInCorpus.BrownSlice(), options.SequenceLength,
            options.MaxWindows);
        using (train)
        using (dev)
        {
            var costModel = options.CostModel;
            var notes = new List<string>();
            var tables = new Dictionary<int, CostTable>();
            if (costModel is null && options.Unit == BudgetUnit.ReferenceSeconds)
            {
                progress?.Report(new ComparisonProgress(options.Budgets[0], "calibrating cost model", options.FirstSeed, 0, 1, null));
                var (calibrated, calibrationNotes) = ComparisonCalibration.Calibrate(full, options);
                costModel = calibrated;
                notes.AddRange(calibrationNotes);
            }
            if (costModel is WidthKeyedCostModel keyed)
                foreach (var (width, model) in keyed.ByWidth) tables[width] = model.Table;

            var runs = new List<ComparisonRun>();
            var budgets = options.Budgets.Distinct().Order().ToList();
            int count = budgets.Count * options.Seeds * methods.Count, index = 0;
            foreach (double budget in budgets)
                for (int s = 0; s < options.Seeds; s++)
                    foreach (var method in methods)
                    {
                        cancellationToken.ThrowIfCancellationRequested();
                        long seed = options.FirstSeed + s;
                        int i = index;
                        progress?.Report(new ComparisonProgress(budget, method.Name, seed, i, count, null));
                        var runProgress = progress is null ? null : new InlineProgress<TrainingProgress>(
                            p => progress.Report(new ComparisonProgress(budget, method.Name, seed, i, count, p)));
                        try
                        {
                            runs.Add(RunOne(method, options, full, train, dev, objective, budget, seed, costModel, runProgress,
                                cancellationToken));
                        }
                        catch (SetupExceedsBudgetException e)
                        {
                            notes.Add($"{method.Name} cannot run at budget {budget:G6} (seed {seed}): {e.Message}");
                        }
                        index++;
                    }
            var descriptions = methods.Select(m => new MethodDescription(m.Name, m.Describe(options))).ToList();
            return new ComparisonResult(options, objective.MetricName, objective.HigherIsBetter, descriptions, tables, notes, runs,
                Summarise(runs, budgets, methods.Select(m => m.Name).ToList(), objective.HigherIsBetter, options.Unit));
        }
    }

    /// <summary>The full model every method ends at: <see cref="FullModelOptions.Model"/> with the task's vocabulary, classes, mode
    /// and length.</summary>
    public static TransformerConfig FullConfig(ComparisonOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        return ExperimentTask.Shape(options.Task, options.SequenceLength, options.Model).Validate();
    }

    /// <summary>Runs <paramref name="method"/> once at <paramref name="budget"/> with <paramref name="seed"/>.</summary>
    public static ComparisonRun RunOne(MethodSpec method, ComparisonOptions options, TransformerConfig full, SequenceDataset train,
        SequenceDataset dev, SequenceObjective objective, double budget, long seed, IStepCostModel? costModel,
        IProgress<TrainingProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(method);
        using var builder = new MethodBuilder(options, full, train, dev, objective, budget, seed, costModel);
        method.Configure(builder);
        var tracker = new SpendTracker(options.Unit);
        var (trainer, model) = builder.Build([tracker]);
        var result = trainer.Fit(model, builder.Train, dev, objective, progress, cancellationToken);
        result.Model.Dispose();
        var meter = result.Meter;
        var setup = builder.Setup;
        return new ComparisonRun(method.Name, budget, seed, result.Final.DevMetric, result.Final.DevLoss, meter.Budget.Amount,
            meter.Spent(options.Unit) + builder.ChargedSetup, tracker.Previous, meter.Steps,
            meter.Flops + setup.Sum(c => c.Flops), meter.ReferenceSeconds + setup.Sum(c => c.ReferenceSeconds),
            meter.WallClockSeconds + setup.Sum(c => c.WallClockSeconds), setup.ToList(), result.History, result.Log);
    }

    /// <summary>
    /// Per (budget, method) statistics. The baseline's mean final metric at each budget is the target for
    /// time-to-target and the reference for Welch's test and the delta.
    /// </summary>
    public static IReadOnlyList<ComparisonCell> Summarise(IReadOnlyList<ComparisonRun> runs, IReadOnlyList<double> budgets,
        IReadOnlyList<string> methods, bool higherIsBetter, BudgetUnit unit)
    {
        ArgumentNullException.ThrowIfNull(runs);
        ArgumentNullException.ThrowIfNull(budgets);
        ArgumentNullException.ThrowIfNull(methods);
        var cells = new List<ComparisonCell>();
        foreach (double budget in budgets)
        {
            var baseline = runs.Where(r => r.Budget == budget && r.Method == Baseline).Select(r => r.FinalMetric).ToList();
            double target = ReferenceComparison.Target(baseline);
            foreach (var method in methods)
            {
                var mine = runs.Where(r => r.Budget == budget && r.Method == method).ToList();
                if (mine.Count == 0) continue;
                var metric = mine.Select(r => r.FinalMetric).ToList();
                var test = ReferenceComparison.Versus(metric, baseline, isReference: method == Baseline);
                var reached = mine.Select(r => TimeToTarget(r, target, higherIsBetter, unit)).Where(f => f is not null)
                    .Select(f => f!.Value).ToList();
                cells.Add(new ComparisonCell(budget, method, SampleSummary.OfMetric(metric, isAccuracy: higherIsBetter), test,
                    metric.Average() - target, mine.Average(r => (double)r.Steps), mine.Average(r => r.Flops),
                    mine.Average(r => r.ReferenceSeconds), mine.Average(r => r.WallClockSeconds),
                    reached.Count, reached.Count > 0 ? reached.Average() : double.NaN));
            }
        }
        return cells;
    }

    /// <summary>Budget fraction (charged setup included) at the first evaluation of <paramref name="run"/> reaching
    /// <paramref name="target"/>; null if none did.</summary>
    public static double? TimeToTarget(ComparisonRun run, double target, bool higherIsBetter, BudgetUnit unit)
    {
        ArgumentNullException.ThrowIfNull(run);
        double charged = run.Setup.Where(s => s.Charged).Sum(s => s.Spent);
        var hit = ReferenceComparison.FirstReaching(run.History, target, higherIsBetter);
        return hit is null ? null : (charged + SpentAt(hit, unit)) / run.Budget;
    }

    /// <summary>What a record had spent in <paramref name="unit"/> (tokens are not recorded, so samples stand in for them
    /// proportionally).</summary>
    public static double SpentAt(MetricsRecord record, BudgetUnit unit)
    {
        ArgumentNullException.ThrowIfNull(record);
        return unit switch
        {
            BudgetUnit.Steps => record.Step,
            BudgetUnit.Epochs => record.Epoch,
            BudgetUnit.Samples => record.Samples,
            BudgetUnit.WallClockSeconds => record.WallClockSeconds,
            BudgetUnit.Flops => record.Flops,
            BudgetUnit.ReferenceSeconds => record.ReferenceSeconds,
            _ => throw new ArgumentOutOfRangeException(nameof(unit), unit, $"Time-to-target is not defined for {unit}."),
        };
    }
}
