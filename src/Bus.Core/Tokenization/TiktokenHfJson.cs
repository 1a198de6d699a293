namespace Bus.Core.Tokenization;

/// <summary>
/// A tiktoken vocabulary (cl100k, o200k) as the Hugging Face tokenizer.json a <c>PreTrainedTokenizerFast</c> reads: a
/// byte-level BPE whose vocabulary is each rank's bytes in GPT-2's byte-to-unicode form (id = rank), whose merges are recovered
/// from the ranks the standard way (for each token, BPE on its bytes with only lower ranks ends in the two parts it is merged
/// from), split first by the encoding's own regular expression (a <c>Split</c> pre-tokenizer, then ByteLevel without its
/// regex), with the special tokens as added tokens.
/// </summary>
public static class TiktokenHfJson
{
    /// <summary>cl100k_base's split pattern, without tiktoken's possessive quantifiers (as Hugging Face's regex engine reads it).</summary>
    public const string Cl100kPattern =
        @"(?i:'s|'t|'re|'ve|'m|'ll|'d)|[^\r\n\p{L}\p{N}]?\p{L}+|\p{N}{1,3}| ?[^\s\p{L}\p{N}]+[\r\n]*|\s*[\r\n]+|\s+(?!\S)|\s+";

    /// <summary>o200k_base's split pattern (tiktoken's openai_public.py, joined with "|").</summary>
    public const string O200kPattern =
        @"[^\r\n\p{L}\p{N}]?[\p{Lu}\p{Lt}\p{Lm}\p{Lo}\p{M}]*[\p{Ll}\p{Lm}\p{Lo}\p{M}]+(?i:'s|'t|'re|'ve|'m|'ll|'d)?"
        + @"|[^\r\n\p{L}\p{N}]?[\p{Lu}\p{Lt}\p{Lm}\p{Lo}\p{M}]+[\p{Ll}\p{Lm}\p{Lo}\p{M}]*(?i:'s|'t|'re|'ve|'m|'ll|'d)?"
        + @"|\p{N}{1,3}| ?[^\s\p{L}\p{N}]+[\r\n/]*|\s*[\r\n]+|\s+(?!\S)|\s+";

    /// <summary>The tokenizer.json of <paramref name="tokenizer"/> (cl100k or o200k).</summary>
    /// <exception cref="NotSupportedException">Another tiktoken vocabulary (GPT-2 has its own files: vocab.json + merges.txt).</exception>
    public static JsonObject Build(TiktokenTextTokenizer tokenizer)
    {
        ArgumentNullException.ThrowIfNull(tokenizer);
        string pattern = tokenizer.Identity.Name switch
        {
            "cl100k" => Cl100kPattern,
            "o200k" => O200kPattern,
            var other => throw new NotSupportedException($"Tokenizer {other} has no tokenizer.json form here (cl100k and o200k do)."),
        };
        var ranks = tokenizer.Ranks();
        var unicode = HfTokenizerFiles.ByteToUnicode();
        string Text(byte[] bytes) => string.Concat(bytes.Select(b => unicode[b]));
        var vocab = new JsonObject();
        var merges = new JsonArray();
        var rankOf = ranks.ToDictionary(p => Convert.ToHexString(p.Value), p => p.Key);
        foreach (var (rank, bytes) in ranks.OrderBy(p => p.Key))
        {
            vocab[Text(bytes)] = rank;
            if (bytes.Length < 2) continue;
            var (left, right) = HfTokenizerFiles.LastMerge(bytes, rank, rankOf);
            merges.Add(new JsonArray(Text(left), Text(right)));
        }
        var added = new JsonArray();
        foreach (var (content, id) in (tokenizer.Inner.SpecialTokens ?? new Dictionary<string, int>()).OrderBy(p => p.Value))
            added.Add(new JsonObject
            {
                ["id"] = id, ["content"] = content, ["single_word"] = false, ["lstrip"] = false, ["rstrip"] = false,
                ["normalized"] = false, ["special"] = true,
            });
        return new JsonObject
        {
            ["version"] = "1.0",
            ["truncation"] = null,
            ["padding"] = null,
            ["added_tokens"] = added,
            ["normalizer"] = null,
            ["pre_tokenizer"] = new JsonObject
            {
                ["type"] = "Sequence",
                ["pretokenizers"] = new JsonArray(
                    new JsonObject
                    {
                        ["type"] = "Split", ["pattern"] = new JsonObject { ["Regex"] = pattern }, ["behavior"] = "Isolated",
                            ["invert"] = false,
                    },
                    ByteLevel()),
            },
            ["post_processor"] = null,
            ["decoder"] = ByteLevel(),
            ["model"] = new JsonObject
            {
                ["type"] = "BPE", ["dropout"] = null, ["unk_token"] = null, ["continuing_subword_prefix"] = null,
                ["end_of_word_suffix"] = null, ["fuse_unk"] = false, ["byte_fallback"] = false, ["ignore_merges"] = false,
                ["vocab"] = vocab, ["merges"] = merges,
            },
        };
    }

    private static JsonObject ByteLevel() =>
        new() { ["type"] = "ByteLevel", ["add_prefix_space"] = false, ["trim_offsets"] = true, ["use_regex"] = false };
}
