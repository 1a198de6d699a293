using Bus.Core.Data;
using Bus.Core.Tasks;
using Bus.Core.Training;
using static TorchSharp.torch;

namespace Bus.Selection;

/// <summary>
/// Selective backprop (Jiang et al. 2019, Alg. 1 as in lib/trainer.py): each forward batch of batchSize
/// candidates is scored under no_grad, its losses join the history BEFORE scoring, each example is kept with
/// probability P = percentile^beta (a Bernoulli draw from the run's seeded <see cref="SelectionContext.Random"/>),
/// and kept examples wait in a queue; a batch is returned only when exactly batchSize are queued (otherwise
/// null, and the trainer draws more candidates). During the priming epochs every example is kept.
/// No importance re-weighting: the trainer takes the plain mean loss of the batch.
/// </summary>
public sealed class SelectiveBackpropSelector : IBatchSelector
{
    private readonly Queue<long> _queue = new();
    private SequenceDataset? _train;

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
    public void Prepare(SequenceDataset train, SequenceObjective objective)
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
            losses = CandidateScoring.ToDoubles(CandidateScoring.PerExampleLoss(context.Model, context.Objective, candidates.Inputs, candidates.Targets, Options.Mode));
            indices = candidates.ExampleIndices.cpu().data<long>().ToArray();
        }
        History.AddRange(losses); // the current batch joins the history before it is scored
        Scored += n;
        if (context.Epoch < Options.PrimingEpochs)
        {
            foreach (var index in indices) _queue.Enqueue(index);
            Kept += n;
        }
        else
        {
            var p = SelectiveBackprop.Probabilities(History.Values, losses, Options.Beta, Options.Percentile);
            for (int i = 0; i < n; i++)
            {
                if (context.Random.NextDouble() >= p[i]) continue;
                _queue.Enqueue(indices[i]);
                Kept++;
            }
        }
        if (_queue.Count < context.BatchSize) return null;
        var batch = new long[context.BatchSize];
        for (int i = 0; i < batch.Length; i++) batch[i] = _queue.Dequeue();
        using var rows = tensor(batch, int64, train.Inputs.device);
        var (x, y) = train.Batch(rows);
        return new SelectedBatch(x, y, n);
    }
}
