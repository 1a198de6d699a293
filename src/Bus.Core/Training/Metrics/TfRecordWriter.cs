namespace Bus.Core.Training.Metrics;

/// <summary>
/// Appends TFRecord records, the framing of TensorBoard event files: little-endian uint64 length, masked CRC-32C of
/// those 8 bytes, the payload, masked CRC-32C of the payload (<see cref="Crc32C.Masked"/>).
/// </summary>
public static class TfRecordWriter
{
    /// <summary>Writes one record holding <paramref name="payload"/> to <paramref name="stream"/>.</summary>
    public static void Write(Stream stream, ReadOnlySpan<byte> payload)
    {
        ArgumentNullException.ThrowIfNull(stream);
        Span<byte> header = stackalloc byte[12];
        BinaryPrimitives.WriteUInt64LittleEndian(header, (ulong)payload.Length);
        BinaryPrimitives.WriteUInt32LittleEndian(header[8..], Crc32C.Masked(header[..8]));
        Span<byte> footer = stackalloc byte[4];
        BinaryPrimitives.WriteUInt32LittleEndian(footer, Crc32C.Masked(payload));
        stream.Write(header);
        stream.Write(payload);
        stream.Write(footer);
    }
}
