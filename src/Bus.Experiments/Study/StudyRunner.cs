using Bus.Growth.KnowledgeInheritance;

namespace Bus.Experiments.Study;

/// <summary>
/// Runs the growth study (<see cref="StudyOptions"/>) into a folder, resumably: each finished run is written at once,
/// atomically, to runs/&lt;arm&gt;__seed&lt;n&gt;.json; the calibrated cost tables to cost-d&lt;width&gt;.json; the options
/// to study.json. Re-running the same study on the same folder loads what exists and runs only what is missing;
/// a folder holding a different study is refused. Several processes may run the same study on the same folder side by
/// side: each claims a run before training it (<see cref="RunClaim"/>) and waits for the others' runs at a phase boundary.
/// </summary>
public static class StudyRunner
{
    /// <summary>
    /// Runs (or resumes) the study on <paramref name="text"/> in <paramref name="directory"/>. Stops early, with the
    /// result so far, after <paramref name="maxNewRuns"/> new runs (null: no limit) or on cancellation after the current run.
    /// </summary>
    /// <exception cref="ArgumentException">The folder holds a different study's options.</exception>
    public static StudyResult Run(StudyOptions options, string text, string directory, IProgress<ComparisonProgress>? progress = null,
        int? maxNewRuns = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(text);
        ArgumentException.ThrowIfNullOrWhiteSpace(directory);
        if (maxNewRuns is < 0) throw new ArgumentOutOfRangeException(nameof(maxNewRuns), maxNewRuns, "maxNewRuns must be non-negative.");
        Directory.CreateDirectory(Path.Combine(directory, "runs"));
        CheckOptions(directory, options);
        var c = options.Comparison;
        var full = FullConfig(options);
        var objective = ExperimentTask.Objective(c.Task);
        var (train, dev) = ExperimentTask.Build(c.Task, text, c.SequenceLength, c.MaxWindows);
        using (train)
        using (dev)
        {
            var runs = new List<StudyRun>();
            var notes = new List<string>();
            IStepCostModel? costModel = c.CostModel;
            int executed = 0, total = (options.ScratchLearningRates.Count + options.Arms.Count + options.BestArms.Count) * c.Seeds;
            bool missing = false;

            // Loads or trains every seed of a phase's arms; runs another worker holds are waited for at the end of the
            // phase (the next phase needs them), and a run whose worker stopped is taken over.
            void Ensure(IEnumerable<(string Arm, double Lr)> phase)
            {
                var held = new List<(string Arm, double Lr, long Seed)>();
                foreach (var (arm, lr) in phase)
                    for (int s = 0; s < c.Seeds; s++)
                        if (!TryLoadOrRun(arm, lr, c.FirstSeed + s)) held.Add((arm, lr, c.FirstSeed + s));
                while (held.Count > 0 && !missing)
                {
                    if (cancellationToken.WaitHandle.WaitOne(TimeSpan.FromSeconds(ClaimPollSeconds))) { missing = true; break; }
                    held.RemoveAll(h => TryLoadOrRun(h.Arm, h.Lr, h.Seed));
                }
            }

            // Loads or trains one run; false when another live worker holds its claim.
            bool TryLoadOrRun(string arm, double lr, long seed)
            {
                string path = RunPath(directory, arm, seed);
                if (File.Exists(path)) { runs.Add(Load(path)); return true; }
                if ((maxNewRuns is { } max && executed >= max)
                    || cancellationToken.IsCancellationRequested) { missing = true; return true; }
                using var claim = RunClaim.TryTake(path);
                if (claim is null) return false;
                if (File.Exists(path)) { runs.Add(Load(path)); return true; }
                costModel ??= LoadOrCalibrate(directory, full, c, notes, progress);
                int index = runs.Count;
                progress?.Report(new ComparisonProgress(c.Budgets[0], arm, seed, index, total, null));
                var runProgress = progress is null ? null : new InlineProgress<TrainingProgress>(
                    p => progress.Report(new ComparisonProgress(c.Budgets[0], arm, seed, index, total, p)));
                var run = new StudyRun(arm, lr, RunOne(StudyArms.Parse(arm), c with { LearningRate = lr }, full, train, dev, objective,
                    seed, costModel, runProgress, cancellationToken));
                WriteAtomically(path, JsonSerializer.Serialize(run, ResultJson.Options));
                runs.Add(run);
                executed++;
                return true;
            }

            // Phase 1: scratch at each peak LR; the best mean final metric picks the tuned LR (and the target).
            Ensure(options.ScratchLearningRates.Select(lr => (StudyOptions.ScratchArm(lr), lr)));
            if (missing)
                return new StudyResult(options, objective.MetricName, objective.HigherIsBetter, null, null, runs, executed, false, notes);
            double tuned = Best(options.ScratchLearningRates, lr => StudyOptions.ScratchArm(lr), runs, objective.HigherIsBetter);
            // Phase 2: every arm at the tuned LR.
            Ensure(options.Arms.Select(arm => (arm, tuned)));
            if (missing)
                return new StudyResult(options, objective.MetricName, objective.HigherIsBetter, tuned, null, runs, executed, false, notes);
            // Phase 3: variants of the best growth operator (optimizer-state mapping, growth timing).
            var operators = options.Arms.Where(StudyArms.IsOperator).ToList();
            string? best = operators.Count > 0 ? Best(operators, a => a, runs, objective.HigherIsBetter) : null;
            if (best is null && options.BestArms.Count > 0)
                notes.Add("No growth-operator arm in phase 2, so the best-operator arms were skipped.");
            if (best is not null)
                Ensure(options.BestArms.Select(arm => (best + arm[4..], tuned)));
            return new StudyResult(options, objective.MetricName, objective.HigherIsBetter, tuned, best, runs, executed, !missing, notes);
        }
    }

