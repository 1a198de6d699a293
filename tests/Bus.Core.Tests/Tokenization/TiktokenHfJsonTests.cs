using System.Text.Json.Nodes;
using Bus.Core.Tokenization;
using Microsoft.ML.Tokenizers;

namespace Bus.Core.Tests.Tokenization;

/// <summary>
/// cl100k and o200k written as a Hugging Face tokenizer.json (<see cref="TiktokenHfJson"/>) and read back through the hf:PATH
/// reader (Microsoft.ML.Tokenizers' BpeTokenizer: the file's split regex, then merges by the file's merge order) give the ids
/// of Microsoft.ML.Tokenizers' own tiktoken (rank-based BPE), and tiktoken's published ids.
/// </summary>
public class TiktokenHfJsonTests : IDisposable
{
    private static readonly string[] Texts =
    [
        "hello world",
        "The Quick BROWN fox; jumps -- over 13 lazy dogs!? 1234567 and 3.14159",
        "Emoji: \U0001F600 \U0001F44D\U0001F3FD and accents: café, naïve, Ångström, Ελληνικά, 日本語, русский.",
        "\tTabbed\tcolumns\t42\r\n  spaces   \n\n\nend",
        "I'm sure they've said it's what we'd do, DON'T YOU'LL camelCaseWords and snake_case_words",
        "def f(x):\n    return {'a': [1, 2, 3]}  # comment\n\n\n",
        "path/to/file.txt https://example.com/?q=1&r=2 <html><body>x</body></html>",
    ];

    private readonly string _dir = Directory.CreateTempSubdirectory("bus-tiktoken-json-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Theory]
    [InlineData("cl100k", "cl100k_base", new[] { 15339, 1917 })] // tiktoken tests/test_encoding.py test_simple: "hello world"
    [InlineData("o200k", "o200k_base", new[] { 24912, 2375 })]   // o200k_base's ids of "hello world"
    public void TheTokenizerJsonGivesTiktokensIds(string name, string encoding, int[] helloWorld)
    {
        var tokenizer = (TiktokenTextTokenizer)TextTokenizers.Create(name);
        HfTokenizerFiles.Write(tokenizer, _dir).Should().Equal("tokenizer.json", "tokenizer_config.json");
        // hf:FILE reads the file itself (HfJsonTokenizer); the folder is recognised as the tokenizer it was written from.
        var back = TextTokenizers.Create("hf:" + Path.Combine(_dir, "tokenizer.json"));
        back.Identity.Name.Should().Be("hf");
        HfTokenizerFiles.Read(_dir)!.Identity.Should().Be(tokenizer.Identity);
        back.VocabularySize.Should().Be(tokenizer.VocabularySize);
        back.DocumentSeparator.Should().Be(tokenizer.DocumentSeparator);
        var reference = TiktokenTokenizer.CreateForEncoding(encoding); // Microsoft.ML.Tokenizers' own tiktoken
        back.Encode("hello world").Should().Equal(helloWorld);
        foreach (string text in Texts)
        {
            back.Encode(text).Should().Equal(reference.EncodeToIds(text), text);
            back.Decode(back.Encode(text)).Should().Be(text);
        }
    }

    [Fact]
    public void EveryMergeJoinsTwoLowerRanksIntoTheTokenOfItsPosition()
    {
        var tokenizer = TiktokenTextTokenizer.Cl100k();
        var json = TiktokenHfJson.Build(tokenizer);
        var vocab = json["model"]!["vocab"]!.AsObject();
        var merges = json["model"]!["merges"]!.AsArray();
        // cl100k has 100,256 ranks: 256 single bytes, and one merge for each of the other 100,000.
        vocab.Count.Should().Be(100_256);
        merges.Count.Should().Be(100_000);
        int previous = 255;
        foreach (var merge in merges)
        {
            string left = merge![0]!.GetValue<string>(), right = merge[1]!.GetValue<string>();
            int joined = vocab[left + right]!.GetValue<int>();
            joined.Should().BeGreaterThan(previous); // merges come in rank order
            vocab[left]!.GetValue<int>().Should().BeLessThan(joined);
            vocab[right]!.GetValue<int>().Should().BeLessThan(joined);
            previous = joined;
        }
        json["added_tokens"]!.AsArray().Select(t => t!["content"]!.GetValue<string>()).Should().Contain("<|endoftext|>");
        json["pre_tokenizer"]!.ToJsonString().Should().Contain("Split");
    }

    [Fact]
    public void Gpt2HasItsOwnFilesNotATokenizerJson()
    {
        var act = () => TiktokenHfJson.Build(TiktokenTextTokenizer.Gpt2());
        act.Should().Throw<NotSupportedException>().WithMessage("*gpt2*cl100k and o200k*");
    }
}
