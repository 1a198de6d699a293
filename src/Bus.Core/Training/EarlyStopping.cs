namespace Bus.Core.Training;

/// <summary>
/// The callback behind <see cref="TrainerOptions.EarlyStopping"/> (the trainer adds it): after each scheduled dev
/// evaluation it compares the monitored value with the best so far and asks the run to stop
/// (<see cref="TrainingState.StopRequested"/>) after <see cref="EarlyStoppingOptions.Patience"/> evaluations in a row
/// without an improvement larger than <see cref="EarlyStoppingOptions.MinDelta"/>. Records with a note (growth's
/// before/after evaluations) are not scheduled evaluations and are not counted. A resumed run rebuilds the count from
/// the restored history, so resuming a stopped run stops again at once.
/// </summary>
public sealed class EarlyStopping : TrainingCallback
{
    private readonly EarlyStoppingOptions _options;
    private bool _higherIsBetter;
    private int _seen;

    /// <summary>Creates the callback for <paramref name="options"/>.</summary>
    public EarlyStopping(EarlyStoppingOptions options) => _options = options ?? throw new ArgumentNullException(nameof(options));

    /// <inheritdoc />
    public override string Name => "early-stopping";

    /// <summary>Best monitored value so far (NaN before the first evaluation).</summary>
    public double Best { get; private set; } = double.NaN;

    /// <summary>Step of the best evaluation (-1 before the first).</summary>
    public long BestStep { get; private set; } = -1;

    /// <summary>Scheduled evaluations since the best one, each without a large enough improvement.</summary>
    public int EvaluationsWithoutImprovement { get; private set; }

    /// <summary>True once the patience is spent.</summary>
    public bool ShouldStop => EvaluationsWithoutImprovement >= _options.Patience;

    /// <summary>
    /// Counts one evaluation whose monitored value is <paramref name="value"/> at <paramref name="step"/>; returns
    /// <see cref="ShouldStop"/>. A non-finite value never improves. Lower is better unless <paramref name="higherIsBetter"/>.
    /// </summary>
    public bool Observe(double value, long step, bool higherIsBetter = false)
    {
        double gain = higherIsBetter ? value - Best : Best - value;
        if (double.IsFinite(value) && (double.IsNaN(Best) || gain > _options.MinDelta))
        {
            (Best, BestStep, EvaluationsWithoutImprovement) = (value, step, 0);
            return false;
        }
        EvaluationsWithoutImprovement++;
        return ShouldStop;
    }

    /// <inheritdoc />
    public override void OnEvent(TrainingEvent trainingEvent, TrainingState state)
    {
        ArgumentNullException.ThrowIfNull(state);
        if (trainingEvent == TrainingEvent.FitStart)
        {
            _higherIsBetter = _options.Monitor == EarlyStoppingMonitor.DevMetric && state.Objective.HigherIsBetter;
            (Best, BestStep, EvaluationsWithoutImprovement, _seen) = (double.NaN, -1, 0, 0);
        }
        if (trainingEvent is not (TrainingEvent.FitStart or TrainingEvent.Evaluated)) return;
        // Every scheduled record not yet seen (at FitStart: the history a resume restored).
        bool stop = false;
        for (; _seen < state.History.Count; _seen++)
        {
            var record = state.History[_seen];
            if (record.Note is not null) continue;
            double value = _options.Monitor == EarlyStoppingMonitor.DevLoss ? record.DevLoss : record.DevMetric;
            stop = Observe(value, record.Step, _higherIsBetter);
        }
        if (!stop || state.StopRequested) return;
        state.StopRequested = true;
        string what = _options.Monitor == EarlyStoppingMonitor.DevLoss ? "dev loss" : $"dev {state.Objective.MetricName}";
        state.Write(string.Create(CultureInfo.InvariantCulture,
            $"early stopping: {what} did not improve by more than {_options.MinDelta} for {EvaluationsWithoutImprovement} evaluations; "
            + $"best {Best:G6} at step {BestStep}; the model kept is the last one"));
    }
}
