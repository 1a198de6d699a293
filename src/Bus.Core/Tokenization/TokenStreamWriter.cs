namespace Bus.Core.Tokenization;

/// <summary>
/// Writes a <c>.bustok</c> token stream for one tokenizer as the ids come (memory O(buffer)): uint8 ids for a vocabulary of
/// at most 256, uint16 up to 65,536, uint32 beyond. The tokens go to a temporary file unique to this writer after a reserved
/// header; <see cref="Complete"/> writes the header and moves the file into place; disposing without completing removes it.
/// </summary>
internal sealed class TokenStreamWriter : IDisposable
{
    private readonly ITextTokenizer _tokenizer;
    private readonly string _output, _temp, _source;
    private readonly FileStream _file;
    private readonly IncrementalHash _hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
    private readonly byte[] _buffer = new byte[1 << 20];
    private readonly int _reserved, _width;
    private int _used;
    private bool _completed;

    public TokenStreamWriter(string outputPath, ITextTokenizer tokenizer, string source)
    {
        (_output, _tokenizer, _source) = (Path.GetFullPath(outputPath), tokenizer, source);
        _width = tokenizer.VocabularySize <= 256 ? 1 : tokenizer.VocabularySize <= 65536 ? 2 : 4;
        _reserved = TokenStreamFile.Padded(TokenStreamFile.Serialize(Header(long.MaxValue, new string('0', 64), long.MaxValue,
            long.MaxValue)).Length);
        Directory.CreateDirectory(Path.GetDirectoryName(_output)!);
        _temp = Path.Combine(Path.GetDirectoryName(_output)!, $".{Path.GetFileName(_output)}.{Guid.NewGuid():N}.tmp");
        _file = new FileStream(_temp, FileMode.CreateNew, FileAccess.ReadWrite, FileShare.None, 1 << 20);
        _file.Position = 16 + _reserved;
    }

    /// <summary>Tokens written so far.</summary>
    public long Count { get; private set; }

    /// <summary>Appends <paramref name="ids"/>.</summary>
    /// <exception cref="InvalidDataException">An id lies outside the tokenizer's vocabulary.</exception>
    public void Write(IReadOnlyList<int> ids)
    {
        for (int i = 0; i < ids.Count; i++) Write(ids[i]);
    }

    /// <summary>Appends one id.</summary>
    public void Write(int id)
    {
        if ((uint)id >= (uint)_tokenizer.VocabularySize)
            throw new InvalidDataException($"Tokenizer {_tokenizer.Identity.Name} produced id {id} at token {Count}, outside its "
                + $"vocabulary of {_tokenizer.VocabularySize}.");
        if (_used + _width > _buffer.Length) Flush();
        switch (_width)
        {
            case 1: _buffer[_used] = (byte)id; break;
            case 2: BinaryPrimitives.WriteUInt16LittleEndian(_buffer.AsSpan(_used), (ushort)id); break;
            default: BinaryPrimitives.WriteUInt32LittleEndian(_buffer.AsSpan(_used), (uint)id); break;
        }
        _used += _width;
        Count++;
    }

    /// <summary>
    /// Writes the header (with <paramref name="textBytes"/> and <paramref name="documents"/>) and moves the file into
    /// place.
    /// </summary>
    public TokenStreamHeader Complete(long textBytes, long documents)
    {
        Flush();
        var header = Header(Count, Convert.ToHexStringLower(_hash.GetHashAndReset()), textBytes, documents);
        _file.Position = 0;
        TokenStreamFile.WritePrefix(_file, TokenStreamFile.Serialize(header), _reserved);
        _file.Dispose();
        File.Move(_temp, _output, overwrite: true);
        _completed = true;
        return header;
    }

    private TokenStreamHeader Header(long count, string sha256, long textBytes, long documents)
    {
        bool chars = _tokenizer is Text8Tokenizer;
        return new TokenStreamHeader(chars ? CharVocabulary.Alphabet : "", chars ? "text8" : "none",
            _width switch { 1 => "uint8", 2 => "uint16", _ => "uint32" }, count, sha256, _source,
            Tokenizer: _tokenizer.Identity.Name, TokenizerSha256: _tokenizer.Identity.Sha256,
                TokenizerVocabularySize: _tokenizer.VocabularySize,
            TextBytes: textBytes, Documents: documents, Separator: _tokenizer.DocumentSeparator,
            TokenizerSpec: ModelTokenizer.SpecOf(_tokenizer));
    }

    private void Flush()
    {
        _file.Write(_buffer, 0, _used);
        _hash.AppendData(_buffer, 0, _used);
        _used = 0;
    }

    public void Dispose()
    {
        _hash.Dispose();
        if (_completed) return;
        _file.Dispose();
        try { File.Delete(_temp); } catch (IOException) { } catch (UnauthorizedAccessException) { }
    }
}
