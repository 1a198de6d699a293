namespace Bus.Core.Data;

/// <summary>
/// A contiguous range of a <c>.bustok</c> token stream, seen as next-token windows of
/// <see cref="Context"/> tokens: the window at offset o has inputs tokens[o..o+T) and targets tokens[o+1..o+T]
/// (both inside the range, so a window never crosses a train/dev boundary). Training draws windows at uniform
/// random offsets (<see cref="WindowSampler"/>); evaluation reads consecutive non-overlapping windows from the
/// range's start. The file stays open and each window is read with a positioned read (served from the OS page cache, as a
/// memory map would be), so memory is O(batch) and a file truncated or changed under a running run is an
/// <see cref="InvalidDataException"/> naming the file and the token offset, never a native crash. Opening a view
/// verifies the whole stream first (<see cref="TokenStreamFile.Verify"/>: ids inside the vocabulary, SHA-256 as the
/// header says), streaming in chunks.
/// </summary>
public sealed class TokenStreamData : ITrainingData, Checkpoints.IFingerprinted, IDisposable
{
    private readonly SafeFileHandle _file;
    private readonly long _rangeOffset;
    private readonly int _bytesPerToken;
    private bool _disposed;

    /// <summary>
    /// Opens tokens [<paramref name="start"/>, <paramref name="end"/>) of <paramref name="path"/> as windows of
    /// <paramref name="context"/> tokens, after verifying the whole file (<see cref="TokenStreamFile.Verify"/>) unless
    /// <paramref name="verify"/> is false (the caller verified it already, as <see cref="Split"/> does).
    /// </summary>
    /// <exception cref="FileNotFoundException">The file does not exist.</exception>
    /// <exception cref="InvalidDataException">The file is not a valid token stream, fails verification (an id outside the
    /// vocabulary, named with its token offset, or a hash that differs from the header's).</exception>
    /// <exception cref="ArgumentOutOfRangeException">The range is outside the file or holds no full window (context + 1
    /// tokens).</exception>
    public TokenStreamData(string path, int context, long start = 0, long? end = null, bool verify = true)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(context);
        if (verify) TokenStreamFile.Verify(path);
        var (header, dataOffset) = TokenStreamFile.ReadHeader(path);
        long last = end ?? header.Count;
        if (start < 0 || last > header.Count || start >= last)
            throw new ArgumentOutOfRangeException(
                nameof(start), $"Token range [{start}, {last}) must lie inside the {header.Count} tokens of {path}.");
        if (last - start < context + 1L)
            throw new ArgumentOutOfRangeException(nameof(context), context,
                $"Context {context} needs {context + 1} tokens per window; the range [{start}, {last}) of {path} holds {last - start}.");
        Path = path;
        Header = header;
        Context = context;
        Start = start;
        End = last;
        _bytesPerToken = header.BytesPerToken;
        _rangeOffset = dataOffset + start * _bytesPerToken;
        _file = File.OpenHandle(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
    }

    /// <summary>
    /// Opens <paramref name="path"/> as a training range and a dev range: the first 1 - <paramref name="devFraction"/>
    /// of the tokens train, the rest is dev (contiguous ranges, not windows). The file is verified once first
    /// (<see cref="TokenStreamFile.Verify"/>).
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">The fraction is not in (0, 1), or a range holds no full window.</exception>
    /// <exception cref="InvalidDataException">The file is not a valid token stream or fails verification.</exception>
    public static (TokenStreamData Train, TokenStreamData Dev) Split(string path, int context, double devFraction = 0.1)
    {
        if (!double.IsFinite(devFraction) || devFraction <= 0 || devFraction >= 1)
            throw new ArgumentOutOfRangeException(nameof(devFraction), devFraction, "The dev fraction must lie in (0, 1).");
        var header = TokenStreamFile.Verify(path);
        long boundary = header.Count - (long)Math.Round(header.Count * devFraction);
        var train = new TokenStreamData(path, context, 0, boundary, verify: false);
        try { return (train, new TokenStreamData(path, context, boundary, header.Count, verify: false)); }
        catch { train.Dispose(); throw; }
    }

    /// <summary>The mapped file.</summary>
    public string Path { get; }

    /// <summary>The file's header (vocabulary, normalisation, hash).</summary>
    public TokenStreamHeader Header { get; }

    /// <summary>Symbols in the vocabulary (a model's VocabSize must be at least this).</summary>
    public int VocabularySize => Header.VocabularySize;

    /// <summary>Tokens per window, T.</summary>
    public int Context { get; }

    /// <summary>First token of the range (inclusive).</summary>
    public long Start { get; }

    /// <summary>End of the range (exclusive).</summary>
    public long End { get; }

    /// <summary>Window offsets available, 0..Offsets-1 relative to <see cref="Start"/> (each window needs T + 1 tokens).</summary>
    public long Offsets => End - Start - Context;

    /// <summary>Non-overlapping windows in the range: one epoch.</summary>
    public long Count => (End - Start - 1) / Context;

    /// <inheritdoc />
    public int? SequenceLength => Context;

