using System.Text.Json;

namespace Bus.Core.Interop;

/// <summary>Reads typed fields of a Hugging Face <c>config.json</c> with errors that name the file, the field and the value.</summary>
internal sealed class HfConfigReader
{
    private readonly JsonElement _root;

    /// <summary>The file the fields come from (for messages).</summary>
    public string Path { get; }

    private HfConfigReader(JsonElement root, string path)
    {
        _root = root;
        Path = path;
    }

    /// <summary>Parses <paramref name="path"/>; throws <see cref="InvalidDataException"/> when it is not a JSON object.</summary>
    public static HfConfigReader Open(string path)
    {
        if (!File.Exists(path)) throw new FileNotFoundException($"'{path}' does not exist: a Hugging Face model folder needs a config.json.", path);
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
        : _root.GetProperty(field) is { ValueKind: JsonValueKind.Number } v ? v.GetDouble()
        : throw Invalid(field, "must be a number");

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
        : _root.GetProperty(field) is { ValueKind: JsonValueKind.Array } a && a.EnumerateArray().All(e => e.ValueKind == JsonValueKind.String)
            ? a.EnumerateArray().Select(e => e.GetString()!).ToArray()
            : throw Invalid(field, "must be an array of strings");

    /// <summary>An error for a field whose value Bus cannot reproduce.</summary>
    public InvalidDataException Unsupported(string field, string reason) =>
        new($"'{Path}': field '{field}' = {Raw(field)} is not supported: {reason}.");

    private int PositiveInt(string field, JsonElement v) =>
        v.ValueKind == JsonValueKind.Number && v.TryGetInt32(out int n) && n > 0 ? n : throw Invalid(field, "must be a positive integer");

    private string Raw(string field) => _root.TryGetProperty(field, out var v) ? v.GetRawText() : "(absent)";

    private InvalidDataException Missing(string field) => new($"'{Path}': required field '{field}' is missing.");

    private InvalidDataException Invalid(string field, string rule) => new($"'{Path}': field '{field}' = {Raw(field)} {rule}.");
}
