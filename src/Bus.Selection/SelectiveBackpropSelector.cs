using System.Globalization;
using Bus.Core.Checkpoints;

namespace Bus.Selection;

/// <summary>
/// Selective backprop (Jiang et al. 2019, Alg. 1 as in lib/trainer.py): each forward batch of batchSize
/// candidates is scored under no_grad, its losses join the history BEFORE scoring, each example is kept with
/// probability P = percentile^beta (a Bernoulli draw from the run's seeded <see cref="SelectionContext.Random"/>),
/// and kept examples wait in a queue; a batch is returned only when exactly batchSize are queued (otherwise
/// null, and the trainer draws more candidates). During the priming epochs every example is kept.
/// No importance re-weighting: the trainer takes the plain mean loss of the batch.
/// The loss history, the queue and the counters are saved in every training checkpoint, so a resumed run
/// selects exactly what the uninterrupted run would have.
/// </summary>
public sealed class SelectiveBackpropSelector : IBatchSelector, ICheckpointable
{
    private readonly Queue<long> _queue = new();
    private ITrainingData? _train;

    /// <summary>Creates a selector.</summary>
    public SelectiveBackpropSelector(SelectiveBackpropOptions? options = null)
    {
        Options = options ?? new SelectiveBackpropOptions();
        History = new LossHistory(Options.HistoryLength);
    }

    /// <summary>The selector's options.</summary>
    public SelectiveBackpropOptions Options { get; }

    /// <summary>The recent losses the percentiles are taken over.</summary>
    public LossHistory History { get; }

    /// <summary>Examples waiting to be back-propagated.</summary>
    public int Queued => _queue.Count;

    /// <summary>Examples scored since <see cref="Prepare"/>.</summary>
    public long Scored { get; private set; }

    /// <summary>Examples kept (queued for back-propagation) since <see cref="Prepare"/>.</summary>
    public long Kept { get; private set; }

    /// <inheritdoc />
    public string Name => "selective-backprop";

    /// <inheritdoc />
    public int CandidateCount(int batchSize)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(batchSize);
        return batchSize;
    }

    /// <inheritdoc />
    public void Prepare(ITrainingData train, ITrainingObjective objective)
    {
        ArgumentNullException.ThrowIfNull(train);
        ArgumentNullException.ThrowIfNull(objective);
        _train = train;
        _queue.Clear();
        History.Clear();
        Scored = Kept = 0;
    }

    /// <inheritdoc />
    public SelectedBatch? Select(CandidateBatch candidates, SelectionContext context)
    {
        ArgumentNullException.ThrowIfNull(candidates);
        ArgumentNullException.ThrowIfNull(context);
        var train = _train ?? throw new InvalidOperationException("Call Prepare with the training set before Select.");
        int n = (int)candidates.Inputs.shape[0];
        double[] losses;
        long[] indices;
        using (var scope = NewDisposeScope())
        {
            losses = CandidateScoring.ToDoubles(
                CandidateScoring.PerExampleLoss(context.Model, context.Objective, candidates.Inputs, candidates.Targets, Options.Mode));
            indices = candidates.ExampleIndices.cpu().data<long>().ToArray();
        }
        Scored += n;
        if (context.Epoch < Options.PrimingEpochs)
        {
            History.AddRange(losses); // the current batch joins the history before it is scored
            foreach (var index in indices) _queue.Enqueue(index);
            Kept += n;
        }
        else
        {
            foreach (var i in SelectiveBackprop.Select(History, losses, Options.Beta, Options.Percentile, context.Random))
            {
                _queue.Enqueue(indices[i]);
                Kept++;
            }
        }
        if (_queue.Count < context.BatchSize) return null;
        var batch = new long[context.BatchSize];
        for (int i = 0; i < batch.Length; i++) batch[i] = _queue.Dequeue();
        using var rows = tensor(batch, int64);
        var (x, y) = train.Batch(rows);
        var device = candidates.Inputs.device;
        return new SelectedBatch(x.to(device), y.to(device), n);
    }

    /// <inheritdoc />
    public string CheckpointKey => "selective-backprop";

    /// <inheritdoc />
    public void SaveState(CheckpointState state)
    {
        ArgumentNullException.ThrowIfNull(state);
        var counts = new[] { History.Count, _queue.Count, Scored, Kept };
        state.SetString(CheckpointKey + "/counts", string.Join(',', counts.Select(c => c.ToString(CultureInfo.InvariantCulture))));
        using var scope = NewDisposeScope();
        if (History.Count > 0) state.SetTensor(CheckpointKey + "/history", tensor(History.Values.ToArray(), float64));
        if (_queue.Count > 0) state.SetTensor(CheckpointKey + "/queue", tensor(_queue.ToArray(), int64));
    }

    /// <inheritdoc />
    /// <exception cref="InvalidDataException">The entries are missing or do not fit this selector (history longer than its
    /// capacity).</exception>
    public void LoadState(CheckpointState state)
    {
        ArgumentNullException.ThrowIfNull(state);
        var counts = state.GetString(CheckpointKey + "/counts").Split(',').Select(c => long.Parse(c, CultureInfo.InvariantCulture))
            .ToArray();
        if (counts.Length != 4 || counts[0] > History.Capacity || counts[0] < 0 || counts[1] < 0)
            throw new InvalidDataException(
                $"Checkpoint entry '{CheckpointKey}/counts' = {string.Join(',', counts)} does not fit a history of capacity " +
                $"{History.Capacity}.");
        var history = counts[0] > 0 ? state.GetTensor(CheckpointKey + "/history").data<double>().ToArray() : [];
        var queue = counts[1] > 0 ? state.GetTensor(CheckpointKey + "/queue").data<long>().ToArray() : [];
        if (history.Length != counts[0] || queue.Length != counts[1])
            throw new InvalidDataException(
                $"Checkpoint '{CheckpointKey}' holds {history.Length} losses and {queue.Length} queued examples; its counts say " +
                $"{counts[0]} and {counts[1]}.");
        History.Clear();
        History.AddRange(history);
        _queue.Clear();
        foreach (var index in queue) _queue.Enqueue(index);
        (Scored, Kept) = (counts[2], counts[3]);
    }
}
