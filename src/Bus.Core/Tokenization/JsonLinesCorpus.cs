namespace Bus.Core.Tokenization;

/// <summary>
/// JSON Lines: each non-blank line is a JSON object, and its string field <see cref="Field"/> is one document. The file is
/// read through <see cref="CorpusText"/> (binary and invalid UTF-8 refused); a line that is not a JSON object, or lacks the
/// field, or holds a non-string there, ends the read with one error naming the file, the line and the field.
/// </summary>
public sealed class JsonLinesCorpus : CorpusReader
{
    private readonly string _path;
    private readonly long _length;
    private long _read;

    /// <summary>Reads field <paramref name="field"/> of each line of <paramref name="path"/>.</summary>
    public JsonLinesCorpus(string path, string field)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        ArgumentException.ThrowIfNullOrWhiteSpace(field);
        (_path, Field) = (path, field);
        _length = Math.Max(1, new FileInfo(path).Length);
    }

    /// <summary>The field read from each line.</summary>
    public string Field { get; }

    /// <inheritdoc />
    public override double Progress => Math.Min(1.0, (double)_read / _length);

    /// <inheritdoc />
    public override IEnumerable<CorpusChunk> Read(CancellationToken cancellationToken = default)
    {
        using var stream = CorpusText.OpenRead(_path);
        using var reader = new StreamReader(stream, Encoding.UTF8, detectEncodingFromByteOrderMarks: true, bufferSize: 1 << 16);
        long number = 0;
        string? line;
        while ((line = reader.ReadLine()) is not null)
        {
            cancellationToken.ThrowIfCancellationRequested();
            number++;
            _read = stream.Position;
            if (string.IsNullOrWhiteSpace(line)) continue;
            yield return new CorpusChunk(Document(line, number), true);
        }
        _read = _length;
    }

    private string Document(string line, long number)
    {
        JsonDocument json;
        try { json = JsonDocument.Parse(line); }
        catch (JsonException e) { throw new InvalidDataException($"'{_path}' line {number} is not JSON: {e.Message}", e); }
        using (json)
        {
            if (json.RootElement.ValueKind != JsonValueKind.Object)
                throw new InvalidDataException(
                    $"'{_path}' line {number} is a JSON {json.RootElement.ValueKind}, not an object with field '{Field}'.");
            if (!json.RootElement.TryGetProperty(Field, out var value))
            {
                var names = string.Join(", ", json.RootElement.EnumerateObject().Select(p => p.Name).Take(20));
                throw new InvalidDataException($"--field {Field}: '{_path}' line {number} has no field '{Field}' (its fields: {names}).");
            }
            if (value.ValueKind != JsonValueKind.String)
                throw new InvalidDataException(
                    $"--field {Field}: '{_path}' line {number} holds a JSON {value.ValueKind} in '{Field}', not a string.");
            return value.GetString()!;
        }
    }
}
