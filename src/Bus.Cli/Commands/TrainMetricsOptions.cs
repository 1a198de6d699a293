using static System.FormattableString;
using Bus.Core.Training.Metrics;

namespace Bus.Cli.Commands;

/// <summary>
/// <c>bus train</c>'s metrics options: <c>--eval-every N</c> steps, early stopping (<c>--patience</c>, <c>--min-delta</c>)
/// and the run folder (<c>--run-dir</c>, default the checkpoint folder) that receives metrics.csv, a TensorBoard event
/// file and curves.png.
/// </summary>
internal static class TrainMetricsOptions
{
    /// <summary>The most evaluations early stopping may wait for.</summary>
    public const int MaxPatience = 1_000_000;

    private static readonly Option<long?> EvalEvery = new("--eval-every")
    {
        Description = "evaluate the dev set every N optimizer steps, 1..10^9 (and at the end); replaces --evals-per-epoch",
    };
    private static readonly Option<int?> Patience = new("--patience")
    {
        Description = $"early stopping: stop after N evaluations in a row without a dev-loss improvement, 1..{MaxPatience:N0} "
            + "(the last model is kept and saved)",
    };
    private static readonly Option<double?> MinDelta = new("--min-delta")
    {
        Description = "early stopping: the smallest dev-loss decrease that counts as an improvement, finite, >= 0 "
            + "(default 0; needs --patience)",
    };
    private static readonly Option<string?> RunDir = new("--run-dir")
    {
        Description = "folder for metrics.csv, TensorBoard events (events.out.tfevents.*) and curves.png "
            + "(default: --checkpoint-dir; none without either)",
    };

    /// <summary>Adds the options to <paramref name="command"/>.</summary>
    public static void AddTo(Command command)
    {
        ArgumentNullException.ThrowIfNull(command);
        foreach (var o in new Option[] { EvalEvery, Patience, MinDelta, RunDir }) command.Add(o);
    }

    /// <summary>
    /// Checks the options (before any work) and returns them; <paramref name="evalsPerEpochGiven"/> says whether the user
    /// also set --evals-per-epoch, which --eval-every replaces.
    /// </summary>
    public static Settings Read(ParseResult parse, bool evalsPerEpochGiven, string? checkpointDir)
    {
        ArgumentNullException.ThrowIfNull(parse);
        long? every = parse.GetValue(EvalEvery);
        int? patience = parse.GetValue(Patience);
        double? minDelta = parse.GetValue(MinDelta);
        if (every is { } n)
        {
            ModelSizeLimits.RequireSize("--eval-every", n, ModelSizeLimits.MaxSteps);
            if (evalsPerEpochGiven)
                throw new ArgumentException($"--eval-every {n}: cannot be combined with --evals-per-epoch (choose one cadence).",
                    "--eval-every");
        }
        if (patience is { } p) ModelSizeLimits.RequireSize("--patience", p, MaxPatience);
        if (minDelta is { } d)
        {
            if (!double.IsFinite(d) || d < 0)
                throw new ArgumentException(Invariant($"--min-delta {d}: must be finite and at least 0."), "--min-delta");
            if (patience is null) throw new ArgumentException(Invariant($"--min-delta {d}: needs --patience (early stopping)."),
                "--min-delta");
        }
        string? runDir = parse.GetValue(RunDir) ?? checkpointDir;
        OutputPaths.RequireWritableFolder("--run-dir", runDir);
        var early = patience is { } evaluations ? new EarlyStoppingOptions { Patience = evaluations, MinDelta = minDelta ?? 0 } : null;
        return new Settings(every is { } e ? (int)e : null, early, runDir);
    }

    /// <summary>The checked metrics settings of one <c>bus train</c> run.</summary>
    /// <param name="EvaluateEverySteps">--eval-every (null: --evals-per-epoch decides).</param>
    /// <param name="EarlyStopping">--patience and --min-delta (null: no early stopping).</param>
    /// <param name="RunDirectory">Where the metric files go (null: nowhere).</param>
    public sealed record Settings(int? EvaluateEverySteps, EarlyStoppingOptions? EarlyStopping, string? RunDirectory)
    {
        /// <summary>metrics.csv in the run folder.</summary>
        public string? CsvPath => RunDirectory is null ? null : Path.Combine(RunDirectory, "metrics.csv");

        /// <summary>curves.png in the run folder.</summary>
        public string? PlotPath => RunDirectory is null ? null : Path.Combine(RunDirectory, "curves.png");

        /// <summary>The writer callbacks for the trainer (none without a run folder).</summary>
        public IReadOnlyList<ITrainingAlgorithm> Writers() =>
            RunDirectory is null ? [] : [new MetricsCsvWriter(CsvPath!), new TensorBoardWriter(RunDirectory)];

        /// <summary>After the run: writes curves.png from the whole history and prints where the files are.</summary>
        public void Finish(TrainingResult result, string metricName)
        {
            ArgumentNullException.ThrowIfNull(result);
            if (RunDirectory is null) return;
            TrainingCurvesPlot.Write(PlotPath!, result.History, metricName);
            Console.WriteLine($"metrics: {CsvPath}, TensorBoard events in {RunDirectory}, curves {PlotPath}");
        }
    }
}
