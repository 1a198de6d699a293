using System.Runtime.InteropServices;
using System.Security.Cryptography;

namespace Bus.Selection;

/// <summary>
/// Identifies a training set by its size, sequence length and a SHA-256 of its inputs and targets (row
/// order included), so a per-example cache built for one dataset is never applied to another.
/// </summary>
/// <param name="Count">Number of sequences.</param>
/// <param name="SequenceLength">Tokens per sequence.</param>
/// <param name="Hash">Lower-case hex SHA-256 over the int64 inputs, then the int64 targets (little-endian, row-major).</param>
public sealed record DatasetFingerprint(int Count, int SequenceLength, string Hash)
{
    private const int RowsPerChunk = 4096;

    /// <summary>Fingerprint of <paramref name="dataset"/> (reads it in chunks; the dataset is not changed).</summary>
    public static DatasetFingerprint Of(SequenceDataset dataset)
    {
        ArgumentNullException.ThrowIfNull(dataset);
        using var sha = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        Append(sha, dataset.Inputs);
        Append(sha, dataset.Targets);
        return new DatasetFingerprint(dataset.Count, dataset.SequenceLength, Convert.ToHexStringLower(sha.GetHashAndReset()));
    }

    /// <inheritdoc />
    public override string ToString() => $"{Count}x{SequenceLength} sha256:{Hash}";

    private static void Append(IncrementalHash sha, Tensor data)
    {
        long rows = data.shape[0];
        for (long start = 0; start < rows; start += RowsPerChunk)
        {
            using var scope = NewDisposeScope();
            var chunk = data.narrow(0, start, Math.Min(RowsPerChunk, rows - start)).cpu().contiguous();
            var values = chunk.data<long>().ToArray();
            if (!BitConverter.IsLittleEndian)
                for (int i = 0; i < values.Length; i++) values[i] = System.Buffers.Binary.BinaryPrimitives.ReverseEndianness(values[i]);
            sha.AppendData(MemoryMarshal.AsBytes(values.AsSpan()));
        }
    }
}
