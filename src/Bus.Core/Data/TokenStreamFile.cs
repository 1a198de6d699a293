namespace Bus.Core.Data;

/// <summary>
/// The <c>.bustok</c> token-stream format (nanoGPT's train.bin idea, with a header): bytes 0..7 the ASCII magic
/// <c>BUSTOK01</c>; bytes 8..15 the header length H (uint64 little-endian); bytes 16..16+H-1 the UTF-8 JSON
/// <see cref="TokenStreamHeader"/>, padded with spaces so 16+H is a multiple of 8; then the tokens (uint8, or
/// uint16 little-endian). <see cref="Prepare"/> writes one from any text, normalised as text8.
/// </summary>
public static class TokenStreamFile
{
    /// <summary>The file extension, ".bustok".</summary>
    public const string Extension = ".bustok";

    /// <summary>The 8-byte magic at the start of every file.</summary>
    public static ReadOnlySpan<byte> Magic => "BUSTOK01"u8;

    private static readonly JsonSerializerOptions Json =
        new() { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    /// <summary>Reads and checks the header of <paramref name="path"/>; returns it and the byte offset of the first token.</summary>
    /// <exception cref="FileNotFoundException">The file does not exist.</exception>
    /// <exception cref="InvalidDataException">The magic, header or length is wrong (the message names the file).</exception>
    public static (TokenStreamHeader Header, long DataOffset) ReadHeader(string path)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        if (!File.Exists(path)) throw new FileNotFoundException($"Token-stream file {path} does not exist.", path);
        using var stream = File.OpenRead(path);
        Span<byte> prefix = stackalloc byte[16];
        if (stream.Read(prefix) != 16 || !prefix[..8].SequenceEqual(Magic))
            throw new InvalidDataException($"{path} is not a token-stream file: it does not start with the magic 'BUSTOK01'.");
        ulong h = BinaryPrimitives.ReadUInt64LittleEndian(prefix[8..]);
        if (h == 0 || h > 1 << 20 || (16 + h) % 8 != 0 || 16 + (long)h > stream.Length)
            throw new InvalidDataException(
                $"{path}: header length {h} is invalid (it must be positive, at most 1 MiB, make 16+H a multiple of 8, and fit the file " +
                $"of {stream.Length} bytes).");
        var json = new byte[h];
        stream.ReadExactly(json);
        TokenStreamHeader header;
        try
        {
            header = JsonSerializer.Deserialize<TokenStreamHeader>(json, Json)
                ?? throw new InvalidDataException($"{path}: the header is JSON null.");
        }
        catch (JsonException e) { throw new InvalidDataException($"{path}: the header is not valid JSON ({e.Message}).", e); }
        if (header.Vocabulary is null || (header.Vocabulary.Length == 0 && header.Tokenizer is null))
            throw new InvalidDataException($"{path}: the header has no vocabulary.");
        if (header.Tokenizer is not null && header.VocabularySize <= 0)
            throw new InvalidDataException($"{path}: the header names tokenizer '{header.Tokenizer}' but no positive vocabulary_size.");
        long dataOffset = 16 + (long)h;
        long expected = dataOffset + header.Count * header.BytesPerToken;
        if (header.Count < 0 || expected != stream.Length)
            throw new InvalidDataException(
                $"{path}: the header says {header.Count} {header.Dtype} tokens ({expected} bytes in all), but the file has " +
                $"{stream.Length} bytes.");
        if ((header.BytesPerToken == 1 && header.VocabularySize > 256) || (header.BytesPerToken == 2 && header.VocabularySize > 65536))
            throw new InvalidDataException($"{path}: a vocabulary of {header.VocabularySize} symbols does not fit {header.Dtype} tokens.");
        return (header, dataOffset);
    }

