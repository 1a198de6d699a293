namespace Bus.Core.Training.Metrics;

/// <summary>
/// A callback that writes every <see cref="MetricsRecord"/> of a run to a CSV file (one row per dev evaluation,
/// written and flushed when the record appears, so the file can be followed while the run goes on). Columns:
/// <c>step, epoch, tokens, samples, lr, train_loss, dev_loss, dev_METRIC, elapsed_s, flops, d_model, layers, note</c>;
/// <c>tokens</c> = samples x the data's sequence length, <c>lr</c> = the first param group's rate of the last step,
/// <c>elapsed_s</c> = training wall-clock (evaluation excluded). A resumed run keeps the rows of the restored history
/// and appends after them; rows past it (written after the last checkpoint) are dropped.
/// </summary>
public sealed class MetricsCsvWriter : TrainingCallback
{
    private readonly string _path;
    private int _written;

    /// <summary>Writes to <paramref name="path"/> (created or replaced when the run starts; its folder is created).</summary>
    public MetricsCsvWriter(string path)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        _path = path;
    }

    /// <inheritdoc />
    public override string Name => "metrics-csv";

    /// <summary>The CSV header for an objective whose metric is <paramref name="metricName"/>.</summary>
    public static string Header(string metricName) =>
        $"step,epoch,tokens,samples,lr,train_loss,dev_loss,dev_{metricName.Replace(' ', '_')},elapsed_s,flops,d_model,layers,note";

    /// <inheritdoc />
    public override void OnEvent(TrainingEvent trainingEvent, TrainingState state)
    {
        ArgumentNullException.ThrowIfNull(state);
        if (trainingEvent == TrainingEvent.FitStart) Start(state);
        else if (trainingEvent is TrainingEvent.Evaluated or TrainingEvent.StepEnd or TrainingEvent.FitEnd
                 && _written < state.History.Count)
            File.AppendAllText(_path, Rows(state, _written, state.Optimizer.ParamGroups.First().LearningRate));
    }

    private void Start(TrainingState state)
    {
        string header = Header(state.Objective.MetricName);
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(_path))!);
        var kept = new List<string> { header };
        // A resume: keep the rows of the restored history (they hold each row's learning rate), in order.
        if (state.History.Count > 0 && File.Exists(_path))
        {
            var old = File.ReadAllLines(_path);
            if (old.Length > state.History.Count && old[0] == header) kept.AddRange(old.Skip(1).Take(state.History.Count));
        }
        _written = kept.Count - 1;
        var builder = new StringBuilder();
        foreach (var line in kept) builder.Append(line).Append('\n');
        builder.Append(Rows(state, _written, double.NaN));
        File.WriteAllText(_path, builder.ToString());
    }

    /// <summary>Rows for the records from <paramref name="from"/> on (updates the count written).</summary>
    private string Rows(TrainingState state, int from, double learningRate)
    {
        var builder = new StringBuilder();
        long length = state.TrainData.SequenceLength ?? 1;
        for (int i = from; i < state.History.Count; i++)
        {
            var r = state.History[i];
            builder.Append(string.Join(',',
                F(r.Step), F(r.Epoch), F(r.Samples * length), F(r.Samples), F(learningRate), F(r.TrainLoss), F(r.DevLoss), F(r.DevMetric),
                F(r.WallClockSeconds), F(r.Flops), F(r.DModel), F(r.Layers), Quote(r.Note))).Append('\n');
        }
        _written = state.History.Count;
        return builder.ToString();
    }

    private static string F(double value) => double.IsNaN(value) ? "" : value.ToString("R", CultureInfo.InvariantCulture);

    private static string F(long value) => value.ToString(CultureInfo.InvariantCulture);

    private static string Quote(string? text) =>
        text is null ? ""
        : text.IndexOfAny([',', '"', '\n', '\r']) < 0 ? text
        : "\"" + text.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"";
}
