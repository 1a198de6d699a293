using Bus.Core.Data;
using Bus.Core.Model;
using Bus.Core.Tasks;
using Bus.Core.Training;

namespace Bus.Core.Growth;

/// <summary>
/// Maps a trained small model to a larger one (width and/or depth). Implementations live in Bus.Growth:
/// BUS identity expansion, Net2Net/bert2BERT, stacking, LiGO, MANGO, spectral growth.
/// </summary>
public interface IGrowthOperator
{
    /// <summary>Name used in reports and DI keys, e.g. "bus-identity".</summary>
    string Name { get; }

    /// <summary>
    /// Checks that this operator can map <paramref name="source"/> to <paramref name="target"/> (e.g. no
    /// shrinking, same mode and vocabulary); throws <see cref="ArgumentException"/> naming the parameter
    /// otherwise. Called when a schedule is built, before any training.
    /// </summary>
    void Validate(TransformerConfig source, TransformerConfig target);

    /// <summary>Builds the grown model; <paramref name="source"/> is left unchanged (the caller disposes it).</summary>
    GrowableTransformer Grow(GrowableTransformer source, TransformerConfig target, GrowthContext context);
}

/// <summary>What a growth operator may use: a seed, and for learned operators (LiGO, MANGO) task data and a budget meter to charge.</summary>
/// <param name="Seed">Seed for any random choice (noise, unit mappings).</param>
/// <param name="TrainingData">Training set, for operators that train on the task loss.</param>
/// <param name="Objective">Task loss, for operators that train on it.</param>
/// <param name="BatchSize">Batch size for operator training.</param>
/// <param name="Meter">Budget meter to charge operator training to (null: not charged).</param>
public sealed record GrowthContext(long Seed, SequenceDataset? TrainingData = null, ITrainingObjective? Objective = null, int BatchSize = 64, BudgetMeter? Meter = null);