    /// <summary>
    /// Normalises the text in <paramref name="textPath"/> as text8 (<see cref="Text8"/>), encodes it with the 27-symbol
    /// <see cref="CharVocabulary"/> as uint8 tokens and writes <paramref name="outputPath"/>, streaming (memory O(buffer)).
    /// The header records the source's length and SHA-256 (<see cref="IsPreparedFrom"/>).
    /// <paramref name="progress"/> receives the fraction of the source read. The file appears atomically (written
    /// to a temporary name unique to this call, then moved), and the temporary file is removed when preparing fails or is
    /// cancelled, so two preparations of one output never share a temporary file.
    /// </summary>
    /// <exception cref="FileNotFoundException">The text file does not exist.</exception>
    /// <exception cref="InvalidDataException">The normalised text is empty, or the text is not UTF-8 or longer than
    /// <see cref="CorpusText.MaxBytes"/> (<see cref="CorpusText"/>; the message names the file and the byte offset).</exception>
    public static TokenStreamHeader Prepare(string textPath, string outputPath, IProgress<double>? progress = null,
        CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(textPath);
        ArgumentException.ThrowIfNullOrWhiteSpace(outputPath);
        if (!File.Exists(textPath)) throw new FileNotFoundException($"Corpus text file {textPath} does not exist.", textPath);
        CorpusText.Check(textPath); // a binary or UTF-16 file is refused before the output is created
        var source = Path.GetFileName(textPath);
        // Reserve a header large enough for any count and the hashes, so the tokens can stream straight after it.
        var placeholder = new TokenStreamHeader(CharVocabulary.Alphabet, "text8", "uint8", long.MaxValue, new string('0', 64), source,
            long.MaxValue, new string('0', 64));
        int reserved = Padded(Serialize(placeholder).Length);
        string full = Path.GetFullPath(outputPath);
        Directory.CreateDirectory(Path.GetDirectoryName(full)!);
        string temp = Path.Combine(Path.GetDirectoryName(full)!, $".{Path.GetFileName(full)}.{Guid.NewGuid():N}.tmp");
        TokenStreamHeader header;
        try
        {
            using (var output = new FileStream(temp, FileMode.CreateNew, FileAccess.ReadWrite, FileShare.None, 1 << 20))
            {
                output.Position = 16 + reserved;
                using var text = new HashingReadStream(CorpusText.OpenRead(textPath));
                using var reader = new StreamReader(text, Encoding.UTF8, detectEncodingFromByteOrderMarks: true, bufferSize: 1 << 20);
                using var tokens = new TokenWriter(output);
                var normalizer = new Text8Normalizer(tokens);
                var buffer = new char[1 << 20];
                long length = Math.Max(1, text.Length);
                int read;
                while ((read = reader.Read(buffer, 0, buffer.Length)) > 0)
                {
                    cancellationToken.ThrowIfCancellationRequested();
                    normalizer.Append(buffer.AsSpan(0, read));
                    progress?.Report(Math.Min(1.0, (double)text.Position / length));
                }
                tokens.Flush();
                long count = tokens.Count;
                if (count == 0)
                    throw new InvalidDataException($"Corpus {textPath} holds no text8 characters (letters, digits) after normalisation.");
                header = new TokenStreamHeader(CharVocabulary.Alphabet, "text8", "uint8", count, tokens.Hash(), source, text.BytesRead,
                    text.Hash());
                output.Position = 0;
                WritePrefix(output, Serialize(header), reserved);
            }
            File.Move(temp, outputPath, overwrite: true);
        }
        catch
        {
            try { File.Delete(temp); } catch (IOException) { } catch (UnauthorizedAccessException) { }
            throw;
        }
        progress?.Report(1.0);
        return header;
    }

