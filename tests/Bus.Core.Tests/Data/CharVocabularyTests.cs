namespace Bus.Core.Tests.Data;

public class CharVocabularyTests
{
    [Fact]
    public void SpaceIsZeroAndLettersAreOneToTwentySix()
    {
        CharVocabulary.Size.Should().Be(27);
        CharVocabulary.Encode(" az").Should().Equal(0L, 1L, 26L);
        CharVocabulary.Encode("hi there").Should().Equal(8L, 9L, 0L, 20L, 8L, 5L, 18L, 5L);
    }

    [Fact]
    public void EncodeDecodeRoundTrips()
    {
        string text = "the quick brown fox jumps over the lazy dog";
        CharVocabulary.Decode(CharVocabulary.Encode(text)).Should().Be(text);
        CharVocabulary.Decode(CharVocabulary.Encode(CharVocabulary.Alphabet)).Should().Be(CharVocabulary.Alphabet);
    }

    [Theory]
    [InlineData("abC", 'C', 2)]
    [InlineData("a1", '1', 1)]
    [InlineData("!", '!', 0)]
    public void EncodeNamesTheCharacterAndPosition(string text, char bad, int position)
    {
        FluentActions.Invoking(() => CharVocabulary.Encode(text)).Should().Throw<ArgumentException>()
            .Where(e => e.ParamName == "text" && e.Message.Contains($"'{bad}'") && e.Message.Contains($"position {position}"));
    }

    [Fact]
    public void EncodeDescribesInvisibleCharacters() =>
        FluentActions.Invoking(() => CharVocabulary.Encode("a\tb")).Should().Throw<ArgumentException>()
            .Where(e => e.Message.Contains("U+0009") && e.Message.Contains("position 1"));

    [Theory]
    [InlineData(27L, 1)]
    [InlineData(-1L, 1)]
    public void DecodeRejectsIdsOutsideTheVocabulary(long id, int position) =>
        FluentActions.Invoking(() => CharVocabulary.Decode(new[] { 1L, id })).Should().Throw<ArgumentException>()
            .Where(e => e.ParamName == "ids" && e.Message.Contains($"Id {id}") && e.Message.Contains($"position {position}"));
}
