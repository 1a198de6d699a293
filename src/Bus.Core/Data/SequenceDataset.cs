using static TorchSharp.torch;

namespace Bus.Core.Data;

/// <summary>
/// An immutable set of N sequences: int64 <see cref="Inputs"/> [N, T] and int64 <see cref="Targets"/> [N, T]
/// (one label per position). Owns its tensors.
/// </summary>
public sealed class SequenceDataset : IDisposable
{
    /// <summary>Creates a dataset; takes ownership of both tensors.</summary>
    /// <exception cref="ArgumentException">Shapes or dtypes are not int64 [N, T] with matching N and T.</exception>
    public SequenceDataset(Tensor inputs, Tensor targets)
    {
        ArgumentNullException.ThrowIfNull(inputs);
        ArgumentNullException.ThrowIfNull(targets);
        if (inputs.dim() != 2 || inputs.dtype != ScalarType.Int64)
            throw new ArgumentException($"Inputs must be int64 [N, T], got {inputs.dtype} [{string.Join(", ", inputs.shape)}].", nameof(inputs));
        if (!targets.shape.SequenceEqual(inputs.shape) || targets.dtype != ScalarType.Int64)
            throw new ArgumentException($"Targets must be int64 [{string.Join(", ", inputs.shape)}], got {targets.dtype} [{string.Join(", ", targets.shape)}].", nameof(targets));
        Inputs = inputs;
        Targets = targets;
    }

    /// <summary>Input symbols, int64 [N, T].</summary>
    public Tensor Inputs { get; }

    /// <summary>Per-position labels, int64 [N, T].</summary>
    public Tensor Targets { get; }

    /// <summary>Number of sequences N.</summary>
    public int Count => (int)Inputs.shape[0];

    /// <summary>Length of each sequence T.</summary>
    public int SequenceLength => (int)Inputs.shape[1];

    /// <summary>The rows at <paramref name="indices"/> (int64 [B]) as new tensors (inputs, targets).</summary>
    public (Tensor Inputs, Tensor Targets) Batch(Tensor indices) =>
        (Inputs.index_select(0, indices), Targets.index_select(0, indices));

    /// <summary>A new dataset holding the rows at <paramref name="indices"/>.</summary>
    public SequenceDataset Slice(long[] indices)
    {
        using var idx = tensor(indices, dtype: ScalarType.Int64);
        var (x, y) = Batch(idx);
        return new SequenceDataset(x, y);
    }

    /// <inheritdoc />
    public void Dispose()
    {
        Inputs.Dispose();
        Targets.Dispose();
    }
}