    /// <summary>
    /// The run-fingerprint identity of this view: the file's token hash (verified when the view was opened), the
    /// tokenizer (the vocabulary's size and the SHA-256 of its symbols in id order, the normalisation, the dtype, and for a
    /// stream with a named tokenizer its identity: name and vocabulary hash), the token range and the context; a checkpoint
    /// of a run on a stream of another tokenizer is refused on resume. A stream with the same token bytes under a permuted vocabulary is
    /// another run.
    /// </summary>
    public string Fingerprint =>
        $"tokens sha256 {Header.Sha256[..Math.Min(16, Header.Sha256.Length)]} vocabulary {VocabularySize} sha256 " +
        $"{Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(Header.Vocabulary)))[..16]} normalization " +
        $"{Header.Normalization} dtype {Header.Dtype} range [{Start}, {End}) context {Context}{TokenizerPart}";

    // Streams of a named (non-character) tokenizer add its identity; character streams keep the fingerprint they always had (their runs
    // resume).
    private string TokenizerPart => Header.Vocabulary.Length > 0 ? "" : $" tokenizer {Header.TokenizerIdentity}";

    /// <summary>Windows at offsets <paramref name="indices"/> (relative to <see cref="Start"/>): int64 inputs and targets [n, T].</summary>
    /// <exception cref="ArgumentOutOfRangeException">An offset is outside 0..<see cref="Offsets"/>-1.</exception>
    public (Tensor Inputs, Tensor Targets) Batch(Tensor indices)
    {
        ArgumentNullException.ThrowIfNull(indices);
        if (indices.dim() != 1 || indices.dtype is not (ScalarType.Int64 or ScalarType.Int32))
            throw new ArgumentException(
                $"Offsets must be a 1-D int64 or int32 tensor, got {indices.dtype} with shape [{string.Join(",", indices.shape)}].",
                nameof(indices));
        using var cpu = indices.to(ScalarType.Int64).cpu();
        return Windows(cpu.data<long>().ToArray());
    }

    /// <summary>Windows at <paramref name="offsets"/> (relative to <see cref="Start"/>).</summary>
    /// <exception cref="ArgumentOutOfRangeException">An offset is outside 0..<see cref="Offsets"/>-1.</exception>
    /// <exception cref="InvalidDataException">The file was truncated or changed since it was opened: a window reaches past
    /// its end, or holds an id outside the vocabulary (the message names the file and the token offset).</exception>
    public (Tensor Inputs, Tensor Targets) Windows(long[] offsets)
    {
        ArgumentNullException.ThrowIfNull(offsets);
        ObjectDisposedException.ThrowIf(_disposed, this);
        int t = Context;
        var inputs = new long[offsets.Length * t];
        var targets = new long[offsets.Length * t];
        var window = new long[t + 1];
        var bytes = new byte[(t + 1) * _bytesPerToken];
        for (int row = 0; row < offsets.Length; row++)
        {
            long o = offsets[row];
            if (o < 0 || o >= Offsets)
                throw new ArgumentOutOfRangeException(
                    nameof(offsets), $"Window offset {o} is outside 0..{Offsets - 1} (range [{Start}, {End}) of {Path}, context {t}).");
            long token = Start + o;
            int read = TokenStreamFile.ReadFully(_file, bytes, _rangeOffset + o * _bytesPerToken);
            if (read < bytes.Length)
                throw new InvalidDataException(
                    $"{Path}: the file was truncated while in use: the window at token {token} needs {bytes.Length} bytes from byte " +
                    $"{_rangeOffset + o * _bytesPerToken}, and the file has {RandomAccess.GetLength(_file)} bytes (its header says " +
                    $"{Header.Count} tokens).");
            int bad = TokenStreamFile.FirstOutOfRange(bytes, _bytesPerToken, VocabularySize);
            if (bad >= 0)
                throw TokenStreamFile.OutOfRange(Path, token + bad, TokenStreamFile.TokenAt(bytes, _bytesPerToken, bad), VocabularySize);
            for (int i = 0; i <= t; i++)
                window[i] = TokenStreamFile.TokenAt(bytes, _bytesPerToken, i);
            Array.Copy(window, 0, inputs, row * t, t);
            Array.Copy(window, 1, targets, row * t, t);
        }
        return (tensor(inputs, [offsets.Length, t], ScalarType.Int64), tensor(targets, [offsets.Length, t], ScalarType.Int64));
    }

    /// <summary>Uniform random window offsets drawn with <paramref name="random"/> (the run's checkpointed generator).</summary>
    public IExampleSampler CreateSampler(Random random) => new WindowSampler(Offsets, Count, random);

    /// <summary>Offsets 0, T, 2T, ... of consecutive non-overlapping windows, the first <paramref name="maxExamples"/>.</summary>
    public IEnumerable<long> EvaluationIndices(long? maxExamples)
    {
        long n = Math.Min(Count, maxExamples ?? long.MaxValue);
        for (long i = 0; i < n; i++) yield return i * Context;
    }

    /// <summary>Closes the file.</summary>
    public void Dispose()
    {
        if (_disposed) return;
        _disposed = true;
        _file.Dispose();
    }
}
