using System.Security.Cryptography;

namespace Bus.Core.Tests.Data;

/// <summary>The .bustok format, text8 preparation, window sampling and the train/dev split.</summary>
public class TokenStreamTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("bus-tokens-").FullName;

    private string PathOf(string name) => Path.Combine(_dir, name);

    [Fact]
    public void PrepareWritesTheDocumentedByteLayout()
    {
        File.WriteAllText(PathOf("in.txt"), "A10b!  Zz");
        var reports = new List<double>();
        var header = TokenStreamFile.Prepare(PathOf("in.txt"), PathOf("out.bustok"), new SyncProgress(reports.Add));
        var bytes = File.ReadAllBytes(PathOf("out.bustok"));
        Encoding.ASCII.GetString(bytes, 0, 8).Should().Be("BUSTOK01");
        long h = (long)BinaryPrimitives.ReadUInt64LittleEndian(bytes.AsSpan(8));
        ((16 + h) % 8).Should().Be(0);
        using var json = JsonDocument.Parse(Encoding.UTF8.GetString(bytes, 16, (int)h).TrimEnd(' '));
        json.RootElement.GetProperty("vocabulary").GetString().Should().Be(" abcdefghijklmnopqrstuvwxyz");
        json.RootElement.GetProperty("normalization").GetString().Should().Be("text8");
        json.RootElement.GetProperty("dtype").GetString().Should().Be("uint8");
        json.RootElement.GetProperty("source").GetString().Should().Be("in.txt");
        // text8 of "A10b!  Zz" is "a one zero b zz": ids a=1, ' '=0, o=15, n=14, e=5, z=26, r=18, b=2.
        var expected = new byte[] { 1, 0, 15, 14, 5, 0, 26, 5, 18, 15, 0, 2, 0, 26, 26 };
        bytes.AsSpan(16 + (int)h).ToArray().Should().Equal(expected);
        json.RootElement.GetProperty("count").GetInt64().Should().Be(expected.Length);
        json.RootElement.GetProperty("sha256").GetString().Should().Be(Convert.ToHexStringLower(SHA256.HashData(expected)));
        header.Count.Should().Be(expected.Length);
        reports.Should().NotBeEmpty().And.EndWith(1.0);
        TokenStreamFile.Verify(PathOf("out.bustok"));
    }

    [Fact]
    public void WindowsAreShiftedPairsOfTheStream()
    {
        var tokens = Enumerable.Range(0, 40).Select(i => (ushort)(i % 27)).ToArray();
        TokenStreamFile.Write(PathOf("w.bustok"), tokens, CharVocabulary.Alphabet);
        using var data = new TokenStreamData(PathOf("w.bustok"), context: 5, start: 10, end: 30);
        var (x, y) = data.Windows([0, 14]);
        x.data<long>().ToArray().Should().Equal(10, 11, 12, 13, 14, 24, 25, 26, 0, 1);
        y.data<long>().ToArray().Should().Equal(11, 12, 13, 14, 15, 25, 26, 0, 1, 2);
        data.Offsets.Should().Be(15);
        data.Count.Should().Be(3); // (20 - 1) / 5 non-overlapping windows
        var act = () => data.Windows([15]);
        act.Should().Throw<ArgumentOutOfRangeException>().WithMessage("*offset 15*0..14*");
        x.Dispose(); y.Dispose();
    }

    [Fact]
    public void SamplingIsDeterministicUnderASeed()
    {
        TokenStreamFile.Write(PathOf("d.bustok"), new ushort[500], CharVocabulary.Alphabet);
        using var data = new TokenStreamData(PathOf("d.bustok"), context: 8);
        var a = data.CreateSampler(new BusRandom(11));
        var b = data.CreateSampler(new BusRandom(11));
        var c = data.CreateSampler(new BusRandom(12));
        var drawA = Enumerable.Range(0, 5).SelectMany(_ => a.Next(16)).ToArray();
        Enumerable.Range(0, 5).SelectMany(_ => b.Next(16)).Should().Equal(drawA);
        Enumerable.Range(0, 5).SelectMany(_ => c.Next(16)).Should().NotEqual(drawA);
    }

    [Fact]
    public void OffsetsCoverTheRangeUniformly()
    {
        // 20 bins of 50 offsets, 40,000 draws: chi-square with 19 degrees of freedom stays below 43.82 (p = 0.001)
        // for a uniform sampler.
        TokenStreamFile.Write(PathOf("u.bustok"), new ushort[1000 + 8], CharVocabulary.Alphabet);
        using var data = new TokenStreamData(PathOf("u.bustok"), context: 8);
        data.Offsets.Should().Be(1000);
        var sampler = data.CreateSampler(new BusRandom(5));
        var counts = new long[20];
        for (int i = 0; i < 1000; i++)
            foreach (var o in sampler.Next(40)) counts[o / 50]++;
        double expected = 40_000 / 20.0;
        double chi = counts.Sum(c => (c - expected) * (c - expected) / expected);
        chi.Should().BeLessThan(43.82);
        counts.Should().OnlyContain(c => c > 0);
    }

    [Fact]
    public void TrainWindowsNeverCrossIntoTheDevRange()
    {
        // Train tokens are all 1, dev tokens all 2: any window crossing the boundary would mix them.
        var tokens = Enumerable.Repeat((ushort)1, 900).Concat(Enumerable.Repeat((ushort)2, 100)).ToArray();
        TokenStreamFile.Write(PathOf("s.bustok"), tokens, CharVocabulary.Alphabet);
        var (train, dev) = TokenStreamData.Split(PathOf("s.bustok"), context: 16, devFraction: 0.1);
        using (train)
        using (dev)
        {
            train.End.Should().Be(900);
            dev.Start.Should().Be(900);
            var sampler = train.CreateSampler(new BusRandom(3));
            using var scope = NewDisposeScope();
            for (int i = 0; i < 200; i++)
            {
                var (x, y) = train.Batch(tensor(sampler.Next(32)));
                x.eq(1).all().item<bool>().Should().BeTrue();
                y.eq(1).all().item<bool>().Should().BeTrue();
            }
            foreach (var chunk in dev.EvaluationIndices(null).Chunk(4))
            {
                var (x, y) = dev.Batch(tensor(chunk));
                x.eq(2).all().item<bool>().Should().BeTrue();
                y.eq(2).all().item<bool>().Should().BeTrue();
            }
        }
    }

    [Fact]
    public void EpochsCountDrawnWindows()
    {
        var sampler = new WindowSampler(100, 10, new BusRandom(1));
        sampler.Next(4); sampler.Next(4);
        sampler.EpochCompleted.Should().BeFalse();
        sampler.Next(4);
        sampler.EpochCompleted.Should().BeTrue();
        sampler.Epoch.Should().Be(0, "the last draw (windows 9..12) started in epoch 0 and completed it");
        sampler.Next(4);
        (sampler.Epoch, sampler.EpochCompleted).Should().Be((1, false));
        var restored = new WindowSampler(100, 10, new BusRandom(1)) { State = sampler.State };
        restored.Epoch.Should().Be(sampler.Epoch);
    }

    [Fact]
    public void BadFilesAreRefusedNamingTheFile()
    {
        File.WriteAllText(PathOf("bad.bustok"), "not a token file at all");
        var act = () => new TokenStreamData(PathOf("bad.bustok"), 4);
        act.Should().Throw<InvalidDataException>().WithMessage("*bad.bustok*BUSTOK01*");
        TokenStreamFile.Write(PathOf("short.bustok"), new ushort[10], CharVocabulary.Alphabet);
        var bytes = File.ReadAllBytes(PathOf("short.bustok"));
        File.WriteAllBytes(PathOf("cut.bustok"), bytes[..^3]);
        var cut = () => TokenStreamFile.ReadHeader(PathOf("cut.bustok"));
        cut.Should().Throw<InvalidDataException>().WithMessage("*cut.bustok*10 uint8 tokens*");
        var tooLong = () => new TokenStreamData(PathOf("short.bustok"), 10);
        tooLong.Should().Throw<ArgumentOutOfRangeException>().WithParameterName("context");
        var missing = () => TokenStreamFile.Prepare(PathOf("nope.txt"), PathOf("x.bustok"));
        missing.Should().Throw<FileNotFoundException>().WithMessage("*nope.txt*");
    }

    private sealed class SyncProgress(Action<double> report) : IProgress<double>
    {
        public void Report(double value) => report(value);
    }

    public void Dispose()
    {
        try { Directory.Delete(_dir, recursive: true); } catch (IOException) { }
        GC.SuppressFinalize(this);
    }
}
