using System.Reflection;

namespace Bus.Experiments.Frontier;

/// <summary>
/// Runs the compute-frontier study (<see cref="FrontierOptions"/>) into a folder, resumably and from one build. Per scale:
/// (1) every scratch size over the learning-rate grid at the largest budget, the grid extended until the best is interior;
/// (2) every size at its tuned rate at every budget (final seeds at the largest, frontier seeds below);
/// (3) every growth operator from its small model at G_stack's time and at <see cref="FrontierOptions.OtherGrowthFraction"/>;
/// (4) the best growth arm with each post-growth schedule. Each finished run is written at once, atomically, to
/// runs/&lt;scale&gt;/&lt;arm&gt;__lr&lt;lr&gt;__b&lt;k&gt;__seed&lt;s&gt;.json; several processes may share a folder (run claims).
/// The folder records the build (its informational version, with the commit); a resume from another build is refused.
/// </summary>
public static class FrontierRunner
{
    /// <summary>Informational version of this build (with the commit hash SourceLink adds).</summary>
    public static string Build =>
        typeof(FrontierRunner).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion ?? "unknown";

    /// <summary>Runs or resumes the study on <paramref name="text"/> (text8-normalised) in <paramref name="directory"/>.</summary>
    /// <exception cref="ArgumentException">The folder holds another study's options, or runs of another build (unless
    /// <paramref name="allowOtherBuild"/>).</exception>
    public static FrontierResult Run(FrontierOptions options, string text, string directory, IProgress<FrontierProgress>? progress = null,
        int? maxNewRuns = null, bool allowOtherBuild = false, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(text);
        ArgumentException.ThrowIfNullOrWhiteSpace(directory);
        if (maxNewRuns is < 0) throw new ArgumentOutOfRangeException(nameof(maxNewRuns), maxNewRuns, "maxNewRuns must be non-negative.");
        Directory.CreateDirectory(Path.Combine(directory, "runs"));
        CheckFile(directory, "study.json", JsonSerializer.Serialize(options, ResultJson.Options), "options");
        string build = Build;
        var (train, dev, test) = CharLmTaskData.BuildSplits(text, options.ContextLength, options.DevFraction, options.TestFraction);
        using (train)
        using (dev)
        using (test)
        {
            var state = new RunState(options, directory, build, train, dev, test, progress, maxNewRuns, cancellationToken)
            {
                CheckBuild = () => { if (!allowOtherBuild) CheckFile(directory, "build.txt", build, "build"); },
            };
            // Every scale is sized (and calibrated) before any training, by one worker at a time, so no calibration
            // runs beside another worker's training.
            using (var claim = RunClaim.Wait(Path.Combine(directory, "calibration"), StudyRunner.ClaimPollSeconds, cancellationToken))
                state.PlanAll();
            foreach (var scale in options.Scales)
            {
                if (!state.RunScale(scale)) break;
            }
            return new FrontierResult(options, state.Plans, state.Tuned, state.Best, state.Runs, state.Executed, !state.Missing,
                state.Notes, build);
        }
    }

    /// <summary>File of one run.</summary>
    public static string RunPath(string directory, string scale, string arm, double learningRate, int budgetIndex, long seed)
    {
        var safe =
            new string(arm.Select(ch => char.IsAsciiLetterOrDigit(ch) || ch is '.' or '@' or '_' or '-' or '+' ? ch : '_').ToArray());
        string lr = learningRate.ToString("G4", System.Globalization.CultureInfo.InvariantCulture);
        return Path.Combine(directory, "runs", scale, $"{safe}__lr{lr}__b{budgetIndex}__seed{seed}.json");
    }

    /// <summary>Loads every run file under <paramref name="directory"/>/runs (for reports).</summary>
    public static IReadOnlyList<FrontierRun> LoadRuns(string directory) =>
        Directory.Exists(Path.Combine(directory, "runs"))
            ? Directory.GetFiles(Path.Combine(directory, "runs"), "*.json", SearchOption.AllDirectories).Order(StringComparer.Ordinal)
                .Select(Load).ToList()
            : [];

    /// <summary>Loads every scale plan under <paramref name="directory"/>.</summary>
    public static IReadOnlyList<FrontierScalePlan> LoadPlans(string directory) =>
        Directory.GetFiles(directory, "scale-*.json").Order(StringComparer.Ordinal)
            .Select(f => JsonSerializer.Deserialize<FrontierScalePlan>(File.ReadAllText(f), ResultJson.Options)!).ToList();

    internal static FrontierRun Load(string path) => JsonSerializer.Deserialize<FrontierRun>(File.ReadAllText(path), ResultJson.Options)!;

