namespace Bus.Core.Checkpoints.SafeTensors;

/// <summary>
/// Reads and writes safetensors checkpoints (the format PyTorch's <c>safetensors</c> package uses).
/// Writes are atomic; reads validate the whole header before creating any tensor.
/// </summary>
public static class SafeTensorsFile
{
    /// <summary>
    /// Writes <paramref name="tensors"/> to <paramref name="path"/> atomically: the file is written to a temporary
    /// file in the same directory, flushed to disk, then moved over the target, so the target is always either the
    /// old file or the complete new one. Tensors are copied to contiguous CPU memory and written sorted by name.
    /// </summary>
    /// <param name="path">The target file; its directory must exist.</param>
    /// <param name="tensors">The tensors by name; names must be non-empty and not "__metadata__".</param>
    /// <param name="metadata">Optional string metadata stored under "__metadata__".</param>
    /// <exception cref="ArgumentException">A name, tensor or metadata entry is invalid, or a dtype is unsupported.</exception>
    public static void Save(
        string path,
        IReadOnlyDictionary<string, torch.Tensor> tensors,
        IReadOnlyDictionary<string, string>? metadata = null) => Save(path, tensors, metadata, checksum: false);

    /// <summary>
    /// Writes like <see cref="Save(string, IReadOnlyDictionary{string, torch.Tensor}, IReadOnlyDictionary{string, string}?)"/>;
    /// with <paramref name="checksum"/>, adds metadata <c>bus.sha256</c>, the SHA-256 of the whole file, which
    /// <see cref="Load"/> verifies (see docs/reliability.md, "Integrity").
    /// </summary>
    /// <param name="path">The target file; its directory must exist.</param>
    /// <param name="tensors">The tensors by name; names must be non-empty and not "__metadata__".</param>
    /// <param name="metadata">Optional string metadata stored under "__metadata__".</param>
    /// <param name="checksum">Whether to store the file's SHA-256 in the metadata.</param>
    /// <exception cref="ArgumentException">A name, tensor or metadata entry is invalid, or a dtype is unsupported.</exception>
    public static void Save(
        string path,
        IReadOnlyDictionary<string, torch.Tensor> tensors,
        IReadOnlyDictionary<string, string>? metadata,
        bool checksum)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        ArgumentNullException.ThrowIfNull(tensors);
        var table = SafeTensorsSavePlan.Build(tensors);
        var meta = SafeTensorsSavePlan.CheckMetadata(metadata);
        if (checksum) meta = new Dictionary<string, string>(meta) { [SafeTensorsChecksum.MetadataKey] = SafeTensorsChecksum.Placeholder };
        byte[] header = SafeTensorsHeaderWriter.Write(table, meta);

