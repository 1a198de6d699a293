using Bus.Core.Model;
using Bus.Core.Optimization;

namespace Bus.Selection;

/// <summary>An irreducible-loss model and the dev evaluation of the checkpoint it holds.</summary>
/// <param name="Model">The model with its best-dev weights loaded (caller disposes).</param>
/// <param name="Best">The dev evaluation at which those weights were taken.</param>
/// <param name="Training">The full training run of the model.</param>
public sealed record IrreducibleLossModel(GrowableTransformer Model, MetricsRecord Best, TrainingResult Training);

/// <summary>
/// RHO-LOSS, Sec. 3 / train_irreducible.py: trains a (possibly smaller) model on a holdout split with the
/// ordinary Bus trainer, keeps the checkpoint with the lowest dev loss, then computes the irreducible
/// losses of the training set with it once.
/// </summary>
public static class IrreducibleLossTraining
{
    /// <summary>Trains the IL model of shape <paramref name="config"/> on <paramref name="holdout"/>; its weights are the best-dev-loss
    /// checkpoint.</summary>
    public static IrreducibleLossModel Train(TransformerConfig config, SequenceDataset holdout, SequenceDataset dev,
        SequenceObjective objective, TrainerOptions options, IOptimizerFactory? optimizer = null)
    {
        ArgumentNullException.ThrowIfNull(config);
        ArgumentNullException.ThrowIfNull(holdout);
        ArgumentNullException.ThrowIfNull(dev);
        ArgumentNullException.ThrowIfNull(objective);
        ArgumentNullException.ThrowIfNull(options);
        var keeper = new BestDevCheckpoint();
        var model = GrowableTransformer.Create(config, options.Seed);
        try
        {
            var result = new Trainer(options, optimizer, algorithms: [keeper]).Fit(model, holdout, dev, objective);
            model = result.Model;
            model.LoadWeights(keeper.Weights!);
            return new IrreducibleLossModel(model, keeper.Best!, result);
        }
        catch
        {
            model.Dispose();
            throw;
        }
        finally
        {
            keeper.Dispose();
        }
    }

    /// <summary>
    /// Trains the IL model on <paramref name="holdout"/> (best dev checkpoint), computes IL[i] for every example
    /// of <paramref name="train"/> and disposes the IL model.
    /// </summary>
    public static IrreducibleLossCache BuildCache(TransformerConfig config, SequenceDataset holdout, SequenceDataset dev,
        SequenceDataset train, SequenceObjective objective, TrainerOptions options, IOptimizerFactory? optimizer = null,
        int scoringBatchSize = 512)
    {
        ArgumentNullException.ThrowIfNull(train);
        var il = Train(config, holdout, dev, objective, options, optimizer);
        using var model = il.Model;
        return IrreducibleLossCache.Compute(model, train, objective, scoringBatchSize);
    }

    /// <summary>Keeps a copy of the weights at the lowest dev loss seen.</summary>
    private sealed class BestDevCheckpoint : TrainingCallback, IDisposable
    {
        public MetricsRecord? Best { get; private set; }
        public Dictionary<string, Tensor>? Weights { get; private set; }

        public override void OnEvent(TrainingEvent trainingEvent, TrainingState state)
        {
            if (trainingEvent != TrainingEvent.Evaluated) return;
            var record = state.History[^1];
            if (Best is not null && !(record.DevLoss < Best.DevLoss)) return;
            Dispose();
            Best = record;
            Weights = state.Transformer.CloneWeights();
            foreach (var w in Weights.Values) w.DetachFromDisposeScope();
        }

        public void Dispose()
        {
            if (Weights is null) return;
            foreach (var w in Weights.Values) w.Dispose();
            Weights = null;
        }
    }
}
