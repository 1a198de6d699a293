namespace Bus.Core.Tests.Data;

/// <summary>
/// Issue 23, verified token streams: the hash is checked in chunks when a stream is opened (memory flat), an id outside
/// the vocabulary is refused naming the file and the token offset, the vocabulary is part of the run fingerprint, a file
/// truncated or changed under an open view is an <see cref="InvalidDataException"/>, a prepared stream is reused only for
/// the bytes it was prepared from, and preparations never share a temporary file. Every random draw is seeded.
/// </summary>
[Collection(DeterminismCollection.Name)]
public sealed class TokenStreamVerificationTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("bus-token-verify-").FullName;

    private string PathOf(string name) => Path.Combine(_dir, name);

    private static ushort[] RandomTokens(int count, int vocabulary, int seed)
    {
        var random = new Random(seed);
        return Enumerable.Range(0, count).Select(_ => (ushort)random.Next(vocabulary)).ToArray();
    }

    /// <summary>Overwrites token <paramref name="token"/> of a uint8 or uint16 stream in place (the header's hash is left as it was).</summary>
    private static void Poke(string path, long token, ushort id)
    {
        var (header, offset) = TokenStreamFile.ReadHeader(path);
        using var file = new FileStream(path, FileMode.Open, FileAccess.Write, FileShare.ReadWrite | FileShare.Delete);
        file.Position = offset + token * header.BytesPerToken;
        if (header.BytesPerToken == 1) file.WriteByte((byte)id);
        else file.Write([(byte)id, (byte)(id >> 8)]);
    }

    [Fact]
    public void VerifyStreamsTheFileInChunksWithFlatMemory()
    {
        const int count = 6 << 20; // 6 MiB of uint8 tokens: six chunks
        var header = TokenStreamFile.Write(PathOf("big.bustok"), RandomTokens(count, 27, seed: 1), CharVocabulary.Alphabet);
        TokenStreamFile.Verify(PathOf("big.bustok")); // warm-up (JIT)
        long before = GC.GetAllocatedBytesForCurrentThread();
        var verified = TokenStreamFile.Verify(PathOf("big.bustok"));
        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        verified.Should().Be(header);
        allocated.Should().BeLessThan(2L << 20, "one 1 MiB chunk buffer, not the 6 MiB file");
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    public void AnIdOutsideTheVocabularyIsRefusedNamingTheFileAndTheTokenOffset(int bytesPerToken)
    {
        string vocabulary = bytesPerToken == 1 ? CharVocabulary.Alphabet : new string(Enumerable.Range(0, 300).Select(i => (char)(0x100 + i)).ToArray());
        int count = TokenStreamFile.VerifyChunkBytes / bytesPerToken * 2 + 100; // the bad id lies in the third chunk
        long bad = count - 1 - new Random(7).Next(50);
        TokenStreamFile.Write(PathOf("ids.bustok"), RandomTokens(count, vocabulary.Length, seed: 2), vocabulary);
        ushort id = bytesPerToken == 1 ? (ushort)0xFF : (ushort)0xFFFF;
        Poke(PathOf("ids.bustok"), bad, id);

        var open = () => TokenStreamData.Split(PathOf("ids.bustok"), context: 8);
        open.Should().Throw<InvalidDataException>()
            .WithMessage($"*ids.bustok: token {bad} has id {id}, outside the vocabulary of {vocabulary.Length} symbols*");
        var single = () => new TokenStreamData(PathOf("ids.bustok"), context: 8);
        single.Should().Throw<InvalidDataException>().WithMessage($"*token {bad} has id {id}*");
    }

    [Fact]
    public void AnInRangeChangeIsRefusedByTheHash()
    {
        var tokens = RandomTokens(5000, 27, seed: 3);
        TokenStreamFile.Write(PathOf("edit.bustok"), tokens, CharVocabulary.Alphabet);
        Poke(PathOf("edit.bustok"), 1234, (ushort)((tokens[1234] + 1) % 27));
        var open = () => TokenStreamData.Split(PathOf("edit.bustok"), context: 8);
        open.Should().Throw<InvalidDataException>().WithMessage("*edit.bustok: the tokens' SHA-256 is *; the header says *");
    }

    [Fact]
    public void AFileTruncatedOrChangedUnderAnOpenViewIsAClearError()
    {
        TokenStreamFile.Write(PathOf("cut.bustok"), RandomTokens(4000, 27, seed: 4), CharVocabulary.Alphabet);
        using var data = new TokenStreamData(PathOf("cut.bustok"), context: 16);
        var (x, y) = data.Windows([data.Offsets - 1]);
        x.Dispose(); y.Dispose();

        Poke(PathOf("cut.bustok"), 100, 0xFF);
        var changed = () => data.Windows([90]);
        changed.Should().Throw<InvalidDataException>().WithMessage("*cut.bustok: token 100 has id 255*");

        var (_, offset) = TokenStreamFile.ReadHeader(PathOf("cut.bustok"));
        using (var file = new FileStream(PathOf("cut.bustok"), FileMode.Open, FileAccess.Write, FileShare.ReadWrite | FileShare.Delete))
            file.SetLength(offset + 2000);
        var truncated = () => data.Windows([data.Offsets - 1]);
        truncated.Should().Throw<InvalidDataException>().WithMessage($"*cut.bustok: the file was truncated while in use: the window at token {data.Offsets - 1}*");
        var (a, b) = data.Windows([0]); // windows still inside the file read as before
        a.Dispose(); b.Dispose();
    }

    [Fact]
    public void TheVocabularyIsPartOfTheFingerprintSoAPermutedOneIsRefusedOnResume()
    {
        var tokens = RandomTokens(3000, 27, seed: 5);
        var shuffle = new Random(6);
        var permuted = new string(CharVocabulary.Alphabet.OrderBy(_ => shuffle.Next()).ToArray());
        permuted.Should().NotBe(CharVocabulary.Alphabet);
        TokenStreamFile.Write(PathOf("a.bustok"), tokens, CharVocabulary.Alphabet);
        TokenStreamFile.Write(PathOf("b.bustok"), tokens, permuted);
        using (var a = new TokenStreamData(PathOf("a.bustok"), 16))
        using (var b = new TokenStreamData(PathOf("b.bustok"), 16))
        {
            a.Header.Sha256.Should().Be(b.Header.Sha256, "the token bytes are the same");
            a.Fingerprint.Should().NotBe(b.Fingerprint);
            a.Fingerprint.Should().Contain("vocabulary 27 sha256 ").And.Contain("normalization text8 dtype uint8");
        }

        string checkpoints = PathOf("ck");
        Fit(PathOf("corpus.bustok"), checkpoints, tokens, CharVocabulary.Alphabet).Dispose();
        var resume = () => Fit(PathOf("corpus.bustok"), checkpoints, tokens, permuted);
        var error = resume.Should().Throw<ResumeMismatchException>().Which;
        error.Differences.Should().Contain(d => d.StartsWith("data.train:", StringComparison.Ordinal) && d.Contains("vocabulary 27 sha256", StringComparison.Ordinal));
        Fit(PathOf("corpus.bustok"), checkpoints, tokens, CharVocabulary.Alphabet).Dispose(); // the same vocabulary resumes
    }

    private static GrowableTransformer Fit(string path, string checkpoints, ushort[] tokens, string vocabulary)
    {
        TokenStreamFile.Write(path, tokens, vocabulary);
        var (train, dev) = TokenStreamData.Split(path, context: 16);
        using (train)
        using (dev)
        {
            var config = new TransformerConfig { DModel = 16, Heads = 2, FeedForwardSize = 32, Layers = 1, MaxLength = 16, VocabSize = CharVocabulary.Size, Mode = ModelMode.Decoder };
            var options = new TrainerOptions { BatchSize = 4, Budget = Budget.Steps(2), Seed = 3, MaxEvalExamples = 4, Checkpoint = new CheckpointOptions { Directory = checkpoints, EverySteps = 1 } };
            return new Trainer(options).Fit(GrowableTransformer.Create(config, 3), train, dev, SequenceObjective.LanguageModel).Model;
        }
    }

    [Fact]
    public void APreparedStreamIsReusedOnlyForTheBytesItWasPreparedFrom()
    {
        File.WriteAllText(PathOf("t.txt"), "the quick brown fox jumps over the lazy dog");
        var header = TokenStreamFile.Prepare(PathOf("t.txt"), PathOf("t.txt.bustok"));
        header.SourceLength.Should().Be(new FileInfo(PathOf("t.txt")).Length);
        header.SourceSha256.Should().HaveLength(64);
        TokenStreamFile.ReadHeader(PathOf("t.txt.bustok")).Header.Should().Be(header);
        TokenStreamFile.IsPreparedFrom(PathOf("t.txt.bustok"), PathOf("t.txt")).Should().BeTrue();

        // A text replaced by another of the same length, dated before the stream: the dates say "up to date", the bytes do not.
        File.WriteAllText(PathOf("t.txt"), "THE QUICK BROWN CAT JUMPS OVER THE LAZY DOG");
        File.SetLastWriteTimeUtc(PathOf("t.txt"), File.GetLastWriteTimeUtc(PathOf("t.txt.bustok")).AddDays(-1));
        TokenStreamFile.IsPreparedFrom(PathOf("t.txt.bustok"), PathOf("t.txt")).Should().BeFalse();

        TokenStreamFile.Write(PathOf("w.bustok"), RandomTokens(100, 27, seed: 8), CharVocabulary.Alphabet);
        TokenStreamFile.IsPreparedFrom(PathOf("w.bustok"), PathOf("t.txt")).Should().BeFalse("a stream without a source hash is never trusted as a cache");
        TokenStreamFile.IsPreparedFrom(PathOf("missing.bustok"), PathOf("t.txt")).Should().BeFalse();
    }

    [Fact]
    public void PreparationsNeverShareATemporaryFileAndACancelledOneLeavesNothing()
    {
        File.WriteAllText(PathOf("c.txt"), string.Concat(Enumerable.Repeat("It was the best of times. ", 40_000))); // ~1 MB: two reads
        // The old fixed temporary name, held open exclusively by "another preparation".
        using (new FileStream(PathOf("c.bustok.tmp"), FileMode.Create, FileAccess.ReadWrite, FileShare.None))
        {
            // A second preparation of the same output runs to the end inside the first one's progress callback.
            bool nested = false;
            var outer = TokenStreamFile.Prepare(PathOf("c.txt"), PathOf("c.bustok"), new SyncProgress(_ =>
            {
                if (nested) return;
                nested = true;
                TokenStreamFile.Prepare(PathOf("c.txt"), PathOf("c.bustok"));
                TokenStreamFile.Verify(PathOf("c.bustok"));
            }));
            nested.Should().BeTrue();
            TokenStreamFile.Verify(PathOf("c.bustok")).Should().Be(outer);
        }

        File.Delete(PathOf("c.bustok.tmp"));
        using var cts = new CancellationTokenSource();
        cts.Cancel();
        var cancelled = () => TokenStreamFile.Prepare(PathOf("c.txt"), PathOf("d.bustok"), cancellationToken: cts.Token);
        cancelled.Should().Throw<OperationCanceledException>();
        File.Exists(PathOf("d.bustok")).Should().BeFalse();
        Directory.GetFiles(_dir, "*.tmp").Should().BeEmpty("the temporary file of a failed preparation is removed");
    }

    private sealed class SyncProgress(Action<double> report) : IProgress<double>
    {
        public void Report(double value) => report(value);
    }

    public void Dispose()
    {
        try { Directory.Delete(_dir, recursive: true); } catch (IOException) { }
    }
}