    /// <summary>Seconds between checks for a run another worker holds.</summary>
    public static double ClaimPollSeconds { get; set; } = 10;

    private static StudyRun Load(string path) => JsonSerializer.Deserialize<StudyRun>(File.ReadAllText(path), ResultJson.Options)!;

    /// <summary>The full model every arm ends at: the comparison's model, family included.</summary>
    public static TransformerConfig FullConfig(StudyOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        return EqualBudgetComparison.FullConfig(options.Comparison);
    }

    /// <summary>File of one run: runs/&lt;arm&gt;__seed&lt;seed&gt;.json (characters outside [A-Za-z0-9.@_-] become '_').</summary>
    public static string RunPath(string directory, string arm, long seed)
    {
        ArgumentNullException.ThrowIfNull(arm);
        var safe = new string(arm.Select(ch => char.IsAsciiLetterOrDigit(ch) || ch is '.' or '@' or '_' or '-' ? ch : '_').ToArray());
        return Path.Combine(directory, "runs", $"{safe}__seed{seed}.json");
    }

    /// <summary>Runs one arm once: like <see cref="EqualBudgetComparison.RunOne"/>, plus knowledge inheritance's data and objective
    /// wrapping.</summary>
    public static ComparisonRun RunOne(MethodSpec method, ComparisonOptions options, TransformerConfig full, SequenceDataset train,
        SequenceDataset dev, SequenceObjective objective, long seed, IStepCostModel? costModel, IProgress<TrainingProgress>? progress =
        null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(method);
        ArgumentNullException.ThrowIfNull(options);
        using var builder = new MethodBuilder(options, full, train, dev, objective, options.Budgets[0], seed, costModel);
        method.Configure(builder);
        var tracker = new SpendTracker(options.Unit);
        var (trainer, model) = builder.Build([tracker]);
        using var ki = builder.Algorithms.OfType<KnowledgeInheritance>().SingleOrDefault();
        var result = ki is null
            ? trainer.Fit(model, builder.Train, dev, objective, progress, cancellationToken)
            : trainer.Fit(model, ki.WrapData(builder.Train), dev, ki.WrapObjective(objective), progress, cancellationToken);
        result.Module.Dispose();
        var meter = result.Meter;
        var setup = builder.Setup;
        var log = ki is null ? result.Log : result.Log.Append($"knowledge inheritance: {ki.TeacherForwards} teacher forwards charged")
            .ToList();
        return new ComparisonRun(method.Name, options.Budgets[0], seed, result.Final.DevMetric, result.Final.DevLoss, meter.Budget.Amount,
            meter.Spent(options.Unit) + builder.ChargedSetup, tracker.Previous, meter.Steps,
            meter.Flops + setup.Sum(s => s.Flops), meter.ReferenceSeconds + setup.Sum(s => s.ReferenceSeconds),
            meter.WallClockSeconds + setup.Sum(s => s.WallClockSeconds), setup.ToList(), result.History, log);
    }

