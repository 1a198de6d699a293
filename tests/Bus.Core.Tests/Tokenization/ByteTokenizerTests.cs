namespace Bus.Core.Tests.Tokenization;

/// <summary>The byte-level tokenizer: ids are the UTF-8 bytes, 256 is &lt;|endoftext|&gt;, every text decodes back exactly.</summary>
public class ByteTokenizerTests
{
    [Fact]
    public void IdsAreTheUtf8Bytes()
    {
        // "é" is C3 A9 in UTF-8; "A" is 0x41.
        ByteTokenizer.Instance.Encode("Aé").Should().Equal(0x41, 0xC3, 0xA9);
        ByteTokenizer.Instance.VocabularySize.Should().Be(257);
        ByteTokenizer.Instance.DocumentSeparator.Should().Be(256);
    }

    [Theory]
    [InlineData("Mixed CASE, punctuation!? digits 0123456789\ttabs\n")]
    [InlineData("emoji \U0001F600\U0001F44D and accents: café, naïve, Ångström, Ελληνικά, 日本語")]
    [InlineData("")]
    public void DecodeOfEncodeIsTheText(string text)
    {
        var tokenizer = ByteTokenizer.Instance;
        tokenizer.Decode(tokenizer.Encode(text)).Should().Be(text);
        Encoding.UTF8.GetBytes(tokenizer.Decode(tokenizer.Encode(text))).Should().Equal(Encoding.UTF8.GetBytes(text));
    }

    [Fact]
    public void TheSeparatorDecodesToEndOfText()
    {
        ByteTokenizer.Instance.Decode([0x61, 256, 0x62]).Should().Be("a<|endoftext|>b");
    }

    [Fact]
    public void AnIdOutsideTheVocabularyIsNamed()
    {
        var act = () => ByteTokenizer.Instance.Decode([0x61, 257]);
        act.Should().Throw<ArgumentException>().WithMessage("*257*position 1*");
    }
}
