namespace Bus.Core.Tokenization;

/// <summary>
/// A Hugging Face <c>tokenizer.json</c>, where Microsoft.ML.Tokenizers reads it: a byte-level BPE model (GPT-2 style: model
/// type "BPE" with a ByteLevel pre-tokenizer or decoder) through <see cref="CodeGenTokenizer"/> from its vocab and merges, and
/// a SentencePiece-style model (Llama, T5: Metaspace) through <see cref="SentencePieceTokenizer.CreateFromTokenizerJson"/>.
/// Documents are separated by the first added token among &lt;|endoftext|&gt;, &lt;/s&gt;, &lt;eos&gt;.
/// </summary>
public sealed class HfJsonTokenizer : ITextTokenizer
{
    private static readonly string[] SeparatorNames = ["<|endoftext|>", "</s>", "<eos>", "<|end_of_text|>"];
    private readonly Tokenizer _inner;
    private readonly Func<string, IReadOnlyList<int>> _encode;

    private HfJsonTokenizer(Tokenizer inner, Func<string, IReadOnlyList<int>> encode, int vocabularySize, int? separator, string sha256,
        bool lossless,
        IReadOnlyDictionary<string, byte[]> files)
    {
        (_inner, _encode, VocabularySize, DocumentSeparator, IsLossless, Files) = (inner, encode, vocabularySize, separator, lossless,
            files);
        Identity = new("hf", sha256);
    }

    /// <summary>The files it was read from, by their Hugging Face names (tokenizer.json, or vocab.json and merges.txt), with their
    /// bytes.</summary>
    public IReadOnlyDictionary<string, byte[]> Files { get; }

    /// <summary>The full path of the file or folder it was loaded from (null when made from bytes).</summary>
    public string? Source { get; private set; }

