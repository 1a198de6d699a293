namespace Bus.Core.Tests.Data;

/// <summary>
/// Issue 23: a corpus is read bounded and checked (<see cref="CorpusText"/>): binary data, UTF-16/UTF-32 text and
/// endless files are refused with one error naming the file and the byte offset, by <see cref="Text8.Load"/> and
/// <see cref="TokenStreamFile.Prepare"/> alike, before any output is written.
/// </summary>
public sealed class CorpusTextTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("bus-corpus-text-").FullName;

    private string Write(string name, byte[] bytes)
    {
        string path = Path.Combine(_dir, name);
        File.WriteAllBytes(path, bytes);
        return path;
    }

    public static TheoryData<string, byte[], string> BadFiles() => new()
    {
        { "nul.txt", [.. "hello world "u8, 0, .. "more"u8], "binary, not UTF-8 text: byte 12 is NUL" },
        { "utf16le-bom.txt", [0xFF, 0xFE, .. Encoding.Unicode.GetBytes("hi")], "UTF-16 text (it starts with the byte-order mark FFFE)" },
        { "utf16be-bom.txt", [0xFE, 0xFF, .. Encoding.BigEndianUnicode.GetBytes("hi")], "byte-order mark FEFF" },
        { "utf32le-bom.txt", [0xFF, 0xFE, 0, 0, .. Encoding.UTF32.GetBytes("hello")], "UTF-32 text" },
        { "utf16-nobom.txt", Encoding.Unicode.GetBytes("hello, in UTF-16"), "UTF-16 or UTF-32 text without a byte-order mark" },
        { "zeros.bin", new byte[5000], "binary, not UTF-8 text: byte 0 is NUL" },
        { "latin1.txt", [.. "caf"u8, 0xE9, .. " au lait"u8], "byte 3 starts a sequence that is not UTF-8" },
        { "cut.txt", [.. "ends with half an e-acute "u8, 0xC3], "byte 26 starts a UTF-8 sequence that the end of the file cuts off" },
    };

    [Theory]
    [MemberData(nameof(BadFiles))]
    public void Text8LoadRefusesNonUtf8NamingFileAndOffset(string name, byte[] bytes, string expected)
    {
        string path = Write(name, bytes);
        var act = () => Text8.Load(path);
        act.Should().Throw<InvalidDataException>().Which.Message.Should().Contain($"'{path}'").And.Contain(expected);
    }

    [Theory]
    [MemberData(nameof(BadFiles))]
    public void PrepareRefusesNonUtf8AndWritesNothing(string name, byte[] bytes, string expected)
    {
        string path = Write(name, bytes), output = Path.Combine(_dir, "out", name + ".bustok");
        var act = () => TokenStreamFile.Prepare(path, output);
        act.Should().Throw<InvalidDataException>().Which.Message.Should().Contain(expected);
        File.Exists(output).Should().BeFalse();
        (Directory.Exists(Path.GetDirectoryName(output)) ? Directory.GetFiles(Path.GetDirectoryName(output)!) : []).Should().BeEmpty();
    }

    [Fact]
    public void BadByteFarIntoTheFileIsFoundWithItsOffset()
    {
        // Past the 64 KiB that Check reads and across read buffers: found while reading, with the exact offset.
        var bytes = Encoding.ASCII.GetBytes(string.Concat(Enumerable.Repeat("abc def ", 40_000)));
        bytes[300_001] = 0xFF;
        string path = Write("late.txt", bytes);
        FluentActions.Invoking(() => CorpusText.Check(path)).Should().NotThrow();
        FluentActions.Invoking(() => Text8.Load(path)).Should().Throw<InvalidDataException>().Which.Message.Should().Contain("byte 300001");
    }

    [Fact]
    public void MultiByteSequencesSplitAcrossReadsAreValid()
    {
        // "é" (C3 A9) and "€" (E2 82 AC) at every alignment against 1-, 2- and 3-byte reads.
        var bytes = Encoding.UTF8.GetBytes(string.Concat(Enumerable.Repeat("a é € b ", 1000)));
        string path = Write("split.txt", bytes);
        foreach (int size in new[] { 1, 2, 3, 7 })
        {
            using var stream = CorpusText.OpenRead(path);
            var buffer = new byte[size];
            long total = 0;
            int read;
            while ((read = stream.Read(buffer, 0, size)) > 0) total += read;
            total.Should().Be(bytes.Length);
        }
    }

    [Fact]
    public void Utf8WithAndWithoutByteOrderMarkLoads()
    {
        string plain = Write("plain.txt", Encoding.UTF8.GetBytes("Caf\u00e9 au lait, 2 cups"));
        string marked = Write("marked.txt", [0xEF, 0xBB, 0xBF, .. Encoding.UTF8.GetBytes("Caf\u00e9 au lait, 2 cups")]);
        Text8.Load(plain).Should().Be("caf au lait two cups");
        Text8.Load(marked).Should().Be("caf au lait two cups");
        TokenStreamFile.Prepare(marked, Path.Combine(_dir, "marked.bustok")).Count.Should().Be("caf au lait two cups".Length);
    }

    [Theory]
    [InlineData(new byte[] { 0x68, 0, 0x69, 0 }, true)]                // UTF-16LE "hi"
    [InlineData(new byte[] { 0, 0x68, 0, 0x69 }, true)]                // UTF-16BE "hi"
    [InlineData(new byte[] { 0x68, 0, 0, 0, 0x69, 0, 0, 0 }, true)]    // UTF-32LE "hi"
    [InlineData(new byte[] { 0, 0, 0, 0 }, false)]                     // all NUL: binary
    [InlineData(new byte[] { 1, 0, 2, 3, 0, 4, 5, 6 }, false)]         // NULs without a pattern
    [InlineData(new byte[] { 0x61, 0x62, 0x63, 0 }, false)]            // a few NULs
    public void WideTextIsToldFromBinary(byte[] sample, bool wide) =>
        CheckedCorpusStream.LooksWide(sample).Should().Be(wide);

    [Fact]
    public void MaxBytesIsDocumentedAndHoldsEnwik9()
    {
        CorpusText.MaxBytes.Should().Be(1L << 30);
        CorpusText.MaxBytes.Should().BeGreaterThan(1_000_000_000); // enwik9
    }

    [Fact]
    public void ReadingStopsAtTheBound()
    {
        // An endless source (a pipe, a device that reports length 0) stops at the bound; here 1,000 bytes of an endless 'a'.
        using var endless = new CheckedCorpusStream(new EndlessStream((byte)'a'), "endless", maxBytes: 1_000);
        endless.Length.Should().Be(0, "a source without a length (a pipe) reports 0 instead of throwing");
        var buffer = new byte[300];
        var act = () => { while (endless.Read(buffer, 0, buffer.Length) > 0) { } };
        act.Should().Throw<InvalidDataException>().Which.Message.Should().Contain("'endless' is longer than 1,000 bytes");
    }

    [Fact]
    public void MissingFileIsFileNotFound()
    {
        string path = Path.Combine(_dir, "missing.txt");
        FluentActions.Invoking(() => CorpusText.Check(path)).Should().Throw<FileNotFoundException>().Which.Message.Should().Contain(path);
    }

    [Fact]
    public void EndlessDeviceIsRefusedAtOnce()
    {
        if (!File.Exists("/dev/zero")) return; // Unix only
        var watch = System.Diagnostics.Stopwatch.StartNew();
        FluentActions.Invoking(() => Text8.Load("/dev/zero")).Should().Throw<InvalidDataException>()
            .Which.Message.Should().Contain("byte 0 is NUL");
        watch.Elapsed.Should().BeLessThan(TimeSpan.FromSeconds(30));
    }

    private sealed class EndlessStream(byte value) : Stream
    {
        public override bool CanRead => true;
        public override bool CanSeek => false;
        public override bool CanWrite => false;
        public override long Length => 0;
        public override long Position { get => 0; set => throw new NotSupportedException(); }
        public override void Flush() { }
        public override int Read(byte[] buffer, int offset, int count)
        {
            buffer.AsSpan(offset, count).Fill(value);
            return count;
        }

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();
        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }

    public void Dispose() => Directory.Delete(_dir, recursive: true);
}
