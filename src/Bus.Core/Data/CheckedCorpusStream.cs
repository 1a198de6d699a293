using System.Buffers;
using System.Text.Unicode;

namespace Bus.Core.Data;

/// <summary>
/// A read-only stream over a corpus file that checks each byte as it passes (<see cref="CorpusText"/>): a UTF-16 or
/// UTF-32 byte-order mark at the start, a NUL byte, an invalid UTF-8 sequence (also one cut off by the end of the file)
/// and any byte past <see cref="CorpusText.MaxBytes"/> (or a smaller bound given by tests) throw
/// <see cref="InvalidDataException"/> naming the file and the byte offset.
/// </summary>
internal sealed class CheckedCorpusStream(Stream inner, string path, long maxBytes = CorpusText.MaxBytes) : Stream
{
    private readonly byte[] _pending = new byte[4];
    private readonly byte[] _head = new byte[4];
    private int _pendingCount, _headCount;
    private long _offset;
    private char[] _scratch = [];

    public override bool CanRead => true;
    public override bool CanSeek => false;
    public override bool CanWrite => false;
    /// <summary>The file's length, or 0 for a source that has none (a pipe).</summary>
    public override long Length => inner.CanSeek ? inner.Length : 0;

    /// <summary>False for a pipe or another source that cannot be read twice.</summary>
    public bool Seekable => inner.CanSeek;
    public override long Position { get => _offset; set => throw new NotSupportedException(); }
    public override void Flush() { }
    public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

    public override int Read(Span<byte> buffer)
    {
        int n = inner.Read(buffer);
        if (n == 0)
        {
            CheckHead(final: true);
            if (_pendingCount > 0) throw Invalid(_offset - _pendingCount, "starts a UTF-8 sequence that the end of the file cuts off");
            return 0;
        }

        var chunk = buffer[..n];
        if (_offset + n > maxBytes) throw CorpusText.TooLong(path, -1, maxBytes);
        RememberHead(chunk);
        CheckHead(final: false);
        int nul = chunk.IndexOf((byte)0);
        if (nul >= 0) throw Nul(_offset + nul, chunk);
        CheckUtf8(chunk);
        _offset += n;
        return n;
    }

    private void RememberHead(ReadOnlySpan<byte> chunk)
    {
        int take = Math.Min(_head.Length - _headCount, chunk.Length);
        chunk[..take].CopyTo(_head.AsSpan(_headCount));
        _headCount += take;
    }

    /// <summary>The byte-order marks of UTF-16 (FF FE, FE FF) and UTF-32 (FF FE 00 00, 00 00 FE FF), once enough bytes are known.</summary>
    private void CheckHead(bool final)
    {
        if (_headCount < 2 && !final) return;
        var head = _head.AsSpan(0, _headCount);
        if (head.StartsWith((ReadOnlySpan<byte>)[0x00, 0x00, 0xFE, 0xFF]) || head.StartsWith((ReadOnlySpan<byte>)[0xFF, 0xFE, 0x00, 0x00]))
            throw Encoded($"is UTF-32 text (it starts with the byte-order mark {Convert.ToHexString(head[..4])})", "UTF-32");
        if (head.StartsWith((ReadOnlySpan<byte>)[0xFF, 0xFE]) || head.StartsWith((ReadOnlySpan<byte>)[0xFE, 0xFF]))
            throw Encoded($"is UTF-16 text (it starts with the byte-order mark {Convert.ToHexString(head[..2])})", "UTF-16");
    }

    /// <summary>
    /// Validates <paramref name="chunk"/> as the continuation of the bytes before it; a sequence cut by the chunk's end
    /// waits for the next.
    /// </summary>
    private void CheckUtf8(ReadOnlySpan<byte> chunk)
    {
        byte[]? rented = null;
        ReadOnlySpan<byte> data = chunk;
        if (_pendingCount > 0)
        {
            rented = ArrayPool<byte>.Shared.Rent(_pendingCount + chunk.Length);
            _pending.AsSpan(0, _pendingCount).CopyTo(rented);
            chunk.CopyTo(rented.AsSpan(_pendingCount));
            data = rented.AsSpan(0, _pendingCount + chunk.Length);
        }

        try
        {
            if (_scratch.Length < data.Length) _scratch = new char[Math.Max(data.Length, 1 << 12)];
            var status = Utf8.ToUtf16(data, _scratch, out int read, out _, replaceInvalidSequences: false, isFinalBlock: false);
            long start = _offset - _pendingCount;
            if (status == OperationStatus.InvalidData) throw Invalid(start + read, "starts a sequence that is not UTF-8");
            var rest = data[read..];
            rest.CopyTo(_pending);
            _pendingCount = rest.Length;
        }
        finally
        {
            if (rented is not null) ArrayPool<byte>.Shared.Return(rented);
        }
    }

    private InvalidDataException Nul(long offset, ReadOnlySpan<byte> chunk)
    {
        string at = string.Create(CultureInfo.InvariantCulture, $"byte {offset} is NUL");
        return LooksWide(chunk[..Math.Min(chunk.Length, 4096)])
            ? Encoded($"is UTF-16 or UTF-32 text without a byte-order mark ({at}, and NULs alternate with characters)", "UTF-16LE")
            : new InvalidDataException($"Corpus '{path}' is binary, not UTF-8 text: {at}.");
    }

    /// <summary>
    /// True when <paramref name="sample"/> looks like the ASCII characters of UTF-16 or UTF-32 text: at least a quarter NUL
    /// bytes, and every other byte on one position modulo 2 or modulo 4 (all-NUL data such as /dev/zero is binary).
    /// </summary>
    internal static bool LooksWide(ReadOnlySpan<byte> sample)
    {
        int nuls = sample.Count((byte)0), others = sample.Length - nuls;
        if (others == 0 || nuls * 4 < sample.Length) return false;
        Span<int> byResidue = stackalloc int[4];
        for (int i = 0; i < sample.Length; i++)
            if (sample[i] != 0) byResidue[i & 3]++;
        bool utf16 = byResidue[0] + byResidue[2] == others || byResidue[1] + byResidue[3] == others;
        bool utf32 = byResidue.Contains(others);
        return utf16 || utf32;
    }

    private InvalidDataException Encoded(string what, string encoding) =>
        new($"Corpus '{path}' {what}; convert it to UTF-8 (e.g. iconv -f {encoding} -t UTF-8).");

    private InvalidDataException Invalid(long offset, string what) =>
        new(string.Create(CultureInfo.InvariantCulture,
            $"Corpus '{path}' is not UTF-8 text: byte {offset} {what} (the file is binary or in another encoding; convert it to UTF-8)."));

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
    public override void SetLength(long value) => throw new NotSupportedException();
    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    protected override void Dispose(bool disposing)
    {
        if (disposing) inner.Dispose();
        base.Dispose(disposing);
    }
}