    /// <summary>Reads the tokenizer.json at <paramref name="path"/> (or, in the folder <paramref name="path"/>, its tokenizer.json,
    /// else its vocab.json + merges.txt: <see cref="LoadVocabAndMerges"/>).</summary>
    /// <exception cref="FileNotFoundException">No file at the path.</exception>
    /// <exception cref="InvalidDataException">The file is not JSON, or its model is one Microsoft.ML.Tokenizers does not read
    /// (the message names the file and the model type).</exception>
    public static HfJsonTokenizer Load(string path)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        if (Directory.Exists(path) && !File.Exists(Path.Combine(path, "tokenizer.json"))
            && File.Exists(Path.Combine(path, "vocab.json")) && File.Exists(Path.Combine(path, "merges.txt")))
            return LoadVocabAndMerges(Path.Combine(path, "vocab.json"), Path.Combine(path, "merges.txt"));
        if (Directory.Exists(path)) path = Path.Combine(path, "tokenizer.json");
        if (!File.Exists(path)) throw new FileNotFoundException($"Hugging Face tokenizer '{path}' does not exist.", path);
        var tokenizer = FromJsonBytes(File.ReadAllBytes(path), path);
        tokenizer.Source = Path.GetFullPath(path);
        return tokenizer;
    }

    /// <summary>The tokenizer whose tokenizer.json content is <paramref name="bytes"/> (<paramref name="path"/> names it in
    /// errors).</summary>
    /// <exception cref="InvalidDataException">The bytes are not a tokenizer.json Microsoft.ML.Tokenizers reads.</exception>
    public static HfJsonTokenizer FromJsonBytes(byte[] bytes, string path)
    {
        ArgumentNullException.ThrowIfNull(bytes);
        var files = new Dictionary<string, byte[]> { ["tokenizer.json"] = bytes };
        JsonObject root;
        try { root = JsonNode.Parse(bytes)?.AsObject() ?? throw new InvalidDataException($"'{path}' is JSON null, not a tokenizer.json."); }
        catch (Exception e) when (e is JsonException or InvalidOperationException)
        {
            throw new InvalidDataException($"'{path}' is not a Hugging Face tokenizer.json: {e.Message}", e);
        }
        string sha = TokenizerIdentity.Hash(bytes);
        string type = root["model"]?["type"]?.GetValue<string>() ?? "(none)";
        var added = AddedTokens(root);
        int? separator = SeparatorNames.Select(n => added.TryGetValue(n,
            out int id) ? id : (int?)null).FirstOrDefault(id => id is not null);
        try
        {
            if (type == "BPE" && IsByteLevel(root) && SplitPattern(root) is { } pattern)
            {
                var bpe = RegexSplitBpe(root, pattern, added, path);
                int size = Math.Max(bpe.Vocabulary.Values.DefaultIfEmpty(-1).Max(), added.Values.DefaultIfEmpty(-1).Max()) + 1;
                return new(bpe, t => bpe.EncodeToIds(t), size, separator, sha, lossless: true, files);
            }
            if (type == "BPE" && IsByteLevel(root))
            {
                var (vocab, merges) = VocabAndMerges(root, path);
                var tokenizer = CodeGenTokenizer.Create(vocab, merges, addPrefixSpace: false, addBeginOfSentence: false,
                    addEndOfSentence: false);
                int size = Math.Max(tokenizer.Vocabulary.Values.DefaultIfEmpty(-1).Max(), added.Values.DefaultIfEmpty(-1).Max()) + 1;
                return new(tokenizer, t => tokenizer.EncodeToIds(t, addPrefixSpace: false, addBeginningOfSentence: false,
                    addEndOfSentence: false),
                    size, separator, sha, lossless: true, files);
            }
            if (type is "BPE" or "Unigram")
            {
                using var stream = new MemoryStream(bytes, writable: false);
                var sp = SentencePieceTokenizer.CreateFromTokenizerJson(stream, addBeginningOfSentence: false, addEndOfSentence: false);
                int size = Math.Max(sp.Vocabulary.Values.Max(), added.Values.DefaultIfEmpty(-1).Max()) + 1;
                return new(sp, t => sp.EncodeToIds(t, addBeginningOfSentence: false, addEndOfSentence: false), size,
                    separator ?? sp.EndOfSentenceId, sha, sp.ByteFallback, files);
            }
        }
        catch (Exception e) when (e is not OutOfMemoryException and not InvalidDataException)
        {
            throw new InvalidDataException($"'{path}': Microsoft.ML.Tokenizers cannot read this {type} tokenizer: {e.Message}", e);
        }
        throw new InvalidDataException(
            $"'{path}': model type '{type}' is not read by Microsoft.ML.Tokenizers here (byte-level BPE and SentencePiece "
                + $"BPE/Unigram are).");
    }

    /// <summary>
    /// A GPT-2-style byte-level BPE from vocab.json + merges.txt (the files GPT2Tokenizer reads) through
    /// <see cref="CodeGenTokenizer"/>: "hf" with the SHA-256 of the two files; documents separated by &lt;|endoftext|&gt; when the
    /// vocabulary has it.
    /// </summary>
    /// <exception cref="InvalidDataException">The files are not a vocabulary and merges Microsoft.ML.Tokenizers reads.</exception>
    public static HfJsonTokenizer LoadVocabAndMerges(string vocabPath, string mergesPath)
    {
        var tokenizer = FromVocabAndMerges(File.ReadAllBytes(vocabPath), File.ReadAllBytes(mergesPath), vocabPath, mergesPath);
        tokenizer.Source = Path.GetFullPath(Path.GetDirectoryName(Path.GetFullPath(vocabPath))!);
        return tokenizer;
    }

    /// <summary>The byte-level BPE whose vocab.json and merges.txt contents are given (the paths name them in errors).</summary>
    /// <exception cref="InvalidDataException">The bytes are not a vocabulary and merges Microsoft.ML.Tokenizers reads.</exception>
    public static HfJsonTokenizer FromVocabAndMerges(byte[] vocabBytes, byte[] mergesBytes, string vocabPath, string mergesPath)
    {
        ArgumentNullException.ThrowIfNull(vocabBytes);
        ArgumentNullException.ThrowIfNull(mergesBytes);
        var files = new Dictionary<string, byte[]> { ["vocab.json"] = vocabBytes, ["merges.txt"] = mergesBytes };
        try
        {
            var tokenizer = CodeGenTokenizer.Create(new MemoryStream(vocabBytes), new MemoryStream(mergesBytes),
                addPrefixSpace: false, addBeginOfSentence: false, addEndOfSentence: false);
            int size = tokenizer.Vocabulary.Values.Max() + 1;
            int? separator = tokenizer.Vocabulary.TryGetValue(SeparatorNames[0], out int id) ? id : null;
            return new(tokenizer, t => tokenizer.EncodeToIds(t, addPrefixSpace: false, addBeginningOfSentence: false,
                addEndOfSentence: false),
                size, separator, TokenizerIdentity.Hash([.. vocabBytes, .. mergesBytes]), lossless: true, files);
        }
        catch (Exception e) when (e is not OutOfMemoryException and not InvalidDataException)
        {
            throw new InvalidDataException($"'{vocabPath}' and '{mergesPath}' are not a byte-level BPE Microsoft.ML.Tokenizers "
                + $"reads: {e.Message}", e);
        }
    }

    /// <summary>"hf" with the SHA-256 of the tokenizer.json file.</summary>
    public TokenizerIdentity Identity { get; }

    /// <inheritdoc />
    public int VocabularySize { get; }

    /// <inheritdoc />
    public int? DocumentSeparator { get; }

    /// <inheritdoc />
    public int? ChunkSeparator => null;

    /// <inheritdoc />
    public bool IsLossless { get; }

    /// <inheritdoc />
    public IReadOnlyList<int> Encode(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        return _encode(text);
    }

    /// <inheritdoc />
    public string Decode(IEnumerable<int> ids) => _inner.Decode(ids) ?? "";

    private static Dictionary<string, int> AddedTokens(JsonObject root)
    {
        var added = new Dictionary<string, int>(StringComparer.Ordinal);
        if (root["added_tokens"] is JsonArray tokens)
            foreach (var token in tokens.OfType<JsonObject>())
                if (token["content"]?.GetValue<string>() is { } content && token["id"]?.GetValue<int>() is { } id)
                    added[content] = id;
        return added;
    }

    // The regular expression of a Split pre-tokenizer (alone or in a Sequence), as tiktoken-style tokenizer.json files have it.
    private static string? SplitPattern(JsonObject root)
    {
        var pre = root["pre_tokenizer"] as JsonObject;
        var steps = pre?["type"]?.GetValue<string>() == "Sequence"
            ? (pre["pretokenizers"] as JsonArray)?.OfType<JsonObject>() ?? []
            : pre is null ? [] : [pre];
        return steps.FirstOrDefault(s => s["type"]?.GetValue<string>() == "Split")?["pattern"]?["Regex"]?.GetValue<string>();
    }

    // A byte-level BPE that splits text by the file's regex first, then merges by the file's merges (Hugging Face's BPE, as
    // Microsoft.ML.Tokenizers' BpeTokenizer implements it): the reader of TiktokenHfJson's files.
    private static BpeTokenizer RegexSplitBpe(JsonObject root, string pattern, Dictionary<string, int> added, string path)
    {
        var model = root["model"]!.AsObject();
        if (model["vocab"] is not JsonObject vocab) throw new InvalidDataException($"'{path}': the BPE model has no vocab object.");
        var merges = (model["merges"] as JsonArray ?? [])
            .Select(m => m is JsonArray pair ? $"{pair[0]!.GetValue<string>()} {pair[1]!.GetValue<string>()}" : m!.GetValue<string>())
            .ToList();
        var specials = added.Count > 0 ? added : null;
        return BpeTokenizer.Create(new BpeOptions(vocab.Select(p => new KeyValuePair<string, int>(p.Key, p.Value!.GetValue<int>())))
        {
            Merges = merges, ByteLevel = true, SpecialTokens = specials,
            PreTokenizer = new RegexPreTokenizer(new System.Text.RegularExpressions.Regex(pattern,
                System.Text.RegularExpressions.RegexOptions.Compiled), specials),
        });
    }

    private static bool IsByteLevel(JsonObject root)
    {
        static bool Has(JsonNode? node) => node is not null && node.ToJsonString().Contains("\"ByteLevel\"", StringComparison.Ordinal);
        return Has(root["pre_tokenizer"]) || Has(root["decoder"]);
    }

    // vocab.json and merges.txt as GPT-2 ships them, from the tokenizer.json's model (merges as "a b" strings or [a, b] pairs).
    private static (Stream Vocab, Stream Merges) VocabAndMerges(JsonObject root, string path)
    {
        var model = root["model"]!.AsObject();
        if (model["vocab"] is not JsonObject vocab) throw new InvalidDataException($"'{path}': the BPE model has no vocab object.");
        var merges = new StringBuilder("#version: 0.2\n");
        if (model["merges"] is JsonArray list)
            foreach (var merge in list)
                merges.Append(merge is JsonArray pair ? $"{pair[0]!.GetValue<string>()} {pair[1]!.GetValue<string>()}"
                    : merge!.GetValue<string>()).Append('\n');
        return (new MemoryStream(Encoding.UTF8.GetBytes(vocab.ToJsonString())),
            new MemoryStream(Encoding.UTF8.GetBytes(merges.ToString())));
    }
}