    /// <summary>
    /// True when <paramref name="streamPath"/> is a token stream prepared from <paramref name="textPath"/> as the text is
    /// now: its header records the text's length and SHA-256 and both match (the file dates are not trusted: a text
    /// replaced by an older-dated one is detected). False when the stream is missing, unreadable, written without a
    /// source hash, or prepared from other bytes.
    /// </summary>
    public static bool IsPreparedFrom(string streamPath, string textPath)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(streamPath);
        ArgumentException.ThrowIfNullOrWhiteSpace(textPath);
        if (!File.Exists(streamPath) || !File.Exists(textPath)) return false;
        TokenStreamHeader header;
        try { header = ReadHeader(streamPath).Header; }
        catch (InvalidDataException) { return false; }
        if (header.SourceSha256 is null || header.SourceLength != new FileInfo(textPath).Length) return false;
        using var text = File.OpenRead(textPath);
        return string.Equals(Convert.ToHexStringLower(SHA256.HashData(text)), header.SourceSha256, StringComparison.OrdinalIgnoreCase);
    }

    /// <summary>Writes a token-stream file holding <paramref name="tokens"/> (ids below the vocabulary size) — small corpora and
    /// tests.</summary>
    /// <exception cref="ArgumentOutOfRangeException">A token lies outside the vocabulary.</exception>
    public static TokenStreamHeader Write(string path, ReadOnlySpan<ushort> tokens, string vocabulary, string normalization = "text8",
        string source = "")
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        ArgumentException.ThrowIfNullOrEmpty(vocabulary);
        bool wide = vocabulary.Length > 256;
        var bytes = new byte[tokens.Length * (wide ? 2 : 1)];
        for (int i = 0; i < tokens.Length; i++)
        {
            if (tokens[i] >= vocabulary.Length)
                throw new ArgumentOutOfRangeException(
                    nameof(tokens), $"Token {tokens[i]} at position {i} is outside the vocabulary of {vocabulary.Length} symbols.");
            if (wide) BinaryPrimitives.WriteUInt16LittleEndian(bytes.AsSpan(2 * i), tokens[i]);
            else bytes[i] = (byte)tokens[i];
        }
        var header = new TokenStreamHeader(vocabulary, normalization, wide ? "uint16" : "uint8", tokens.Length,
            Convert.ToHexStringLower(SHA256.HashData(bytes)), source);
        var json = Serialize(header);
        using var output = File.Create(path);
        WritePrefix(output, json, Padded(json.Length));
        output.Write(bytes);
        return header;
    }

    /// <summary>
    /// Reads <paramref name="count"/> token ids from token <paramref name="start"/> of <paramref name="path"/> (any dtype),
    /// e.g. to decode a prepared stream back to text with its tokenizer.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">The range lies outside the stream.</exception>
    /// <exception cref="InvalidDataException">The file is not a valid token stream.</exception>
    public static int[] ReadTokens(string path, long start = 0, int? count = null)
    {
        var (header, offset) = ReadHeader(path);
        int n = count ?? (int)Math.Min(int.MaxValue, header.Count - start);
        if (start < 0 || n < 0 || start + n > header.Count)
            throw new ArgumentOutOfRangeException(
                nameof(start), $"Tokens [{start}, {start + n}) lie outside the {header.Count} tokens of {path}.");
        int width = header.BytesPerToken;
        var bytes = new byte[(long)n * width];
        using (var handle = File.OpenHandle(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete))
            if (ReadFully(handle, bytes, offset + start * width) < bytes.Length)
                throw new InvalidDataException($"{path}: the file ends before token {start + n}.");
        var ids = new int[n];
        for (int i = 0; i < n; i++) ids[i] = TokenAt(bytes, width, i);
        return ids;
    }

    /// <summary>Bytes read per chunk by <see cref="Verify"/> (a multiple of 8, so uint16 tokens never straddle two chunks).</summary>
    internal const int VerifyChunkBytes = 1 << 20;

    /// <summary>
    /// Reads the header, then streams the tokens once in chunks of <see cref="VerifyChunkBytes"/> (memory O(chunk),
    /// whatever the file's size): every id must lie inside the vocabulary and the SHA-256 of the token bytes must equal
    /// the header's. Returns the header.
    /// </summary>
    /// <exception cref="FileNotFoundException">The file does not exist.</exception>
    /// <exception cref="InvalidDataException">The header is invalid, an id lies outside the vocabulary (the message names the
    /// file, the token offset and the id), the file ends early, or the hash differs (the file is corrupt or was changed).</exception>
    public static TokenStreamHeader Verify(string path)
    {
        var (header, offset) = ReadHeader(path);
        int width = header.BytesPerToken, vocabulary = header.VocabularySize;
        using var handle = File.OpenHandle(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        var buffer = new byte[VerifyChunkBytes];
        long total = header.Count * width, done = 0;
        while (done < total)
        {
            int want = (int)Math.Min(buffer.Length, total - done);
            int read = ReadFully(handle, buffer.AsSpan(0, want), offset + done);
            if (read < want)
                throw new InvalidDataException(
                    $"{path}: the file ends at token {(done + read) / width} of the {header.Count} its header promises (it was truncated " +
                    $"while being read).");
            var chunk = buffer.AsSpan(0, want);
            int bad = FirstOutOfRange(chunk, width, vocabulary);
            if (bad >= 0)
                throw OutOfRange(path, done / width + bad, TokenAt(chunk, width, bad), vocabulary);
            hash.AppendData(chunk);
            done += want;
        }

        var actual = Convert.ToHexStringLower(hash.GetHashAndReset());
        if (!string.Equals(actual, header.Sha256, StringComparison.OrdinalIgnoreCase))
            throw new InvalidDataException(
                $"{path}: the tokens' SHA-256 is {actual}; the header says {header.Sha256} (the file is corrupt or was changed after it " +
                $"was written).");
        return header;
    }

    /// <summary>Reads into <paramref name="buffer"/> from <paramref name="position"/> until it is full or the file ends; returns the bytes
    /// read.</summary>
    internal static int ReadFully(Microsoft.Win32.SafeHandles.SafeFileHandle handle, Span<byte> buffer, long position)
    {
        int total = 0;
        while (total < buffer.Length)
        {
            int n = RandomAccess.Read(handle, buffer[total..], position + total);
            if (n <= 0) break;
            total += n;
        }
        return total;
    }

    /// <summary>Index (in tokens) of the first id in <paramref name="bytes"/> at or above <paramref name="vocabulary"/>, or -1.</summary>
    internal static int FirstOutOfRange(ReadOnlySpan<byte> bytes, int width, int vocabulary)
    {
        if (width == 1)
            return vocabulary > byte.MaxValue ? -1 : bytes.IndexOfAnyInRange((byte)vocabulary, byte.MaxValue);
        if (width == 4)
        {
            for (int i = 0; i < bytes.Length / 4; i++)
                if (BinaryPrimitives.ReadUInt32LittleEndian(bytes[(4 * i)..]) >= (uint)vocabulary) return i;
            return -1;
        }
        if (vocabulary > ushort.MaxValue) return -1;
        if (BitConverter.IsLittleEndian)
            return System.Runtime.InteropServices.MemoryMarshal.Cast<byte, ushort>(bytes)
                .IndexOfAnyInRange((ushort)vocabulary, ushort.MaxValue);
        for (int i = 0; i < bytes.Length / 2; i++)
            if (BinaryPrimitives.ReadUInt16LittleEndian(bytes[(2 * i)..]) >= vocabulary) return i;
        return -1;
    }

    /// <summary>The id of token <paramref name="index"/> in <paramref name="bytes"/>.</summary>
    internal static int TokenAt(ReadOnlySpan<byte> bytes, int width, int index) =>
        width switch
        {
            1 => bytes[index],
            2 => BinaryPrimitives.ReadUInt16LittleEndian(bytes[(2 * index)..]),
            _ => (int)Math.Min(int.MaxValue, BinaryPrimitives.ReadUInt32LittleEndian(bytes[(4 * index)..])),
        };

    /// <summary>The error for an id outside the vocabulary: the file, the token offset (from the first token) and the id.</summary>
    internal static InvalidDataException OutOfRange(string path, long tokenOffset, int id, int vocabulary) =>
        new($"{path}: token {tokenOffset} has id {id}, outside the vocabulary of {vocabulary} symbols (ids 0..{vocabulary - 1}); the " +
            $"file is corrupt.");

    internal static byte[] Serialize(TokenStreamHeader header) => JsonSerializer.SerializeToUtf8Bytes(header, Json);

    // 16 + H must be a multiple of 8.
    internal static int Padded(int jsonLength) => (jsonLength + 7) / 8 * 8;

    internal static void WritePrefix(Stream output, byte[] json, int headerLength)
    {
        Span<byte> length = stackalloc byte[8];
        BinaryPrimitives.WriteUInt64LittleEndian(length, (ulong)headerLength);
        output.Write(Magic);
        output.Write(length);
        output.Write(json);
        for (int i = json.Length; i < headerLength; i++) output.WriteByte((byte)' ');
    }

    /// <summary>A read-only stream that hashes (SHA-256) and counts the bytes read through it.</summary>
    private sealed class HashingReadStream(Stream inner) : Stream
    {
        private readonly IncrementalHash _hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);

        public long BytesRead { get; private set; }

        public string Hash() => Convert.ToHexStringLower(_hash.GetHashAndReset());

        public override bool CanRead => true;
        public override bool CanSeek => false;
        public override bool CanWrite => false;
        public override long Length => inner.Length;
        public override long Position { get => inner.Position; set => throw new NotSupportedException(); }
        public override void Flush() { }
        public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

        public override int Read(Span<byte> buffer)
        {
            int n = inner.Read(buffer);
            _hash.AppendData(buffer[..n]);
            BytesRead += n;
            return n;
        }

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();
        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

        protected override void Dispose(bool disposing)
        {
            if (disposing)
            {
                _hash.Dispose();
                inner.Dispose();
            }
            base.Dispose(disposing);
        }
    }

    /// <summary>Receives normalised text8 characters, writes their ids as bytes and hashes them.</summary>
    private sealed class TokenWriter(Stream output) : TextWriter
    {
        private readonly byte[] _buffer = new byte[1 << 20];
        private readonly IncrementalHash _hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        private int _used;

        public long Count { get; private set; }

        public override Encoding Encoding => Encoding.ASCII;

        public override void Write(char value)
        {
            if (_used == _buffer.Length) Flush();
            _buffer[_used++] = (byte)CharVocabulary.IdOf(value, Count, nameof(value));
            Count++;
        }

        public override void Write(string? value)
        {
            if (value is null) return;
            foreach (char c in value) Write(c);
        }

        public override void Flush()
        {
            output.Write(_buffer, 0, _used);
            _hash.AppendData(_buffer, 0, _used);
            _used = 0;
        }

        public string Hash() => Convert.ToHexStringLower(_hash.GetHashAndReset());

        protected override void Dispose(bool disposing)
        {
            if (disposing) _hash.Dispose();
            base.Dispose(disposing);
        }
    }
}
