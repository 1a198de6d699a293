namespace Bus.Core.Data;

/// <summary>
/// N sequences of length T: int64 <see cref="Inputs"/> [N,T] and int64 <see cref="Targets"/> [N,T].
/// The dataset owns both tensors (they are detached from any dispose scope) and disposes them. It is the token-id
/// [N,T] case of <see cref="TensorDataset"/>, which holds the rows.
/// </summary>
public sealed class SequenceDataset : ITrainingData, IDisposable
{
    private readonly TensorDataset _rows;

    /// <summary>Takes ownership of <paramref name="inputs"/> and <paramref name="targets"/>.</summary>
    /// <exception cref="ArgumentException">A tensor is not int64, not 2-D, or the shapes differ.</exception>
    public SequenceDataset(Tensor inputs, Tensor targets)
    {
        ArgumentNullException.ThrowIfNull(inputs);
        ArgumentNullException.ThrowIfNull(targets);
        RequireInt64Matrix(inputs, nameof(inputs));
        RequireInt64Matrix(targets, nameof(targets));
        if (!inputs.shape.SequenceEqual(targets.shape))
            throw new ArgumentException(
                $"Targets shape [{string.Join(",", targets.shape)}] must equal inputs shape [{string.Join(",", inputs.shape)}].",
                nameof(targets));
        _rows = new TensorDataset(inputs, targets);
    }

    /// <summary>Token ids, int64 [N,T].</summary>
    public Tensor Inputs => _rows.Inputs;

    /// <summary>Per-position targets, int64 [N,T].</summary>
    public Tensor Targets => _rows.Targets;

    /// <summary>Number of sequences N.</summary>
    public int Count => (int)_rows.Count;

    /// <summary>Sequence length T.</summary>
    public int SequenceLength => (int)_rows.Inputs.shape[1];

    long ITrainingData.Count => Count;

    int? ITrainingData.SequenceLength => SequenceLength;

    /// <summary>A fresh seeded shuffle each epoch (Fisher-Yates with <paramref name="random"/>).</summary>
    public IExampleSampler CreateSampler(Random random) => new EpochSampler(Count, random);

    /// <summary>Rows 0..min(N, <paramref name="maxExamples"/>)-1, in order.</summary>
    public IEnumerable<long> EvaluationIndices(long? maxExamples) => InMemoryRows.First(Count, maxExamples);

    /// <summary>
    /// Rows <paramref name="indices"/> (int64 or int32, 1-D) of inputs and targets, as new tensors
    /// owned by the caller (they join the caller's dispose scope).
    /// </summary>
    /// <exception cref="ArgumentException">The indices are not a 1-D integer tensor or lie outside 0..N-1.</exception>
    public (Tensor Inputs, Tensor Targets) Batch(Tensor indices) => _rows.Batch(indices);

    /// <summary>A new dataset holding rows <paramref name="indices"/>, in that order.</summary>
    /// <exception cref="ArgumentException">An index lies outside 0..N-1.</exception>
    public SequenceDataset Slice(long[] indices)
    {
        ArgumentNullException.ThrowIfNull(indices);
        using var scope = NewDisposeScope();
        var (inputs, targets) = Batch(tensor(indices, ScalarType.Int64));
        return new SequenceDataset(inputs, targets);
    }

    /// <summary>Builds a dataset from row-major arrays of N*T ids (internal helper for the task builders).</summary>
    internal static SequenceDataset FromRows(long[] inputs, long[] targets, int sequenceLength)
    {
        long rows = inputs.Length / sequenceLength;
        return new SequenceDataset(
            tensor(inputs, [rows, sequenceLength], ScalarType.Int64),
            tensor(targets, [rows, sequenceLength], ScalarType.Int64));
    }

    /// <summary>Disposes both tensors; later use throws <see cref="ObjectDisposedException"/>.</summary>
    public void Dispose() => _rows.Dispose();

    private static void RequireInt64Matrix(Tensor t, string paramName)
    {
        if (t.dtype != ScalarType.Int64 || t.dim() != 2)
            throw new ArgumentException(
                $"Expected an int64 tensor of shape [N,T]; got {t.dtype} with shape [{string.Join(",", t.shape)}].",
                paramName);
    }
}
