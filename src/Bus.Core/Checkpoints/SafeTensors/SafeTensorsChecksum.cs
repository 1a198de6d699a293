namespace Bus.Core.Checkpoints.SafeTensors;

/// <summary>
/// Integrity of files written by Bus: metadata entry <c>bus.sha256</c> holds the SHA-256 of the whole file (8-byte
/// prefix, header, data section) computed with the hash's own 64 hex digits replaced by zeros. Every byte is covered,
/// so a flipped byte anywhere in the data section (and almost anywhere in the header) is detected on load. Readers that
/// do not know the entry (PyTorch's <c>safetensors</c>) ignore it; files without it (written before it existed, or by
/// other tools) load unchecked.
/// </summary>
internal static class SafeTensorsChecksum
{
    /// <summary>The metadata key.</summary>
    public const string MetadataKey = "bus.sha256";

    /// <summary>The stand-in for the hash while it is computed (same length, so offsets do not move).</summary>
    public static readonly string Placeholder = new('0', 64);

    /// <summary>Lower-case hex of the hash of <paramref name="fileStart"/> (prefix and header with <paramref name="stored"/> replaced by
    /// zeros) followed by the data section of <paramref name="file"/>.</summary>
    public static string Compute(byte[] fileStart, string stored, SafeFileHandle file, long dataStart, long fileLength)
    {
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        hash.AppendData(WithPlaceholder(fileStart, stored));
        var buffer = new byte[1 << 20];
        for (long offset = dataStart; offset < fileLength;)
        {
            int read = RandomAccess.Read(file, buffer.AsSpan(0, (int)Math.Min(buffer.Length, fileLength - offset)), offset);
            if (read <= 0) break;
            hash.AppendData(buffer, 0, read);
            offset += read;
        }

        return Convert.ToHexStringLower(hash.GetHashAndReset());
    }

    /// <summary>Checks the stored hash of a loaded file.</summary>
    /// <exception cref="SafeTensorsFormatException">The stored hash is malformed or differs from the file's.</exception>
    public static void Verify(string path, byte[] fileStart, string stored, SafeFileHandle file, long dataStart, long fileLength)
    {
        if (stored.Length != Placeholder.Length || !stored.All(Uri.IsHexDigit))
            throw new SafeTensorsFormatException(path, null, $"metadata '{MetadataKey}' is not a SHA-256 hex digest; the file is corrupt.");
        string actual = Compute(fileStart, stored, file, dataStart, fileLength);
        if (!string.Equals(actual, stored, StringComparison.Ordinal))
            throw new SafeTensorsFormatException(
                path, null, $"checksum mismatch (stored sha256 {stored[..12]}..., file {actual[..12]}...): the file is corrupt.");
    }

    /// <summary>A copy of <paramref name="fileStart"/> with the bytes of <paramref name="digest"/> (found in the header) replaced by the
    /// placeholder.</summary>
    private static byte[] WithPlaceholder(byte[] fileStart, string digest)
    {
        var copy = (byte[])fileStart.Clone();
        if (digest == Placeholder) return copy;
        byte[] needle = Encoding.UTF8.GetBytes($"\"{digest}\"");
        int at = copy.AsSpan().IndexOf(needle);
        if (at >= 0) Encoding.ASCII.GetBytes($"\"{Placeholder}\"").CopyTo(copy.AsSpan(at));
        return copy;
    }
}
