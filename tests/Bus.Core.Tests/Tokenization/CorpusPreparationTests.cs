using Parquet;
using Parquet.Schema;

namespace Bus.Core.Tests.Tokenization;

/// <summary>
/// Preparing corpora with any tokenizer: lossless round trips (byte-level and GPT-2 BPE), the stream's dtype and header,
/// document separators, JSON Lines and Parquet sources with their errors, old headers and the fingerprint.
/// </summary>
public class CorpusPreparationTests : IDisposable
{
    /// <summary>Mixed case, punctuation, digits, tabs, emoji and accented text, over several lines.</summary>
    private const string Mixed = "The Quick BROWN fox; jumps -- over 13 lazy dogs!?\n\tTabbed\tcolumns\t42\r\n"
        + "Emoji: \U0001F600 \U0001F44D\U0001F3FD \u2764\uFE0F and accents: café, naïve, Ångström, Ελληνικά, 日本語.\n"
        + "  leading spaces, trailing spaces   \n\n\nnumbers 3.14159 1e-9 -0 1,000,000\n";

    private readonly string _dir = Directory.CreateTempSubdirectory("bus-tokenization-").FullName;

    private string PathOf(string name) => Path.Combine(_dir, name);

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private static string DecodeStream(string path, ITextTokenizer tokenizer) => tokenizer.Decode(TokenStreamFile.ReadTokens(path));

    [Theory]
    [InlineData("byte")]
    [InlineData("gpt2")]
    public void AMixedCorpusDecodesBackByteForByte(string name)
    {
        File.WriteAllText(PathOf("mixed.txt"), Mixed, new UTF8Encoding(false));
        var tokenizer = TextTokenizers.Create(name);
        var header = CorpusPreparation.Prepare(CorpusReader.Open(PathOf("mixed.txt")), tokenizer, PathOf("mixed.bustok"), "mixed.txt");
        TokenStreamFile.Verify(PathOf("mixed.bustok"));
        Encoding.UTF8.GetBytes(DecodeStream(PathOf("mixed.bustok"), tokenizer)).Should().Equal(File.ReadAllBytes(PathOf("mixed.txt")));
        header.TextBytes.Should().Be(new FileInfo(PathOf("mixed.txt")).Length);
        header.Tokenizer.Should().Be(name);
        header.TokenizerSha256.Should().Be(tokenizer.Identity.Sha256);
        header.Dtype.Should().Be("uint16"); // 257 and 50,257 ids fit uint16
    }

    [Fact]
    public void AFileOfManyPiecesDecodesBackByteForByte()
    {
        // About 2.5 pieces of TextFileCorpus.PieceChars characters: the pieces end at line breaks and decode back exactly.
        var text = new StringBuilder();
        for (int i = 0; text.Length < 2.5 * TextFileCorpus.PieceChars; i++) text.Append(i).Append(' ').Append(Mixed);
        File.WriteAllText(PathOf("big.txt"), text.ToString(), new UTF8Encoding(false));
        var tokenizer = TiktokenTextTokenizer.Gpt2();
        CorpusPreparation.Prepare(CorpusReader.Open(PathOf("big.txt")), tokenizer, PathOf("big.bustok"), "big.txt");
        DecodeStream(PathOf("big.bustok"), tokenizer).Should().Be(text.ToString());
    }

    [Fact]
    public void DocumentsOfAFolderAreSeparatedByEndOfText()
    {
        Directory.CreateDirectory(PathOf("docs/sub"));
        File.WriteAllText(PathOf("docs/b.txt"), "second");
        File.WriteAllText(PathOf("docs/a.txt"), "first");
        File.WriteAllText(PathOf("docs/sub/c.txt"), "third");
        File.WriteAllText(PathOf("docs/.hidden"), "skipped");
        var header = CorpusPreparation.Prepare(CorpusReader.Open(PathOf("docs")), ByteTokenizer.Instance, PathOf("docs.bustok"), "docs");
        // Ordinal order of the relative paths: a.txt, b.txt, sub/c.txt.
        DecodeStream(PathOf("docs.bustok"), ByteTokenizer.Instance).Should().Be("first<|endoftext|>second<|endoftext|>third");
        header.Documents.Should().Be(3);
        header.Separator.Should().Be(256);
        header.TextBytes.Should().Be(16);
        header.Count.Should().Be(18);
    }

    [Fact]
    public void JsonLinesReadTheField()
    {
        File.WriteAllText(PathOf("c.jsonl"), "{\"text\": \"one\", \"id\": 1}\n\n{\"id\": 2, \"text\": \"tw\\u00f6\"}\n");
        CorpusPreparation.Prepare(CorpusReader.Open(PathOf("c.jsonl")), ByteTokenizer.Instance, PathOf("c.bustok"), "c.jsonl");
        DecodeStream(PathOf("c.bustok"), ByteTokenizer.Instance).Should().Be("one<|endoftext|>twö");
    }

    [Fact]
    public void AMissingJsonFieldIsOneErrorNamingTheLineAndField()
    {
        File.WriteAllText(PathOf("c.jsonl"), "{\"text\": \"one\"}\n{\"body\": \"two\"}\n");
        var act = () => CorpusPreparation.Prepare(CorpusReader.Open(PathOf("c.jsonl"), field: "text"), ByteTokenizer.Instance, PathOf("c.bustok"), "c.jsonl");
        act.Should().Throw<InvalidDataException>().WithMessage("--field text*line 2*no field 'text'*body*");
        File.Exists(PathOf("c.bustok")).Should().BeFalse();
        Directory.GetFiles(_dir, "*.tmp").Should().BeEmpty();
    }

