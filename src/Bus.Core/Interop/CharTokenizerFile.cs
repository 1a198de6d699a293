namespace Bus.Core.Interop;

/// <summary>
/// The character vocabulary as Hugging Face's plain <c>vocab.json</c> (a JSON object from symbol to id, the form GPT-2's
/// and word-level tokenizers read): one character per token, ids 0..n-1 in the order of the vocabulary string.
/// </summary>
internal static class CharTokenizerFile
{
    /// <summary>Writes <paramref name="vocabulary"/> to <paramref name="path"/>.</summary>
    public static void Write(string path, string vocabulary)
    {
        var map = new Dictionary<string, int>(StringComparer.Ordinal);
        for (int i = 0; i < vocabulary.Length; i++) map[vocabulary[i].ToString()] = i;
        File.WriteAllText(path, JsonSerializer.Serialize(map, Indented));
    }

    /// <summary>Reads a file written by <see cref="Write"/>: single-character symbols with ids 0..n-1, each once.</summary>
    /// <exception cref="InvalidDataException">The file is not such a vocabulary.</exception>
    public static string Read(string path)
    {
        Dictionary<string, int>? map;
        try { map = JsonSerializer.Deserialize<Dictionary<string, int>>(File.ReadAllText(path)); }
        catch (JsonException e) { throw new InvalidDataException($"'{path}' is not a JSON object of symbol -> id: {e.Message}", e); }
        if (map is null || map.Count == 0) throw new InvalidDataException($"'{path}' holds no symbols.");
        var symbols = new char[map.Count];
        var seen = new bool[map.Count];
        foreach (var (symbol, id) in map)
        {
            if (symbol.Length != 1)
                throw new InvalidDataException(
                    $"'{path}': symbol \"{symbol}\" is not a single character; Bus reads character vocabularies only.");
            if (id < 0 || id >= map.Count || seen[id])
                throw new InvalidDataException($"'{path}': id {id} of \"{symbol}\" is outside 0..{map.Count - 1} or used twice.");
            seen[id] = true;
            symbols[id] = symbol[0];
        }
        return new string(symbols);
    }

    private static readonly JsonSerializerOptions Indented = new()
    {
        WriteIndented = true,
        Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };
}
