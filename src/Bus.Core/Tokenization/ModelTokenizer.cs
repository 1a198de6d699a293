namespace Bus.Core.Tokenization;

/// <summary>
/// The tokenizer a saved model was trained with, as the model file's safetensors metadata records it: its identity (name +
/// vocabulary hash), its vocabulary size, the spec it was made from (<c>gpt2</c>, <c>byte</c>, <c>sentencepiece:PATH</c>, ...)
/// and, for the tokenizers read from files (SentencePiece, a Hugging Face tokenizer.json or vocab.json + merges.txt), those
/// files themselves under their Hugging Face names, so the model file alone rebuilds its tokenizer (<see cref="Create"/>).
/// Python reads it with <c>safe_open(path, "pt").metadata()["bus.tokenizer"]</c>.
/// </summary>
public sealed record ModelTokenizer
{
    /// <summary>Metadata key of the JSON description (name, sha256, vocabulary_size, spec, files).</summary>
    public const string MetadataKey = "bus.tokenizer";

    /// <summary>Prefix of the metadata keys holding each file, base64-encoded (e.g. "bus.tokenizer.file/tokenizer.model").</summary>
    public const string FilePrefix = "bus.tokenizer.file/";

    /// <summary>The file names a record may hold (the names Hugging Face's tokenizer classes read).</summary>
    public static IReadOnlyList<string> FileNames { get; } = ["tokenizer.model", "tokenizer.json", "vocab.json", "merges.txt"];

    private static readonly string[] BuiltIn = ["byte", "text8", "gpt2", "cl100k", "o200k"];

    /// <summary>The tokenizer's name and vocabulary hash.</summary>
    public required TokenizerIdentity Identity { get; init; }

    /// <summary>Ids the tokenizer produces (the model's VocabSize may be larger: rounded up).</summary>
    public required int VocabularySize { get; init; }

    /// <summary>What it was made from: the name of a built-in tokenizer, or "sentencepiece:PATH" / "hf:PATH" (informative: the
    /// files below, not the path, rebuild it).</summary>
    public required string Spec { get; init; }

    /// <summary>The tokenizer's files by name (empty for the built-in tokenizers, which rebuild from their name).</summary>
    public IReadOnlyDictionary<string, byte[]> Files { get; init; } = new Dictionary<string, byte[]>();

    /// <summary>True when <see cref="Create"/> can rebuild the tokenizer (a built-in one, or one whose files are recorded).</summary>
    public bool CanCreate => Files.Count > 0 || BuiltIn.Contains(Identity.Name);

    /// <summary>The record of <paramref name="tokenizer"/>, with its files when it was read from files.</summary>
    public static ModelTokenizer Of(ITextTokenizer tokenizer)
    {
        ArgumentNullException.ThrowIfNull(tokenizer);
        IReadOnlyDictionary<string, byte[]> files = tokenizer switch
        {
            SentencePieceTextTokenizer sp => new Dictionary<string, byte[]> { ["tokenizer.model"] = sp.Model.ToArray() },
            HfJsonTokenizer hf => hf.Files,
            _ => new Dictionary<string, byte[]>(),
        };
        return new() { Identity = tokenizer.Identity, VocabularySize = tokenizer.VocabularySize, Spec = SpecOf(tokenizer), Files = files };
    }

    /// <summary>The spec <see cref="TextTokenizers.Create"/> takes to make <paramref name="tokenizer"/> again: its name, or for a
    /// tokenizer loaded from a file "sentencepiece:" / "hf:" and the file's full path.</summary>
    public static string SpecOf(ITextTokenizer tokenizer)
    {
        ArgumentNullException.ThrowIfNull(tokenizer);
        return tokenizer switch
        {
            SentencePieceTextTokenizer { Source: { } path } => "sentencepiece:" + path,
            HfJsonTokenizer { Source: { } path } => "hf:" + path,
            _ => tokenizer.Identity.Name,
        };
    }

    /// <summary>The metadata entries of this record, for <see cref="Checkpoints.ModelCheckpoint.Save"/>.</summary>
    public IReadOnlyDictionary<string, string> ToMetadata()
    {
        var description = new JsonObject
        {
            ["name"] = Identity.Name, ["sha256"] = Identity.Sha256, ["vocabulary_size"] = VocabularySize, ["spec"] = Spec,
            ["files"] = new JsonArray([.. Files.Keys.Order(StringComparer.Ordinal).Select(k => (JsonNode)k)]),
        };
        var metadata = new Dictionary<string, string> { [MetadataKey] = description.ToJsonString() };
        foreach (var (name, bytes) in Files) metadata[FilePrefix + name] = Convert.ToBase64String(bytes);
        return metadata;
    }

