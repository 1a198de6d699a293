namespace Bus.Core.Tokenization;

/// <summary>
/// A tokenizer as the files Hugging Face's tokenizer classes read, written next to an exported model and read back from an
/// imported one: GPT-2 BPE as vocab.json + merges.txt + tokenizer_config.json (GPT2Tokenizer), the byte-level tokenizer as a
/// tokenizer.json (a byte-level BPE without merges whose ids are the byte values), SentencePiece as tokenizer.model.
/// </summary>
public static class HfTokenizerFiles
{
    /// <summary>The tokenizers <see cref="Write"/> takes, as <c>--tokenizer</c> names them.</summary>
    public const string WritableNames = "gpt2, byte, cl100k, o200k, sentencepiece:PATH or hf:PATH";

    /// <summary>True when <see cref="Write"/> has a Hugging Face form for <paramref name="tokenizer"/> (not text8).</summary>
    public static bool CanWrite(ITextTokenizer tokenizer) =>
        tokenizer is TiktokenTextTokenizer or ByteTokenizer or SentencePieceTextTokenizer or HfJsonTokenizer;

    /// <summary>
    /// Writes <paramref name="tokenizer"/>'s files into <paramref name="directory"/>; returns their names. cl100k and o200k become
    /// a tokenizer.json (<see cref="TiktokenHfJson"/>); a Hugging Face tokenizer is written back as the files it was read from.
    /// </summary>
    /// <exception cref="NotSupportedException">The tokenizer has no Hugging Face form here (text8).</exception>
    public static IReadOnlyList<string> Write(ITextTokenizer tokenizer, string directory)
    {
        ArgumentNullException.ThrowIfNull(tokenizer);
        ArgumentException.ThrowIfNullOrWhiteSpace(directory);
        switch (tokenizer)
        {
            case TiktokenTextTokenizer { Identity.Name: "gpt2" } gpt2:
                WriteGpt2(gpt2, directory);
                return ["vocab.json", "merges.txt", "tokenizer_config.json"];
            case ByteTokenizer:
                File.WriteAllText(Path.Combine(directory, "tokenizer.json"), ByteLevelJson().ToJsonString(Indented));
                return ["tokenizer.json"];
            case TiktokenTextTokenizer tiktoken:
                File.WriteAllText(Path.Combine(directory, "tokenizer.json"), TiktokenHfJson.Build(tiktoken).ToJsonString(Compact));
                File.WriteAllText(Path.Combine(directory, "tokenizer_config.json"), new JsonObject
                {
                    ["tokenizer_class"] = "PreTrainedTokenizerFast", ["bos_token"] = ByteTokenizer.EndOfText,
                    ["eos_token"] = ByteTokenizer.EndOfText, ["unk_token"] = null, ["add_prefix_space"] = false,
                }.ToJsonString(Indented));
                return ["tokenizer.json", "tokenizer_config.json"];
            case HfJsonTokenizer hf:
                foreach (var (name, bytes) in hf.Files) File.WriteAllBytes(Path.Combine(directory, name), bytes);
                return [.. hf.Files.Keys];
            case SentencePieceTextTokenizer sp:
                File.WriteAllBytes(Path.Combine(directory, "tokenizer.model"), sp.Model.ToArray());
                File.WriteAllText(Path.Combine(directory, "tokenizer_config.json"),
                    new JsonObject { ["tokenizer_class"] = "LlamaTokenizer", ["add_bos_token"] = false,
                        ["add_eos_token"] = false }.ToJsonString(Indented));
                return ["tokenizer.model", "tokenizer_config.json"];
            default:
                throw new NotSupportedException($"Tokenizer {tokenizer.Identity.Name} has no Hugging Face form here; {WritableNames} do.");
        }
    }

