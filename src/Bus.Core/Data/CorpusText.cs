namespace Bus.Core.Data;

/// <summary>
/// The bounded, checked way to read a corpus text file: UTF-8 (with or without a byte-order mark) of at most
/// <see cref="MaxBytes"/> bytes. Binary data (a NUL byte or bytes that are not UTF-8), UTF-16 and UTF-32 text (their
/// byte-order marks, or the NUL bytes of their ASCII characters) and anything longer than the bound (an endless device
/// such as <c>/dev/zero</c>, a pipe) are refused with one <see cref="InvalidDataException"/> naming the file and the
/// byte offset, as soon as the offending byte is read. <see cref="Text8.Load"/> and <see cref="TokenStreamFile.Prepare"/>
/// read through it.
/// </summary>
public static class CorpusText
{
    /// <summary>Largest corpus file read, in bytes: 1 GiB (enwik9, 10^9 bytes, fits; text8 is 10^8).</summary>
    public const long MaxBytes = 1L << 30;

    /// <summary>Bytes <see cref="Check"/> reads from the start of the file.</summary>
    internal const int CheckBytes = 1 << 16;

    /// <summary>
    /// Opens <paramref name="path"/> for reading through the checks: the returned stream throws
    /// <see cref="InvalidDataException"/> from <c>Read</c> at the first NUL byte, invalid UTF-8 sequence or byte past
    /// <see cref="MaxBytes"/>. A UTF-16 or UTF-32 byte-order mark, or a file longer than the bound, is refused here.
    /// </summary>
    /// <exception cref="FileNotFoundException">No file at the path.</exception>
    /// <exception cref="InvalidDataException">The file is too long or starts with a UTF-16/UTF-32 byte-order mark.</exception>
    public static Stream OpenRead(string path)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        if (Directory.Exists(path))
            throw new ArgumentException($"Corpus '{path}' is a folder; pass the path of a text file.", nameof(path));
        if (!File.Exists(path)) throw new FileNotFoundException($"Corpus file '{path}' does not exist.", path);
        long length = new FileInfo(path).Length;
        if (length > MaxBytes) throw TooLong(path, length, MaxBytes);
        var file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16);
        return new CheckedCorpusStream(file, path);
    }

    /// <summary>
    /// Checks <paramref name="path"/> before any work: it exists, is at most <see cref="MaxBytes"/> long, and its first
    /// 64 KiB are UTF-8 text (no byte-order mark but UTF-8's, no NUL byte, no invalid sequence). The rest is checked as
    /// it is read. A pipe is not read here (its bytes could not be read again); it is checked as it is read.
    /// </summary>
    /// <exception cref="FileNotFoundException">No file at the path.</exception>
    /// <exception cref="InvalidDataException">The file is too long, or its start is binary, UTF-16 or UTF-32.</exception>
    public static void Check(string path)
    {
        using var stream = OpenRead(path);
        if (stream is CheckedCorpusStream { Seekable: false }) return;
        var buffer = new byte[CheckBytes];
        int total = 0, read;
        while (total < buffer.Length && (read = stream.Read(buffer, total, buffer.Length - total)) > 0) total += read;
    }

    internal static InvalidDataException TooLong(string path, long length, long max)
    {
        var c = CultureInfo.InvariantCulture;
        string size = length > 0 ? string.Create(c, $": it has {length:N0}") : "";
        return new(string.Create(c, $"Corpus '{path}' is longer than {max:N0} bytes (the largest corpus read){size}; ")
                   + "split it, or pass a regular file rather than a device or pipe.");
    }
}
