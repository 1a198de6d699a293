namespace Bus.MLNet.Training;

/// <summary>
/// Sends a run's progress to an <see cref="ILogger"/> as it happens: one line per scheduled dev evaluation, one line
/// per growth event (step, operator, shapes, dev loss and metric before and after), and every other run-log line
/// (e.g. the non-finite guard's skipped steps). The trainer's own two log lines of a growth ("model replaced ...",
/// "growth k (...) ...") and the before/after dev records are folded into that one growth line, so a growth is logged once.
/// </summary>
internal sealed class TrainingLogger(ILogger logger) : TrainingCallback
{
    private int _growths;
    private int _lines;
    private MetricsRecord? _last;
    private readonly HashSet<string> _folded = new(StringComparer.Ordinal);

    /// <inheritdoc />
    public override string Name => "ml.net-logger";

    /// <inheritdoc />
    public override void OnEvent(TrainingEvent trainingEvent, TrainingState state)
    {
        ArgumentNullException.ThrowIfNull(state);
        Flush(state.Growths, state.Log, state.Objective.MetricName);
        if (trainingEvent != TrainingEvent.Evaluated || state.History.Count == 0) return;
        var record = state.History[^1];
        if (ReferenceEquals(record, _last)) return;
        _last = record;
        logger.LogInformation(
            "Bus step {Step} ({Percent:P0} of the budget, epoch {Epoch:F2}, d_model {DModel} x {Layers} layers): " +
            "train loss {TrainLoss:F4}, dev loss {DevLoss:F4}, dev {MetricName} {DevMetric:F4}",
            record.Step, state.Meter.Fraction, record.Epoch, record.DModel, record.Layers,
            record.TrainLoss, record.DevLoss, state.Objective.MetricName, record.DevMetric);
    }

    /// <summary>Logs the growth events and run-log lines not logged yet (call once more after the run for the last ones).</summary>
    public void Flush(IReadOnlyList<GrowthEvent> growths, IReadOnlyList<string> log, string metricName)
    {
        for (; _growths < growths.Count; _growths++)
        {
            var g = growths[_growths];
            _folded.Add(TrainingState.LogLine(g.Step, g.Describe(metricName)));
            _folded.Add(TrainingState.LogLine(g.Step, $"model replaced ({g.Operator} stage {g.Stage})"));
            logger.LogInformation(
                "Bus growth {Stage} ({Operator}) at step {Step}: d_model {FromDModel} x {FromLayers} -> {ToDModel} x {ToLayers}, " +
                "dev loss {DevLossBefore:F4} -> {DevLossAfter:F4}, dev {MetricName} {DevMetricBefore:F4} -> {DevMetricAfter:F4}",
                g.Stage, g.Operator, g.Step, g.From!.DModel, g.From.Layers, g.To!.DModel, g.To.Layers,
                g.Before.DevLoss, g.After.DevLoss, metricName, g.Before.DevMetric, g.After.DevMetric);
        }
        for (; _lines < log.Count; _lines++)
        {
            string line = log[_lines];
            if (!_folded.Any(prefix => line.StartsWith(prefix, StringComparison.Ordinal)))
                logger.LogInformation("Bus {TrainerEvent}", line);
        }
    }
}
