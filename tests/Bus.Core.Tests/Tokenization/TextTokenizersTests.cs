namespace Bus.Core.Tests.Tokenization;

/// <summary>Tokenizers by name, the model's padded vocabulary size and bits per byte.</summary>
public class TextTokenizersTests
{
    [Theory]
    [InlineData("byte", "byte")]
    [InlineData("text8", "text8")]
    [InlineData("gpt2", "gpt2")]
    [InlineData("GPT2", "gpt2")]
    public void NamesCreateTheirTokenizers(string spec, string name) => TextTokenizers.Create(spec).Identity.Name.Should().Be(name);

    [Theory]
    [InlineData("bpe")]
    [InlineData("sentencepiece")]
    [InlineData("hf:")]
    [InlineData("gpt2:extra")]
    public void UnknownNamesListTheKnownOnes(string spec)
    {
        var act = () => TextTokenizers.Create(spec);
        act.Should().Throw<ArgumentException>().WithMessage($"*'{spec}'*byte, text8, gpt2, cl100k, o200k, sentencepiece:PATH, hf:PATH*");
    }

    [Fact]
    public void AMissingModelFileIsNamed()
    {
        var act = () => TextTokenizers.Create("sentencepiece:/nonexistent/tokenizer.model");
        act.Should().Throw<FileNotFoundException>().WithMessage("*/nonexistent/tokenizer.model*");
    }

    [Theory]
    [InlineData(257, false, 320)]   // byte: 257 -> 5 x 64
    [InlineData(50257, false, 50304)] // GPT-2: 50257 -> 786 x 64 (nanoGPT's padded size)
    [InlineData(64, false, 64)]
    [InlineData(27, true, 27)]      // text8 characters keep their size
    public void ModelVocabularyIsRoundedUpToAMultipleOf64(int size, bool characters, int expected) =>
        TextTokenizers.ModelVocabularySize(size, characters).Should().Be(expected);

    [Fact]
    public void BitsPerByteIsNatsTimesTokensOverBytesOverLn2()
    {
        // 2 nats/token over 100 tokens of 400 bytes: 200 nats / 400 bytes = 0.5 nats/byte = 0.5 / ln 2 bits/byte.
        BitsPerByte.FromCrossEntropy(2.0, 100, 400).Should().BeApproximately(0.5 / Math.Log(2), 1e-12 * 0.73);
        // A byte tokenizer (1 token per byte): bits per byte is bits per token.
        BitsPerByte.FromCrossEntropy(1.3, 1000, 1000).Should().BeApproximately(1.3 / Math.Log(2), 1e-12 * 1.9);
        double.IsNaN(BitsPerByte.FromCrossEntropy(double.NaN, 1, 1)).Should().BeTrue();
    }
}
