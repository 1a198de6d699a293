namespace Bus.Core.Tests.Tokenization;

/// <summary>Tokenizers written as Hugging Face files and read back map text to the same ids.</summary>
public class HfTokenizerFilesTests : IDisposable
{
    private const string Mixed = "The Quick BROWN fox; jumps -- over 13 lazy dogs!?\n\tTabbed\tcolumns\t42\r\n"
        + "Emoji: \U0001F600 \U0001F44D\U0001F3FD and accents: café, naïve, Ångström, Ελληνικά, 日本語.\n  spaces   \n\n\n";

    private readonly string _dir = Directory.CreateTempSubdirectory("bus-hf-tokenizer-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public void Gpt2AsVocabAndMergesReadsBackToTheSameIds()
    {
        var gpt2 = TiktokenTextTokenizer.Gpt2();
        HfTokenizerFiles.Write(gpt2, _dir).Should().Equal("vocab.json", "merges.txt", "tokenizer_config.json");
        // GPT-2's published merges.txt has 50,000 merges after its version line.
        File.ReadAllLines(Path.Combine(_dir, "merges.txt")).Should().HaveCount(50_001);
        var back = HfTokenizerFiles.Read(_dir)!;
        back.Identity.Should().Be(gpt2.Identity); // GPT-2's own files are read back as GPT-2
        back.Encode(Mixed).Should().Equal(gpt2.Encode(Mixed));
        back.Encode("hello world").Should().Equal(31373, 995); // tiktoken tests/test_encoding.py test_simple
        // Same ids as tiktoken on text whose whitespace runs are single (Microsoft.ML.Tokenizers' CodeGenTokenizer splits a
        // run of several spaces or line breaks differently from tiktoken by one token); exact round trip on all of it.
        const string Prose = "The Quick BROWN fox; jumps -- over 13 lazy dogs!? Emoji: \U0001F600 and accents: café, naïve, 日本語.";
        back.Encode(Prose).Should().Equal(gpt2.Encode(Prose));
        back.Decode(back.Encode(Mixed)).Should().Be(Mixed);
        back.VocabularySize.Should().Be(50257);
        back.DocumentSeparator.Should().Be(50256);
    }

    [Fact]
    public void TheByteTokenizerAsTokenizerJsonReadsBackToTheByteValues()
    {
        HfTokenizerFiles.Write(ByteTokenizer.Instance, _dir).Should().Equal("tokenizer.json");
        var back = HfTokenizerFiles.Read(_dir)!;
        back.Identity.Should().Be(ByteTokenizer.Instance.Identity);
        back.Encode(Mixed).Should().Equal(ByteTokenizer.Instance.Encode(Mixed));
        back.Decode(back.Encode(Mixed)).Should().Be(Mixed);
        back.VocabularySize.Should().Be(257);
        back.DocumentSeparator.Should().Be(256);
    }

    [Fact]
    public void GptTwosByteToUnicodeMapIsItsPublishedOne()
    {
        // GPT-2 encoder.py bytes_to_unicode: '!' stays '!', the space (0x20) is 'Ġ' (U+0120), '\n' (0x0A) is 'Ċ' (U+010A).
        var map = HfTokenizerFiles.ByteToUnicode();
        map['!'].Should().Be("!");
        map[' '].Should().Be("\u0120");
        map['\n'].Should().Be("\u010A");
        map.Distinct().Should().HaveCount(256);
    }

    [Fact]
    public void OtherVocabAndMergesGoThroughCodeGen()
    {
        // A hand-made byte-level BPE: "a" "b" and one merge "a b" -> "ab".
        File.WriteAllText(Path.Combine(_dir, "vocab.json"), "{\"a\": 0, \"b\": 1, \"ab\": 2, \"<|endoftext|>\": 3}");
        File.WriteAllText(Path.Combine(_dir, "merges.txt"), "#version: 0.2\na b\n");
        var back = TextTokenizers.Create("hf:" + _dir);
        back.Identity.Name.Should().Be("hf");
        back.Encode("abba").Should().Equal(2, 1, 0);
        back.DocumentSeparator.Should().Be(3);
    }

    [Fact]
    public void Text8HasNoHuggingFaceFormHere()
    {
        var act = () => HfTokenizerFiles.Write(Text8Tokenizer.Instance, _dir);
        act.Should().Throw<NotSupportedException>().WithMessage("*text8*gpt2, byte, cl100k, o200k*");
    }

    [Fact]
    public void AHuggingFaceTokenizerIsWrittenBackAsTheFilesItWasReadFrom()
    {
        File.WriteAllText(Path.Combine(_dir, "vocab.json"), "{\"a\": 0, \"b\": 1, \"ab\": 2, \"<|endoftext|>\": 3}");
        File.WriteAllText(Path.Combine(_dir, "merges.txt"), "#version: 0.2\na b\n");
        var hf = (HfJsonTokenizer)TextTokenizers.Create("hf:" + _dir);
        string copy = Directory.CreateDirectory(Path.Combine(_dir, "copy")).FullName;
        HfTokenizerFiles.Write(hf, copy).Should().BeEquivalentTo("vocab.json", "merges.txt");
        File.ReadAllBytes(Path.Combine(copy, "merges.txt")).Should().Equal(File.ReadAllBytes(Path.Combine(_dir, "merges.txt")));
        HfTokenizerFiles.Read(copy)!.Identity.Should().Be(hf.Identity);
    }
}
