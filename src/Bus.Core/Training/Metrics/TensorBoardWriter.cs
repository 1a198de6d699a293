using Google.Protobuf;
using Tensorboard;

namespace Bus.Core.Training.Metrics;

/// <summary>
/// A callback that writes a run's curves as a TensorBoard event file (<c>events.out.tfevents.*</c>, one per Fit) in a
/// folder: <c>loss/train_step</c> (every step's loss), and at each dev evaluation <c>loss/train</c> (mean since the last
/// one), <c>loss/dev</c>, <c>dev/METRIC</c> and <c>lr</c>. Events are TorchSharp's TensorBoard protobuf messages in
/// TFRecord framing (<see cref="TfRecordWriter"/>), wall time in seconds since 1970 (to the millisecond), steps as 64-bit
/// integers. TorchSharp's own <c>SummaryWriter</c> (0.107: <c>add_scalar(string, float, int step, long? walltime)</c>) is
/// not used: it opens and closes the file for every scalar, which this writer does once per evaluation, and keeps
/// whole-second wall times and 32-bit steps. Buffered events are appended at each evaluation and at the end (the file
/// is opened only then), so a crash loses at most the steps since the last evaluation.
/// </summary>
public sealed class TensorBoardWriter : TrainingCallback
{
    private const int MaxPending = 512;
    private static int s_files;
    private readonly string _directory;
    private readonly List<Event> _pending = [];
    private int _seen;

    /// <summary>Writes into <paramref name="directory"/> (created when the run starts).</summary>
    public TensorBoardWriter(string directory)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(directory);
        _directory = directory;
    }

    /// <inheritdoc />
    public override string Name => "tensorboard";

    /// <summary>The event file of the current (or last) Fit; null before the first.</summary>
    public string? FilePath { get; private set; }

    /// <inheritdoc />
    public override void OnEvent(TrainingEvent trainingEvent, TrainingState state)
    {
        ArgumentNullException.ThrowIfNull(state);
        switch (trainingEvent)
        {
            case TrainingEvent.FitStart:
                Start(state);
                break;
            case TrainingEvent.StepEnd:
                _pending.Add(Scalars(state.Meter.Steps, ("loss/train_step", state.LastTrainLoss)));
                if (_pending.Count >= MaxPending) Flush();
                break;
            case TrainingEvent.Evaluated:
            case TrainingEvent.FitEnd:
                double lr = state.Optimizer.ParamGroups.First().LearningRate;
                for (; _seen < state.History.Count; _seen++)
                {
                    var r = state.History[_seen];
                    _pending.Add(Scalars(r.Step, ("loss/train", r.TrainLoss), ("loss/dev", r.DevLoss),
                        ($"dev/{state.Objective.MetricName}", r.DevMetric), ("lr", lr)));
                }
                Flush();
                break;
        }
    }

    private void Start(TrainingState state)
    {
        Directory.CreateDirectory(_directory);
        long now = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
        FilePath = Path.Combine(_directory,
            $"events.out.tfevents.{now}.{Environment.MachineName}.{Environment.ProcessId}.{Interlocked.Increment(ref s_files)}");
        _pending.Clear();
        _pending.Add(new Event { WallTime = WallTime(), FileVersion = "brain.Event:2" });
        _seen = state.History.Count; // a resume's restored records are in the earlier file
        Flush();
    }

    private void Flush()
    {
        Debug.Assert(FilePath is not null);
        using var stream = new FileStream(FilePath, FileMode.Append, FileAccess.Write, FileShare.Read);
        foreach (var e in _pending) TfRecordWriter.Write(stream, e.ToByteArray());
        _pending.Clear();
    }

    private static Event Scalars(long step, params (string Tag, double Value)[] values)
    {
        var summary = new Summary();
        foreach (var (tag, value) in values) summary.Value.Add(new Summary.Types.Value { Tag = tag, SimpleValue = (float)value });
        return new Event { WallTime = WallTime(), Step = step, Summary = summary };
    }

    private static double WallTime() => DateTimeOffset.UtcNow.ToUnixTimeMilliseconds() / 1000.0;
}
