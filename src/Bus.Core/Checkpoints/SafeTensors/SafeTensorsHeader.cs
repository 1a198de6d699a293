namespace Bus.Core.Checkpoints.SafeTensors;

/// <summary>
/// A validated safetensors header: the tensor table and the string metadata. Parsing checks every rule of the
/// format before any tensor is created (see docs/checkpoints.md) and throws <see cref="SafeTensorsFormatException"/>.
/// </summary>
public sealed class SafeTensorsHeader
{
    /// <summary>The largest header (JSON) length accepted, in bytes: 100 MB, as in the reference implementation.</summary>
    public const long MaxHeaderLength = 100_000_000;

    /// <summary>The size of the little-endian u64 length prefix.</summary>
    public const int PrefixLength = 8;

    /// <summary>The key reserved for the string-to-string metadata object.</summary>
    public const string MetadataKey = "__metadata__";

    internal SafeTensorsHeader(
        long headerLength,
        long dataLength,
        IReadOnlyList<SafeTensorsTensorInfo> tensors,
        IReadOnlyDictionary<string, string> metadata)
    {
        HeaderLength = headerLength;
        DataLength = dataLength;
        Tensors = tensors;
        Metadata = metadata;
    }

    /// <summary>The JSON header length N (including padding), as stored in the prefix.</summary>
    public long HeaderLength { get; }

    /// <summary>The absolute file offset of the data section: 8 + N.</summary>
    public long DataStart => PrefixLength + HeaderLength;

    /// <summary>The length of the data section in bytes.</summary>
    public long DataLength { get; }

    /// <summary>The tensor entries, sorted by name (ordinal).</summary>
    public IReadOnlyList<SafeTensorsTensorInfo> Tensors { get; }

    /// <summary>The "__metadata__" entries; empty when the header has none.</summary>
    public IReadOnlyDictionary<string, string> Metadata { get; }

    /// <summary>
    /// Validates and parses a safetensors header.
    /// </summary>
    /// <param name="fileStart">The first bytes of the file: at least the 8-byte prefix and the whole N-byte header
    /// (more is allowed and ignored). When the file itself is shorter than 8 bytes, pass all of it.</param>
    /// <param name="fileLength">The total length of the file, used to check the data section is complete.</param>
    /// <param name="source">A label for error messages, normally the file path.</param>
    /// <exception cref="SafeTensorsFormatException">The header or the layout violates the format.</exception>
    /// <exception cref="ArgumentException"><paramref name="fileStart"/> does not hold the whole header, or <paramref name="fileLength"/> is
    /// negative.</exception>
    public static SafeTensorsHeader Parse(ReadOnlySpan<byte> fileStart, long fileLength, string? source = null)
    {
        string label = source ?? "<buffer>";
        long headerLength = ReadHeaderLength(fileStart, fileLength, label);
        if (fileStart.Length - PrefixLength < headerLength)
        {
            throw new ArgumentException(
                $"fileStart holds {fileStart.Length} bytes but the 8-byte prefix plus the {headerLength}-byte header need " +
                $"{PrefixLength + headerLength}.", nameof(fileStart));
        }

        long dataLength = fileLength - PrefixLength - headerLength;
        var json = fileStart.Slice(PrefixLength, (int)headerLength);
        return SafeTensorsHeaderParser.Parse(json, headerLength, dataLength, label);
    }

    /// <summary>Reads and validates the u64 length prefix; returns N.</summary>
    internal static long ReadHeaderLength(ReadOnlySpan<byte> fileStart, long fileLength, string label)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(fileLength);
        if (fileLength < PrefixLength)
        {
            throw new SafeTensorsFormatException(label, null,
                $"file is {fileLength} bytes, shorter than the 8-byte header length prefix.");
        }

        if (fileStart.Length < PrefixLength)
        {
            throw new ArgumentException(
                $"fileStart holds {fileStart.Length} bytes; the 8-byte length prefix is required.", nameof(fileStart));
        }

        ulong n = BinaryPrimitives.ReadUInt64LittleEndian(fileStart);
        if (n == 0)
        {
            throw new SafeTensorsFormatException(label, null, "header length is 0.");
        }

        if (n > MaxHeaderLength)
        {
            throw new SafeTensorsFormatException(label, null,
                $"header length {n} exceeds the {MaxHeaderLength}-byte limit.");
        }

        if ((long)n > fileLength - PrefixLength)
        {
            throw new SafeTensorsFormatException(label, null,
                $"header length {n} exceeds the {fileLength - PrefixLength} bytes that follow the prefix.");
        }

        return (long)n;
    }
}
