namespace Bus.Core.Data;

/// <summary>
/// N examples of any shape and dtype: <see cref="Inputs"/> [N, ...] and <see cref="Targets"/> [N, ...] (e.g. float
/// features and float regression targets, or token ids and one label per row). Shuffled each epoch like
/// <see cref="SequenceDataset"/>. The dataset owns both tensors and disposes them.
/// </summary>
public sealed class TensorDataset : ITrainingData, IDisposable
{
    private readonly Tensor _inputs;
    private readonly Tensor _targets;
    private bool _disposed;

    /// <summary>Takes ownership of <paramref name="inputs"/> and <paramref name="targets"/>.</summary>
    /// <exception cref="ArgumentException">A tensor is a scalar, or the first dimensions differ.</exception>
    public TensorDataset(Tensor inputs, Tensor targets)
    {
        ArgumentNullException.ThrowIfNull(inputs);
        ArgumentNullException.ThrowIfNull(targets);
        if (inputs.dim() == 0) throw new ArgumentException("Inputs must have an example dimension [N, ...]; got a scalar.", nameof(inputs));
        if (targets.dim() == 0 || targets.shape[0] != inputs.shape[0])
            throw new ArgumentException(
                $"Targets shape [{string.Join(",", targets.shape)}] must start with the {inputs.shape[0]} examples of inputs " +
                $"[{string.Join(",", inputs.shape)}].", nameof(targets));
        _inputs = inputs.DetachFromDisposeScope();
        _targets = targets.DetachFromDisposeScope();
    }

    /// <summary>Inputs [N, ...].</summary>
    public Tensor Inputs => Alive(_inputs);

    /// <summary>Targets [N, ...].</summary>
    public Tensor Targets => Alive(_targets);

    /// <inheritdoc />
    public long Count => Alive(_inputs).shape[0];

    /// <inheritdoc />
    public int? SequenceLength => null;

    /// <inheritdoc />
    public (Tensor Inputs, Tensor Targets) Batch(Tensor indices)
    {
        ArgumentNullException.ThrowIfNull(indices);
        InMemoryRows.Validate(indices, Count);
        using var rows = indices.to(Inputs.device);
        return (Inputs.index_select(0, rows), Targets.index_select(0, rows));
    }

    /// <inheritdoc />
    public IExampleSampler CreateSampler(Random random) => new EpochSampler(checked((int)Count), random);

    /// <inheritdoc />
    public IEnumerable<long> EvaluationIndices(long? maxExamples) => InMemoryRows.First(Count, maxExamples);

    /// <summary>Disposes both tensors.</summary>
    public void Dispose()
    {
        if (_disposed) return;
        _disposed = true;
        _inputs.Dispose();
        _targets.Dispose();
    }

    private Tensor Alive(Tensor t)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        return t;
    }
}

/// <summary>Index checks and evaluation order shared by the in-memory datasets.</summary>
internal static class InMemoryRows
{
    public static void Validate(Tensor indices, long count)
    {
        if (indices.dim() != 1 || indices.dtype is not (ScalarType.Int64 or ScalarType.Int32))
            throw new ArgumentException(
                $"Indices must be a 1-D int64 or int32 tensor, got {indices.dtype} with shape [{string.Join(",", indices.shape)}].",
                nameof(indices));
        if (indices.numel() == 0) return;
        using var minTensor = indices.min();
        using var maxTensor = indices.max();
        long min = minTensor.ToInt64(), max = maxTensor.ToInt64();
        if (min < 0 || max >= count)
            throw new ArgumentOutOfRangeException(nameof(indices), $"Indices must lie in 0..{count - 1}; got values from {min} to {max}.");
    }

    public static IEnumerable<long> First(long count, long? max)
    {
        long n = Math.Min(count, max ?? long.MaxValue);
        for (long i = 0; i < n; i++) yield return i;
    }
}
