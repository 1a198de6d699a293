using Bus.Core.Data;
using Bus.Core.Tasks;
using Bus.Core.Training;

namespace Bus.Selection;

/// <summary>
/// The baseline: draws exactly one batch of candidates (the trainer's seeded shuffle) and back-propagates
/// all of them. No extra forward pass, so nothing is charged beyond the training step.
/// </summary>
public sealed class UniformSelector : IBatchSelector
{
    /// <inheritdoc />
    public string Name => "uniform";

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
    }

    /// <inheritdoc />
    public SelectedBatch? Select(CandidateBatch candidates, SelectionContext context)
    {
        ArgumentNullException.ThrowIfNull(candidates);
        ArgumentNullException.ThrowIfNull(context);
        long take = Math.Min(context.BatchSize, candidates.Inputs.shape[0]);
        return new SelectedBatch(candidates.Inputs.narrow(0, 0, take), candidates.Targets.narrow(0, 0, take), 0);
    }
}