    /// <summary>
    /// The tokenizer in a Hugging Face folder: tokenizer.json (<see cref="HfJsonTokenizer"/>; the byte tokenizer's own file is
    /// recognised as <see cref="ByteTokenizer"/>, cl100k's and o200k's as <see cref="Write"/> gives them as those tokenizers), else
    /// vocab.json + merges.txt (GPT-2 BPE; GPT-2's own files, as
    /// <see cref="Write"/> gives them, are recognised as <c>gpt2</c>), else tokenizer.model (SentencePiece); null when the
    /// folder has none of these.
    /// </summary>
    public static ITextTokenizer? Read(string directory)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(directory);
        string json = Path.Combine(directory, "tokenizer.json");
        if (File.Exists(json))
        {
            string text = File.ReadAllText(json);
            return text == ByteLevelJson().ToJsonString(Indented)
                ? ByteTokenizer.Instance
                : IsTiktoken(text) ?? (ITextTokenizer)HfJsonTokenizer.Load(json);
        }
        string vocab = Path.Combine(directory, "vocab.json"), merges = Path.Combine(directory, "merges.txt");
        if (File.Exists(vocab) && File.Exists(merges)) return (ITextTokenizer?)IsGpt2(vocab,
            merges) ?? HfJsonTokenizer.LoadVocabAndMerges(vocab, merges);
        if (File.Exists(Path.Combine(directory, "tokenizer.model"))) return SentencePieceTextTokenizer.Load(Path.Combine(directory,
            "tokenizer.model"));
        return null;
    }

    // The files Write gives for GPT-2 are read back as GPT-2 itself (tiktoken's ids exactly; Microsoft.ML.Tokenizers'
    // CodeGenTokenizer splits runs of whitespace differently), likewise the byte tokenizer's tokenizer.json.
    private static TiktokenTextTokenizer? IsGpt2(string vocab, string merges)
    {
        if (new FileInfo(merges).Length < 100_000) return null;
        var gpt2 = TiktokenTextTokenizer.Gpt2();
        string scratch = Directory.CreateTempSubdirectory("bus-gpt2-").FullName;
        try
        {
            WriteGpt2(gpt2, scratch);
            bool same = File.ReadAllBytes(vocab).AsSpan().SequenceEqual(File.ReadAllBytes(Path.Combine(scratch, "vocab.json")))
                && File.ReadAllBytes(merges).AsSpan().SequenceEqual(File.ReadAllBytes(Path.Combine(scratch, "merges.txt")));
            return same ? gpt2 : null;
        }
        finally { Directory.Delete(scratch, recursive: true); }
    }

    // The tokenizer.json Write gives for cl100k or o200k is read back as that tokenizer (same identity, so its streams match).
    private static TiktokenTextTokenizer? IsTiktoken(string text)
    {
        foreach (var (pattern, create) in new (string, Func<TiktokenTextTokenizer>)[]
                 { (TiktokenHfJson.Cl100kPattern, TiktokenTextTokenizer.Cl100k), (TiktokenHfJson.O200kPattern,
                     TiktokenTextTokenizer.O200k) })
        {
            if (!text.Contains(JsonValue.Create(pattern).ToJsonString(Compact), StringComparison.Ordinal)) continue;
            var tokenizer = create();
            return text == TiktokenHfJson.Build(tokenizer).ToJsonString(Compact) ? tokenizer : null;
        }
        return null;
    }

    /// <summary>GPT-2's byte-to-unicode map: printable bytes map to themselves, the rest to U+0100 upwards (GPT-2's encoder.py).</summary>
    public static string[] ByteToUnicode()
    {
        var map = new string[256];
        int extra = 0;
        for (int b = 0; b < 256; b++)
        {
            bool printable = b is >= '!' and <= '~' or >= 0xA1 and <= 0xAC or >= 0xAE and <= 0xFF;
            map[b] = ((char)(printable ? b : 256 + extra++)).ToString();
        }
        return map;
    }

    private static void WriteGpt2(TiktokenTextTokenizer gpt2, string directory)
    {
        var ranks = gpt2.Ranks();
        var unicode = ByteToUnicode();
        string Text(byte[] bytes) => string.Concat(bytes.Select(b => unicode[b]));
        var vocab = new JsonObject();
        foreach (var (id, bytes) in ranks.OrderBy(p => p.Key)) vocab[Text(bytes)] = id;
        vocab[ByteTokenizer.EndOfText] = gpt2.DocumentSeparator;
        File.WriteAllText(Path.Combine(directory, "vocab.json"), vocab.ToJsonString(Compact));
        var rankOf = ranks.ToDictionary(p => Convert.ToHexString(p.Value), p => p.Key);
        var merges = new StringBuilder("#version: 0.2\n");
        foreach (var (rank, bytes) in ranks.OrderBy(p => p.Key))
        {
            if (bytes.Length < 2) continue;
            var (left, right) = LastMerge(bytes, rank, rankOf);
            merges.Append(Text(left)).Append(' ').Append(Text(right)).Append('\n');
        }
        File.WriteAllText(Path.Combine(directory, "merges.txt"), merges.ToString());
        File.WriteAllText(Path.Combine(directory, "tokenizer_config.json"), new JsonObject
        {
            ["tokenizer_class"] = "GPT2Tokenizer", ["bos_token"] = ByteTokenizer.EndOfText, ["eos_token"] = ByteTokenizer.EndOfText,
            ["unk_token"] = ByteTokenizer.EndOfText, ["model_max_length"] = 1024, ["add_prefix_space"] = false,
        }.ToJsonString(Indented));
    }

    // The two parts a token of rank r is merged from: BPE on its bytes using only ranks below r stops at exactly two parts
    // (tiktoken's educational recovery of merges from ranks).
    internal static (byte[] Left, byte[] Right) LastMerge(byte[] token, int rank, Dictionary<string, int> rankOf)
    {
        var parts = token.Select(b => new[] { b }).ToList();
        while (parts.Count > 2)
        {
            int best = -1, bestRank = int.MaxValue;
            for (int i = 0; i < parts.Count - 1; i++)
                if (rankOf.TryGetValue(Convert.ToHexString([.. parts[i], .. parts[i + 1]]), out int r) && r < rank && r < bestRank)
                    (best, bestRank) = (i, r);
            if (best < 0) throw new InvalidDataException($"Rank {rank} cannot be built from lower ranks; the ranks file is not a "
                + $"BPE vocabulary.");
            parts[best] = [.. parts[best], .. parts[best + 1]];
            parts.RemoveAt(best + 1);
        }
        return (parts[0], parts[1]);
    }

    private static JsonObject ByteLevelJson()
    {
        var unicode = ByteToUnicode();
        var vocab = new JsonObject();
        for (int b = 0; b < 256; b++) vocab[unicode[b]] = b;
        vocab[ByteTokenizer.EndOfText] = ByteTokenizer.EndOfTextId; // as GPT-2's tokenizer.json lists its added token in the vocab
        var byteLevel = new JsonObject { ["type"] = "ByteLevel", ["add_prefix_space"] = false, ["trim_offsets"] = false,
            ["use_regex"] = false };
        return new JsonObject
        {
            ["version"] = "1.0",
            ["added_tokens"] = new JsonArray(new JsonObject
            {
                ["id"] = ByteTokenizer.EndOfTextId, ["content"] = ByteTokenizer.EndOfText, ["single_word"] = false, ["lstrip"] = false,
                ["rstrip"] = false, ["normalized"] = false, ["special"] = true,
            }),
            ["normalizer"] = null,
            ["pre_tokenizer"] = byteLevel.DeepClone(),
            ["post_processor"] = null,
            ["decoder"] = byteLevel.DeepClone(),
            ["model"] = new JsonObject
            {
                ["type"] = "BPE", ["dropout"] = null, ["unk_token"] = null, ["continuing_subword_prefix"] = null,
                    ["end_of_word_suffix"] = null,
                ["fuse_unk"] = false, ["byte_fallback"] = false, ["vocab"] = vocab, ["merges"] = new JsonArray(),
            },
        };
    }

    private static readonly JsonSerializerOptions Indented = new() { WriteIndented = true,
        Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping };
    internal static readonly JsonSerializerOptions Compact =
        new() { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping };
}