    [Fact]
    public void ParquetReadsTheColumnAndNamesAMissingOne()
    {
        WriteParquet(PathOf("c.parquet"), ["alpha", "béta \U0001F600"]);
        CorpusPreparation.Prepare(CorpusReader.Open(PathOf("c.parquet"), column: "body"), TiktokenTextTokenizer.Gpt2(), PathOf("c.bustok"), "c.parquet");
        DecodeStream(PathOf("c.bustok"), TiktokenTextTokenizer.Gpt2()).Should().Be("alpha<|endoftext|>béta \U0001F600");
        var act = () => CorpusPreparation.Prepare(CorpusReader.Open(PathOf("c.parquet"), column: "text"), ByteTokenizer.Instance, PathOf("d.bustok"), "c.parquet");
        act.Should().Throw<InvalidDataException>().WithMessage("--column text*no column 'text'*body*");
    }

    [Fact]
    public void InvalidUtf8IsOneErrorNamingTheByte()
    {
        File.WriteAllBytes(PathOf("latin1.txt"), Encoding.Latin1.GetBytes("caf\u00e9 au lait"));
        var act = () => CorpusPreparation.Prepare(CorpusReader.Open(PathOf("latin1.txt")), ByteTokenizer.Instance, PathOf("l.bustok"), "latin1.txt");
        act.Should().Throw<InvalidDataException>().WithMessage("*latin1.txt*not UTF-8*byte 3*");
        File.Exists(PathOf("l.bustok")).Should().BeFalse();
    }

    [Fact]
    public void ABigVocabularyWritesUint32AndTrainingWindowsReadIt()
    {
        File.WriteAllText(PathOf("o.txt"), string.Concat(Enumerable.Repeat(Mixed, 4)));
        var tokenizer = TiktokenTextTokenizer.O200k();
        var header = CorpusPreparation.Prepare(CorpusReader.Open(PathOf("o.txt")), tokenizer, PathOf("o.bustok"), "o.txt");
        header.Dtype.Should().Be("uint32");
        var ids = TokenStreamFile.ReadTokens(PathOf("o.bustok"));
        ids.Should().Contain(id => id > ushort.MaxValue); // o200k's ids for common words lie above 65,535
        using var data = new TokenStreamData(PathOf("o.bustok"), context: 8);
        data.VocabularySize.Should().Be(tokenizer.VocabularySize);
        var (inputs, targets) = data.Windows([3]);
        using (inputs)
        using (targets)
        {
            inputs.data<long>().ToArray().Should().Equal(ids.Skip(3).Take(8).Select(i => (long)i));
            targets.data<long>().ToArray().Should().Equal(ids.Skip(4).Take(8).Select(i => (long)i));
        }
        DecodeStream(PathOf("o.bustok"), tokenizer).Should().Be(string.Concat(Enumerable.Repeat(Mixed, 4)));
    }

    [Fact]
    public void Text8ThroughTheNewPipelineWritesTheOldTokens()
    {
        File.WriteAllText(PathOf("t.txt"), Mixed);
        TokenStreamFile.Prepare(PathOf("t.txt"), PathOf("old.bustok"));
        var header = CorpusPreparation.Prepare(CorpusReader.Open(PathOf("t.txt")), Text8Tokenizer.Instance, PathOf("new.bustok"), "t.txt");
        TokenStreamFile.ReadTokens(PathOf("new.bustok")).Should().Equal(TokenStreamFile.ReadTokens(PathOf("old.bustok")));
        header.Dtype.Should().Be("uint8");
        header.TokenizerIdentity.Should().Be(TokenStreamFile.ReadHeader(PathOf("old.bustok")).Header.TokenizerIdentity);
    }

    [Fact]
    public void AnOldHeaderLoadsAsText8Characters()
    {
        // The header as streams were written before tokenizers were named: no tokenizer fields.
        TokenStreamFile.Write(PathOf("old.bustok"), [1, 2, 0, 3, 4, 0, 5, 6, 7, 8, 9, 10], CharVocabulary.Alphabet);
        var (header, _) = TokenStreamFile.ReadHeader(PathOf("old.bustok"));
        header.Tokenizer.Should().BeNull();
        header.TokenizerIdentity.Should().Be(Text8Tokenizer.Instance.Identity);
        header.VocabularySize.Should().Be(27);
        using var data = new TokenStreamData(PathOf("old.bustok"), context: 4);
        data.Fingerprint.Should().NotContain("tokenizer");
    }

    [Fact]
    public void StreamsOfDifferentTokenizersHaveDifferentFingerprints()
    {
        File.WriteAllText(PathOf("t.txt"), Mixed);
        CorpusPreparation.Prepare(CorpusReader.Open(PathOf("t.txt")), ByteTokenizer.Instance, PathOf("b.bustok"), "t.txt");
        CorpusPreparation.Prepare(CorpusReader.Open(PathOf("t.txt")), TiktokenTextTokenizer.Gpt2(), PathOf("g.bustok"), "t.txt");
        using var bytes = new TokenStreamData(PathOf("b.bustok"), context: 4);
        using var gpt2 = new TokenStreamData(PathOf("g.bustok"), context: 4);
        bytes.Fingerprint.Should().Contain($"tokenizer {ByteTokenizer.Instance.Identity}");
        gpt2.Fingerprint.Should().Contain("tokenizer gpt2 sha256 ");
        bytes.Fingerprint.Should().NotBe(gpt2.Fingerprint);
    }

    private static void WriteParquet(string path, string[] values)
    {
        var field = new DataField<string>("body");
        using var stream = File.Create(path);
        var writer = ParquetWriter.CreateAsync(new ParquetSchema(field), stream).GetAwaiter().GetResult();
        using (var group = writer.CreateRowGroup())
            group.WriteAsync(field, values, null).GetAwaiter().GetResult();
        writer.DisposeAsync().AsTask().GetAwaiter().GetResult();
    }
}