        string fullPath = Path.GetFullPath(path);
        string directory = Path.GetDirectoryName(fullPath)!;
        string temp = Path.Combine(directory, $".{Path.GetFileName(fullPath)}.{Guid.NewGuid():N}.tmp");
        try
        {
            using (var stream = new FileStream(temp, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1 << 20))
            {
                Span<byte> prefix = stackalloc byte[SafeTensorsHeader.PrefixLength];
                BinaryPrimitives.WriteUInt64LittleEndian(prefix, (ulong)header.Length);
                stream.Write(prefix);
                stream.Write(header);
                foreach (var entry in table)
                {
                    WriteTensor(tensors[entry.Name], entry, stream);
                }

                stream.Flush(flushToDisk: true);
            }

            if (checksum) WriteChecksum(temp, header.Length);

            File.Move(temp, fullPath, overwrite: true);
        }
        catch
        {
            TryDelete(temp);
            throw;
        }
    }

    /// <summary>
    /// Loads every tensor and the metadata of <paramref name="path"/>. The header is fully validated first.
    /// </summary>
    /// <param name="path">The safetensors file.</param>
    /// <param name="device">Where to place the tensors; CPU when <see langword="null"/>.</param>
    /// <returns>The content, which owns (and disposes) the tensors.</returns>
    /// <exception cref="SafeTensorsFormatException">The file violates the format.</exception>
    public static SafeTensorsContent Load(string path, torch.Device? device = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        using var file = File.OpenHandle(path, FileMode.Open, FileAccess.Read, FileShare.Read);
        long fileLength = RandomAccess.GetLength(file);
        var (header, fileStart) = ReadHeader(file, fileLength, path);
        if (header.Metadata.TryGetValue(SafeTensorsChecksum.MetadataKey, out string? digest))
        {
            SafeTensorsChecksum.Verify(path, fileStart, digest, file, header.DataStart, fileLength);
        }

        var tensors = new Dictionary<string, torch.Tensor>(StringComparer.Ordinal);
        using var scope = torch.NewDisposeScope();
        foreach (var info in header.Tensors)
        {
            var tensor = torch.empty(info.Shape.ToArray(), info.DType.ToScalarType(), torch.CPU);
            if (!TensorBytes.ReadFrom(file, header.DataStart + info.DataBegin, tensor, info.DType.ElementSize()))
            {
                throw new SafeTensorsFormatException(path, info.Name, "data section is truncated (the file shrank while reading?).");
            }

            if (device is not null && device.type != DeviceType.CPU)
            {
                tensor = tensor.to(device);
            }

            tensors.Add(info.Name, tensor);
        }

        scope.MoveToOuter(tensors.Values);
        return new SafeTensorsContent(tensors, header.Metadata);
    }

    /// <summary>
    /// Reads and validates only the header of <paramref name="path"/>: names, dtypes, shapes, offsets; no tensor is created.
    /// </summary>
    /// <exception cref="SafeTensorsFormatException">The file violates the format.</exception>
    internal static SafeTensorsHeader ReadHeader(string path)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        using var file = File.OpenHandle(path, FileMode.Open, FileAccess.Read, FileShare.Read);
        return ReadHeader(file, RandomAccess.GetLength(file), path).Header;
    }

    /// <summary>Hashes the written temp file (placeholder in place) and writes the digest over the placeholder.</summary>
    private static void WriteChecksum(string temp, int headerLength)
    {
        using var file = File.OpenHandle(temp, FileMode.Open, FileAccess.ReadWrite, FileShare.None);
        long length = RandomAccess.GetLength(file);
        var fileStart = new byte[SafeTensorsHeader.PrefixLength + headerLength];
        ReadFully(file, fileStart, 0);
        string digest = SafeTensorsChecksum.Compute(fileStart, SafeTensorsChecksum.Placeholder, file, fileStart.Length, length);
        byte[] needle = System.Text.Encoding.ASCII.GetBytes($"\"{SafeTensorsChecksum.Placeholder}\"");
        int at = fileStart.AsSpan().IndexOf(needle);
        RandomAccess.Write(file, System.Text.Encoding.ASCII.GetBytes($"\"{digest}\""), at);
        RandomAccess.FlushToDisk(file);
    }

    private static (SafeTensorsHeader Header, byte[] FileStart) ReadHeader(Microsoft.Win32.SafeHandles.SafeFileHandle file, long fileLength,
        string path)
    {
        Span<byte> prefix = stackalloc byte[SafeTensorsHeader.PrefixLength];
        int prefixRead = ReadFully(file, prefix, 0);
        // A file that shrank below 8 bytes since GetLength is reported as the short file it now is.
        long knownLength = prefixRead < prefix.Length ? prefixRead : fileLength;
        long headerLength = SafeTensorsHeader.ReadHeaderLength(prefix[..prefixRead], knownLength, path);
        var start = new byte[SafeTensorsHeader.PrefixLength + headerLength];
        prefix.CopyTo(start);
        if (ReadFully(file, start.AsSpan(SafeTensorsHeader.PrefixLength), SafeTensorsHeader.PrefixLength) < headerLength)
        {
            throw new SafeTensorsFormatException(path, null, "header is truncated (the file shrank while reading?).");
        }

        return (SafeTensorsHeader.Parse(start, fileLength, path), start);
    }

    private static int ReadFully(Microsoft.Win32.SafeHandles.SafeFileHandle file, Span<byte> buffer, long offset)
    {
        int total = 0;
        while (total < buffer.Length)
        {
            int read = RandomAccess.Read(file, buffer[total..], offset + total);
            if (read <= 0)
            {
                break;
            }

            total += read;
        }

        return total;
    }

    private static void WriteTensor(torch.Tensor source, SafeTensorsTensorInfo entry, Stream stream)
    {
        using var scope = torch.NewDisposeScope();
        var cpu = source.detach().cpu().contiguous();
        TensorBytes.WriteTo(cpu, entry.DType.ElementSize(), stream);
    }

    private static void TryDelete(string path)
    {
        try
        {
            File.Delete(path);
        }
        catch (IOException)
        {
            // Best effort: the temp file has a unique hidden name and never replaces the target.
        }
        catch (UnauthorizedAccessException)
        {
            // Same as above.
        }
    }
}
