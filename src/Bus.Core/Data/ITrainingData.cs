namespace Bus.Core.Data;

/// <summary>
/// Examples the trainer can draw batches from and evaluate on: an in-memory dataset
/// (<see cref="SequenceDataset"/>, <see cref="TensorDataset"/>) or a memory-mapped token stream
/// (<see cref="TokenStreamData"/>). An example is named by a 64-bit index (a row, or a window's offset).
/// </summary>
public interface ITrainingData
{
    /// <summary>Examples in one pass (an epoch): rows, or non-overlapping windows of a stream.</summary>
    long Count { get; }

    /// <summary>Tokens per example for sequence data (checked against a transformer's MaxLength); null for non-sequence data.</summary>
    int? SequenceLength { get; }

    /// <summary>Inputs and targets of the examples named by <paramref name="indices"/> (1-D int64), as new tensors owned by the
    /// caller.</summary>
    (Tensor Inputs, Tensor Targets) Batch(Tensor indices);

    /// <summary>The draw order for training, using <paramref name="random"/> (the run's checkpointed generator) for every random
    /// choice.</summary>
    IExampleSampler CreateSampler(Random random);

    /// <summary>The examples evaluation runs over, in a fixed order: the first <paramref name="maxExamples"/> (all when null).</summary>
    IEnumerable<long> EvaluationIndices(long? maxExamples);
}

/// <summary>Draws the indices of the next training examples; its <see cref="State"/> goes into checkpoints.</summary>
public interface IExampleSampler
{
    /// <summary>Epochs completed.</summary>
    int Epoch { get; }

    /// <summary>True when the last <see cref="Next"/> call finished an epoch.</summary>
    bool EpochCompleted { get; }

    /// <summary>Returns the next <paramref name="n"/> example indices.</summary>
    long[] Next(int n);

    /// <summary>The sampler's own state (the random generator's state is saved separately), for checkpoints.</summary>
    long[] State { get; set; }
}