    private static void CheckFile(string directory, string name, string contents, string what)
    {
        string path = Path.Combine(directory, name);
        if (!File.Exists(path)) { StudyRunner.WriteAtomically(path, contents); return; }
        string stored = File.ReadAllText(path);
        if (stored != contents)
            throw new ArgumentException($"Folder '{directory}' holds a study of another {what} ({name}: '{Short(stored)}', this: " +
                                        $"'{Short(contents)}'); " +
                "use another folder, or resume with the same options from the same build.", nameof(directory));
    }

    private static string Short(string s) => s.Length <= 80 ? s : s[..80] + "...";

    /// <summary>The mutable state of one call: loaded and new runs, and the phase logic per scale.</summary>
    private sealed class RunState(FrontierOptions options, string directory, string build, SequenceDataset train, SequenceDataset dev,
        SequenceDataset test, IProgress<FrontierProgress>? progress, int? maxNewRuns, CancellationToken cancellationToken)
    {
        public List<FrontierRun> Runs { get; } = [];
        public List<FrontierScalePlan> Plans { get; } = [];
        public Dictionary<string, double> Tuned { get; } = [];
        public Dictionary<string, string> Best { get; } = [];
        public List<string> Notes { get; } = [];
        public int Executed { get; private set; }
        public required Action CheckBuild { get; init; }
        public bool Missing { get; private set; }

        private readonly Dictionary<string, (FrontierScalePlan Plan, IStepCostModel? Cost)> _plans = [];
        private FrontierScalePlan _plan = null!;
        private IStepCostModel? _cost;

        /// <summary>Sizes (and calibrates) every scale.</summary>
        public void PlanAll()
        {
            foreach (var scale in options.Scales)
            {
                var planned = FrontierPlanner.PlanOrLoad(directory, scale, options, train.Count, Report(scale.Name), cancellationToken);
                _plans[scale.Name] = planned;
                Plans.Add(planned.Plan);
            }
        }

        /// <summary>Runs every phase of one scale; false when the call must stop (limit, cancellation).</summary>
        public bool RunScale(FrontierScale scale)
        {
            (_plan, _cost) = _plans[scale.Name];
            int max = _plan.Budgets.Count - 1;
            var sizes = FrontierSizes.Of(scale);
            // Phase 1: the learning-rate grid of every size at the largest budget, extended until the best is interior.
            var grids = sizes.ToDictionary(s => s.Name, _ => options.LearningRates.ToList());
            for (int round = 0; ; round++)
            {
                Ensure(scale, sizes.SelectMany(s => grids[s.Name].Select(lr => Job(s, lr, max, options.TuningSeeds))));
                if (Missing) return false;
                bool extended = false;
                foreach (var size in sizes)
                {
                    var grid = grids[size.Name];
                    double best = BestRate(scale.Name, FrontierArms.Scratch(size.Name), grid, max);
                    bool low = best == grid[0], high = best == grid[^1];
                    if ((low || high) && round < options.MaxGridExtensions)
                    {
                        grid.Insert(low ? 0 : grid.Count, low ? grid[0] / 2 : grid[^1] * 2);
                        extended = true;
                    }
                    else
                    {
                        Tuned[FrontierResult.Key(scale.Name, size.Name)] = best;
                        if (low || high)
                            Notes.Add($"{scale.Name} {size.Name}: best rate {best:G3} still at the grid's edge after {round} extensions.");
                    }
                }
                if (!extended) break;
            }
            // Phase 2: every size at its tuned rate and every budget.
            Ensure(scale, sizes.SelectMany(s => _plan.Budgets.Select((_, k) =>
                Job(s, Tuned[FrontierResult.Key(scale.Name, s.Name)], k, k == max ? options.FinalSeeds : options.FrontierSeeds))));
            if (Missing) return false;
            if (!scale.Growth || options.Operators.Count == 0) return true;
            // Phase 3: growth arms from the small models at the largest budget, at the full model's tuned rate.
            double rate = Tuned[FrontierResult.Key(scale.Name, FrontierSizes.Full)];
            var full = sizes.Single(s => s.Name == FrontierSizes.Full);
            var arms = new List<string>();
            foreach (var op in options.Operators)
            {
                if (!Supported(op, scale, full)) continue;
                arms.Add(FrontierArms.Growth(op, "gstack"));
                arms.Add(
                    FrontierArms.Growth(op, options.OtherGrowthFraction.ToString("R", System.Globalization.CultureInfo.InvariantCulture)));
            }
            Ensure(scale, arms.Select(a => (a, full, rate, max, options.FinalSeeds)));
            if (Missing) return false;
            if (arms.Count == 0) return true;
            string bestArm = arms.MinBy(a => Mean(scale.Name, a, rate, max))!;
            Best[scale.Name] = bestArm;
            // Phase 4: the best growth arm with each post-growth learning-rate schedule.
            var (bestOp, when, _) = FrontierArms.ParseGrowth(bestArm);
            Ensure(scale, options.BestVariants.Select(v => (FrontierArms.Growth(bestOp, when, v), full, rate, max, options.FinalSeeds)));
            return !Missing;
        }

        private static (string Arm, (string Name, int DModel, int Layers, int Heads) Size, double Lr, int Budget, int Seeds) Job(
            (string Name, int DModel, int Layers, int Heads) size, double lr, int budget, int seeds) =>
                (FrontierArms.Scratch(size.Name), size, lr, budget, seeds);

        private bool Supported(string op, FrontierScale scale, (string Name, int DModel, int Layers, int Heads) full)
        {
            try
            {
                var config = EqualBudgetComparison.FullConfig(FrontierTraining.Comparison(options, scale.Architecture, full.DModel,
                    full.Layers, full.Heads, 1e-3, 1));
                FrontierArms.RequireSupported(op, config);
                return true;
            }
            catch (ArgumentException e)
            {
                Notes.Add($"{scale.Name}: operator {op} skipped: {e.Message}");
                return false;
            }
        }

        private double Mean(string scale, string arm, double lr, int budget) =>
            Runs.Where(r => r.Scale == scale && r.Arm == arm && r.LearningRate == lr && r.BudgetIndex == budget)
                .Average(r => r.FinalDevBpc);

        private double BestRate(string scale, string arm, IReadOnlyList<double> grid, int budget) =>
            grid.MinBy(lr => Mean(scale, arm, lr, budget));

        /// <summary>Loads or trains every seed of each job; waits for runs held by other workers at the end.</summary>
        private void Ensure(FrontierScale scale,
            IEnumerable<(string Arm, (string Name, int DModel, int Layers, int Heads) Size, double Lr, int Budget, int Seeds)> jobs)
        {
            var held = new List<(string, (string, int, int, int), double, int, long)>();
            foreach (var (arm, size, lr, budget, seeds) in jobs.ToList())
                for (int s = 0; s < seeds; s++)
                    if (!TryLoadOrRun(scale, arm, size, lr, budget, options.FirstSeed + s))
                        held.Add((arm, size, lr, budget, options.FirstSeed + s));
            while (held.Count > 0 && !Missing)
            {
                if (cancellationToken.WaitHandle.WaitOne(TimeSpan.FromSeconds(StudyRunner.ClaimPollSeconds))) { Missing = true; break; }
                held.RemoveAll(h => TryLoadOrRun(scale, h.Item1, h.Item2, h.Item3, h.Item4, h.Item5));
            }
        }

        private bool TryLoadOrRun(FrontierScale scale, string arm, (string Name, int DModel, int Layers, int Heads) size, double lr,
            int budget, long seed)
        {
            string path = RunPath(directory, scale.Name, arm, lr, budget, seed);
            if (Runs.Any(r => r.Scale == scale.Name && r.Arm == arm && r.LearningRate == lr && r.BudgetIndex == budget && r.Seed == seed))
                return true;
            if (File.Exists(path)) { Runs.Add(Load(path)); return true; }
            if ((maxNewRuns is { } limit && Executed >= limit)
                || cancellationToken.IsCancellationRequested) { Missing = true; return true; }
            Directory.CreateDirectory(Path.GetDirectoryName(path)!);
            using var claim = RunClaim.TryTake(path);
            if (claim is null) return false;
            if (File.Exists(path)) { Runs.Add(Load(path)); return true; }
            CheckBuild();
            double amount = _plan.Budgets[budget];
            var comparison = FrontierTraining.Comparison(options, scale.Architecture, size.DModel, size.Layers, size.Heads, lr, amount);
            var config = EqualBudgetComparison.FullConfig(comparison);
            double? fraction = null;
            MethodSpec method = new BaselineMethod();
            if (!FrontierArms.IsScratch(arm))
            {
                fraction = FrontierArms.Fraction(FrontierArms.ParseGrowth(arm).When, _plan.GStackFraction);
                method = FrontierArms.GrowthMethod(arm, fraction.Value);
            }
            progress?.Report(new FrontierProgress(scale.Name, arm, lr, amount, seed, Runs.Count, null, null));
            var inline = progress is null ? null
                : new InlineProgress<TrainingProgress>(
                    p => progress.Report(new FrontierProgress(scale.Name, arm, lr, amount, seed, Runs.Count, null, p)));
            var run = FrontierTraining.Train(scale.Name, arm, budget, method, comparison, config, train, dev, test, options, seed, _cost,
                fraction, build, inline, cancellationToken);
            if (run is null) { Missing = true; return true; }
            StudyRunner.WriteAtomically(path, JsonSerializer.Serialize(run, ResultJson.Options));
            Runs.Add(run);
            Executed++;
            return true;
        }

        private Action<string> Report(string scale) => message =>
            progress?.Report(new FrontierProgress(scale, "", 0, 0, 0, Runs.Count, message, null));
    }
}