    /// <summary>The record in a model file's <paramref name="metadata"/>, or null when it has none (a model saved before
    /// models recorded their tokenizer).</summary>
    /// <exception cref="InvalidDataException">The entry is malformed (the message names <paramref name="source"/> and the
    /// entry).</exception>
    public static ModelTokenizer? FromMetadata(IReadOnlyDictionary<string, string> metadata, string source)
    {
        ArgumentNullException.ThrowIfNull(metadata);
        if (!metadata.TryGetValue(MetadataKey, out string? text)) return null;
        try
        {
            var root = JsonNode.Parse(text)?.AsObject() ?? throw new InvalidDataException("null");
            string name = Required(root, "name"), sha = Required(root, "sha256"), spec = root["spec"]?.GetValue<string>() ?? name;
            int size = root["vocabulary_size"]?.GetValue<int>() ?? throw new InvalidDataException("no vocabulary_size");
            if (size <= 0) throw new InvalidDataException($"vocabulary_size {size} is not positive");
            var files = new Dictionary<string, byte[]>(StringComparer.Ordinal);
            foreach (var node in root["files"] as JsonArray ?? [])
            {
                string file = node?.GetValue<string>() ?? throw new InvalidDataException("a file name is null");
                if (!FileNames.Contains(file)) throw new InvalidDataException($"file '{file}' is none of {string.Join(", ", FileNames)}");
                string key = FilePrefix + file;
                files[file] = Convert.FromBase64String(metadata.GetValueOrDefault(key)
                    ?? throw new InvalidDataException($"file '{file}' is listed but entry '{key}' is missing"));
            }
            return new() { Identity = new(name, sha), VocabularySize = size, Spec = spec, Files = files };
        }
        catch (Exception e) when (e is JsonException or InvalidOperationException or FormatException or InvalidDataException)
        {
            throw new InvalidDataException($"'{source}': entry '{MetadataKey}' is not a tokenizer record: {e.Message}", e);
        }
    }

    /// <summary>The record in the safetensors file at <paramref name="path"/> (a model or a training checkpoint; only the
    /// header is read), or null when it has none.</summary>
    /// <exception cref="SafeTensorsFormatException">The file is not safetensors.</exception>
    /// <exception cref="InvalidDataException">The entry is malformed.</exception>
    public static ModelTokenizer? Read(string path) => FromMetadata(SafeTensorsFile.ReadHeader(path).Metadata, path);

    /// <summary>Rebuilds the tokenizer: a built-in one from its name, the others from the recorded files; its identity must be
    /// the recorded one.</summary>
    /// <exception cref="InvalidDataException">The record cannot be rebuilt (no files), or the rebuilt tokenizer's identity
    /// differs.</exception>
    public ITextTokenizer Create()
    {
        ITextTokenizer tokenizer;
        if (Files.TryGetValue("tokenizer.model", out var model) && Identity.Name == "sentencepiece")
            tokenizer = SentencePieceTextTokenizer.FromBytes(model, $"{MetadataKey} tokenizer.model");
        else if (Files.TryGetValue("tokenizer.json", out var json))
            tokenizer = HfJsonTokenizer.FromJsonBytes(json, $"{MetadataKey} tokenizer.json");
        else if (Files.TryGetValue("vocab.json", out var vocab) && Files.TryGetValue("merges.txt", out var merges))
            tokenizer = HfJsonTokenizer.FromVocabAndMerges(vocab, merges, $"{MetadataKey} vocab.json", $"{MetadataKey} merges.txt");
        else if (BuiltIn.Contains(Identity.Name))
            tokenizer = TextTokenizers.Create(Identity.Name);
        else
            throw new InvalidDataException($"The model's tokenizer {Identity} ({Spec}) has no recorded files to rebuild it from.");
        if (tokenizer.Identity != Identity)
            throw new InvalidDataException(
                $"The model's tokenizer {Identity} ({Spec}) rebuilds as {tokenizer.Identity}: not the same vocabulary.");
        return tokenizer;
    }

    private static string Required(JsonObject root, string key) =>
        root[key]?.GetValue<string>() is { Length: > 0 } value ? value : throw new InvalidDataException($"no {key}");
}