    private static T Best<T>(IEnumerable<T> candidates, Func<T, string> arm, IReadOnlyList<StudyRun> runs, bool higherIsBetter)
    {
        var scored = candidates.Select(x => (x, mean: runs.Where(r => r.Arm == arm(x)).Average(r => r.Run.FinalMetric))).ToList();
        return (higherIsBetter ? scored.MaxBy(p => p.mean) : scored.MinBy(p => p.mean)).x;
    }

    private static void CheckOptions(string directory, StudyOptions options)
    {
        string path = Path.Combine(directory, "study.json");
        string json = JsonSerializer.Serialize(options, ResultJson.Options);
        if (!File.Exists(path)) { WriteAtomically(path, json); return; }
        // compared as this build writes them, so a folder written before an option moved (e.g. the flat shape keys) resumes
        string existing = JsonSerializer.Serialize(JsonSerializer.Deserialize<StudyOptions>(File.ReadAllText(path), ResultJson.Options),
            ResultJson.Options);
        if (existing != json)
            throw new ArgumentException(
                $"Folder '{directory}' holds a different study (its study.json differs from these options); use another folder or the " +
                $"same options to resume.", nameof(directory));
    }

    private static IStepCostModel? LoadOrCalibrate(string directory, TransformerConfig full, ComparisonOptions c, List<string> notes,
        IProgress<ComparisonProgress>? progress)
    {
        if (c.Unit != BudgetUnit.ReferenceSeconds) return null;
        // One worker calibrates; another waits for its tables rather than writing its own.
        string marker = Path.Combine(directory, "cost-tables");
        using var claim = RunClaim.Wait(marker, ClaimPollSeconds);
        var files = Directory.GetFiles(directory, "cost-d*.json");
        if (files.Length > 0)
            return new AdamAsAdamWCostModel(new WidthKeyedCostModel(files.ToDictionary(
                f => int.Parse(Path.GetFileNameWithoutExtension(f)["cost-d".Length..], System.Globalization.CultureInfo.InvariantCulture),
                f => new CalibratedCostModel(CostTable.Load(f)))));
        progress?.Report(new ComparisonProgress(c.Budgets[0], "calibrating cost model", c.FirstSeed, 0, 1, null));
        var (model, calibrationNotes) = ComparisonCalibration.Calibrate(full, c);
        notes.AddRange(calibrationNotes);
        foreach (var (width, table) in model.ByWidth) WriteAtomically(Path.Combine(directory, $"cost-d{width}.json"), table.Table.ToJson());
        if (calibrationNotes.Count > 0)
            WriteAtomically(Path.Combine(directory, "calibration-notes.txt"), string.Join(Environment.NewLine, calibrationNotes));
        return new AdamAsAdamWCostModel(model);
    }

    /// <summary>Writes <paramref name="path"/> through a temporary file and a rename, so a killed run never leaves half a file.</summary>
    public static void WriteAtomically(string path, string contents)
    {
        string temporary = path + ".tmp";
        File.WriteAllText(temporary, contents);
        File.Move(temporary, path, overwrite: true);
    }
}
