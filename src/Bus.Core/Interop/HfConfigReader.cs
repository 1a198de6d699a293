namespace Bus.Core.Interop;

/// <summary>
/// Reads typed fields of a Hugging Face <c>config.json</c> (or of one nested object such as <c>rope_parameters</c>) with
/// errors that name the file, the field (dotted for nested ones: <c>rope_parameters.rope_type</c>) and the value.
/// </summary>
internal sealed class HfConfigReader
{
    private readonly JsonElement _root;
    private readonly string _prefix;

    /// <summary>The file the fields come from (for messages).</summary>
    public string Path { get; }

    private HfConfigReader(JsonElement root, string path, string prefix = "")
    {
        _root = root;
        Path = path;
        _prefix = prefix;
    }

    /// <summary>The field names present (null-valued ones included).</summary>
    public IEnumerable<string> Fields => _root.EnumerateObject().Select(p => p.Name);

    /// <summary>The nested object <paramref name="field"/>, or null when absent or null; throws when it is not an object.</summary>
    public HfConfigReader? Section(string field) =>
        !Has(field) ? null
        : _root.GetProperty(field) is { ValueKind: JsonValueKind.Object } v ? new HfConfigReader(v, Path, $"{_prefix}{field}.")
        : throw Invalid(field, "must be an object");

    /// <summary>The field's name as messages print it (with the enclosing object, e.g. <c>rope_parameters.rope_type</c>).</summary>
    public string Name(string field) => _prefix + field;

    /// <summary>Parses <paramref name="path"/>; throws <see cref="InvalidDataException"/> when it is not a JSON object.</summary>
    public static HfConfigReader Open(string path)
    {
        if (!File.Exists(path))
            throw new FileNotFoundException($"'{path}' does not exist: a Hugging Face model folder needs a config.json.", path);
        try
        {
            using var document = JsonDocument.Parse(File.ReadAllText(path));
            if (document.RootElement.ValueKind != JsonValueKind.Object)
                throw new InvalidDataException($"'{path}' is not a JSON object.");
            return new HfConfigReader(document.RootElement.Clone(), path);
        }
        catch (JsonException e)
        {
            throw new InvalidDataException($"'{path}' is not valid JSON: {e.Message}", e);
        }
    }

    /// <summary>True when <paramref name="field"/> is present and not null.</summary>
    public bool Has(string field) => _root.TryGetProperty(field, out var v) && v.ValueKind != JsonValueKind.Null;

    /// <summary>A required positive integer.</summary>
    public int PositiveInt(string field) =>
        Has(field) ? PositiveInt(field, _root.GetProperty(field)) : throw Missing(field);

    /// <summary>An optional positive integer (null when absent or null).</summary>
    public int? OptionalPositiveInt(string field) => Has(field) ? PositiveInt(field, _root.GetProperty(field)) : null;

    /// <summary>A required string.</summary>
    public string String(string field) =>
        !Has(field) ? throw Missing(field)
        : _root.GetProperty(field) is { ValueKind: JsonValueKind.String } v ? v.GetString()!
        : throw Invalid(field, "must be a string");

    /// <summary>An optional number, <paramref name="fallback"/> when absent.</summary>
    public double Number(string field, double fallback) =>
        !Has(field) ? fallback
        : _root.GetProperty(field) is { ValueKind: JsonValueKind.Number } v && v.TryGetDouble(out double d) && double.IsFinite(d) ? d
        : throw Invalid(field, "must be a finite number");

    /// <summary>An optional boolean, <paramref name="fallback"/> when absent.</summary>
    public bool Bool(string field, bool fallback) =>
        !Has(field) ? fallback
        : _root.GetProperty(field).ValueKind switch
        {
            JsonValueKind.True => true,
            JsonValueKind.False => false,
            _ => throw Invalid(field, "must be true or false"),
        };

    /// <summary>The strings of an optional array field (empty when absent).</summary>
    public IReadOnlyList<string> Strings(string field) =>
        !Has(field) ? []
        : _root.GetProperty(field) is { ValueKind: JsonValueKind.Array } a
            && a.EnumerateArray().All(e => e.ValueKind == JsonValueKind.String)
            ? a.EnumerateArray().Select(e => e.GetString()!).ToArray()
            : throw Invalid(field, "must be an array of strings");

    /// <summary>An error for a field whose value Bus cannot reproduce.</summary>
    public InvalidDataException Unsupported(string field, string reason) =>
        new($"'{Path}': field '{Name(field)}' = {Raw(field)} is not supported: {reason}.");

    private int PositiveInt(string field, JsonElement v) =>
        v.ValueKind == JsonValueKind.Number && v.TryGetInt32(out int n) && n > 0 ? n : throw Invalid(field, "must be a positive integer");

    /// <summary>An optional probability in [0, 1) (dropout rates), 0 when absent.</summary>
    public double Probability(string field) =>
        Number(field, 0.0) is var p && p >= 0 && p < 1 ? p : throw Invalid(field, "must be in [0, 1)");

    /// <summary>True when <paramref name="field"/> is present and is a non-empty object or array.</summary>
    public bool NonEmpty(string field) =>
        Has(field) && _root.GetProperty(field) switch
        {
            { ValueKind: JsonValueKind.Object } o => o.EnumerateObject().Any(),
            { ValueKind: JsonValueKind.Array } a => a.GetArrayLength() > 0,
            _ => true,
        };

    private string Raw(string field)
    {
        if (!_root.TryGetProperty(field, out var v)) return "(absent)";
        string text = v.GetRawText();
        return text.Length <= 80 ? text : text[..80] + "...";
    }

    private InvalidDataException Missing(string field) => new($"'{Path}': required field '{Name(field)}' is missing.");

    /// <summary>An error for a field whose value breaks <paramref name="rule"/> ("must be ...").</summary>
    public InvalidDataException Invalid(string field, string rule) => new($"'{Path}': field '{Name(field)}' = {Raw(field)} {rule}.");
}
