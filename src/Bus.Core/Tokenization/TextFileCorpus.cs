namespace Bus.Core.Tokenization;

/// <summary>
/// One UTF-8 text file as one document, read through <see cref="CorpusText"/> (binary, UTF-16/32 and invalid UTF-8 refused,
/// naming the byte offset) in pieces of about <see cref="PieceChars"/> characters that end at a line break (or, in a line
/// longer than four pieces, anywhere between two characters).
/// </summary>
public sealed class TextFileCorpus : CorpusReader
{
    /// <summary>Characters read per piece before looking for the line break that ends it.</summary>
    public const int PieceChars = 1 << 20;

    private readonly string _path;
    private long _read, _length;

    /// <summary>Reads <paramref name="path"/>.</summary>
    public TextFileCorpus(string path)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        _path = path;
        _length = Math.Max(1, new FileInfo(path).Length);
    }

    /// <inheritdoc />
    public override double Progress => Math.Min(1.0, (double)_read / _length);

    /// <inheritdoc />
    public override IEnumerable<CorpusChunk> Read(CancellationToken cancellationToken = default) =>
        Pieces(_path, p => _read = p, cancellationToken)
        .Select((text, i) => new CorpusChunk(text, i == 0));

    /// <summary>The pieces of the file at <paramref name="path"/>; <paramref name="position"/> receives the bytes read so far.</summary>
    internal static IEnumerable<string> Pieces(string path, Action<long> position, CancellationToken cancellationToken)
    {
        using var stream = CorpusText.OpenRead(path);
        using var reader = new StreamReader(stream, Encoding.UTF8, detectEncodingFromByteOrderMarks: true, bufferSize: 1 << 16);
        var buffer = new char[PieceChars];
        var pending = new StringBuilder();
        int read;
        while ((read = reader.Read(buffer, 0, buffer.Length)) > 0)
        {
            cancellationToken.ThrowIfCancellationRequested();
            position(stream.Position);
            pending.Append(buffer, 0, read);
            if (pending.Length < PieceChars) continue;
            string text = pending.ToString();
            int cut = text.LastIndexOf('\n') + 1;
            if (cut == 0 && text.Length >= 4 * PieceChars) cut = char.IsHighSurrogate(text[^1]) ? text.Length - 1 : text.Length;
            if (cut == 0) continue;
            pending.Clear().Append(text, cut, text.Length - cut);
            yield return text[..cut];
        }
        position(stream.Position);
        if (pending.Length > 0) yield return pending.ToString();
    }
}
