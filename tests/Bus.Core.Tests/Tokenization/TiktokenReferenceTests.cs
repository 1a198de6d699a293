namespace Bus.Core.Tests.Tokenization;

/// <summary>
/// GPT-2 BPE and cl100k ids for fixed strings equal the published reference ids: tiktoken's own tests,
/// github.com/openai/tiktoken tests/test_encoding.py (test_simple, test_simple_repeated, test_simple_regex,
/// test_encode_surrogate_pairs), which OpenAI's tiktoken produces for the "gpt2" and "cl100k_base" encodings.
/// </summary>
public class TiktokenReferenceTests
{
    private static readonly Lazy<TiktokenTextTokenizer> Gpt2 = new(TiktokenTextTokenizer.Gpt2);
    private static readonly Lazy<TiktokenTextTokenizer> Cl100k = new(TiktokenTextTokenizer.Cl100k);

    public static TheoryData<string, int[]> Gpt2Cases => new()
    {
        { "hello world", [31373, 995] },                      // test_simple
        { "hello <|endoftext|>", [31373, 220, 50256] },       // test_simple (allowed_special="all")
        { "0", [15] },                                        // test_simple_repeated
        { "00", [405] },
        { "000", [830] },
        { "0000", [2388] },
        { "00000", [20483] },
        { "000000", [10535] },
        { "0000000", [24598] },
        { "00000000", [8269] },
        { "000000000", [10535, 830] },
        { "0000000000000000", [25645] },
        { "00000000000000000", [8269, 10535, 830] },
    };

    public static TheoryData<string, int[]> Cl100kCases => new()
    {
        { "hello world", [15339, 1917] },                     // test_simple
        { "hello <|endoftext|>", [15339, 220, 100257] },      // test_simple
        { "rer", [38149] },                                   // test_simple_regex
        { "'rer", [2351, 81] },
        { "today\n \n", [31213, 27907] },
        { "today\n  \n", [31213, 14211] },
        { "\U0001F44D", [9468, 239, 235] },                   // test_encode_surrogate_pairs
    };

    [Theory]
    [MemberData(nameof(Gpt2Cases))]
    public void Gpt2IdsEqualTiktokensReferenceIds(string text, int[] expected)
    {
        Gpt2.Value.Encode(text).Should().Equal(expected);
        Gpt2.Value.Decode(expected).Should().Be(text);
    }

    [Theory]
    [MemberData(nameof(Cl100kCases))]
    public void Cl100kIdsEqualTiktokensReferenceIds(string text, int[] expected)
    {
        Cl100k.Value.Encode(text).Should().Equal(expected);
        Cl100k.Value.Decode(expected).Should().Be(text);
    }

    [Fact]
    public void VocabularySizesAndSeparatorsAreTheEncodingsOwn()
    {
        // GPT-2: 50,256 ranks + <|endoftext|> = 50256; cl100k_base: <|endoftext|> = 100257 (tiktoken's test_simple).
        Gpt2.Value.VocabularySize.Should().Be(50257);
        Gpt2.Value.DocumentSeparator.Should().Be(50256);
        Cl100k.Value.DocumentSeparator.Should().Be(100257);
        Cl100k.Value.VocabularySize.Should().BeGreaterThan(100257);
        Gpt2.Value.Ranks().Should().HaveCount(50256);
    }

    [Fact]
    public void IdentitiesAreStableAndDiffer()
    {
        var again = TiktokenTextTokenizer.Gpt2();
        again.Identity.Should().Be(Gpt2.Value.Identity);
        Gpt2.Value.Identity.Name.Should().Be("gpt2");
        Gpt2.Value.Identity.Sha256.Should().MatchRegex("^[0-9a-f]{64}$");
        Cl100k.Value.Identity.Should().NotBe(Gpt2.Value.Identity);
    }
}
