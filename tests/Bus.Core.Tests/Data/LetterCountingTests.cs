namespace Bus.Core.Tests.Data;

public class LetterCountingTests
{
    private static string Digits(int[] labels) => string.Concat(labels);

    // Seed 002's examples with labels derived by hand from the written rule
    // ("times this character occurred before, max 2"); the seed's printed digits differ
    // at position 15 of the first and 19, 20 of the second (see docs/tasks.md).
    [Theory]
    [InlineData("we propose a new simp", "000000110110202121002")]
    [InlineData("men love the downfall", "000000011002201010012")]
    public void SeedExamplesFollowTheWrittenRule(string window, string expected)
    {
        window.Length.Should().Be(21);
        Digits(LetterCounting.Labels(window)).Should().Be(expected);
    }

    [Theory]
    [InlineData("we propose a new simp", "000000110110202021002", new[] { 15 })]
    [InlineData("men love the downfall", "000000011002201010001", new[] { 19, 20 })]
    public void SeedPrintedLabelsDifferOnlyAtTheDocumentedPositions(string window, string printed, int[] positions)
    {
        string rule = Digits(LetterCounting.Labels(window));
        Enumerable.Range(0, window.Length).Where(i => rule[i] != printed[i]).Should().Equal(positions);
    }

    [Theory]
    [InlineData("", "")]
    [InlineData("a", "0")]
    [InlineData("aaaa", "0122")]          // capped at 2
    [InlineData("abab", "0011")]
    [InlineData("a a a", "00112")]        // spaces count as characters
    [InlineData("   ", "012")]
    [InlineData("abcabcabc", "000111222")]
    public void BeforeCountsEarlierOccurrencesCapped(string window, string expected) =>
        Digits(LetterCounting.Labels(window)).Should().Be(expected);

    [Theory]
    [InlineData("a", "0")]
    [InlineData("ab", "00")]
    [InlineData("aba", "101")]
    [InlineData("aaaa", "2222")]
    [InlineData("a a", "101")]            // one other 'a' each; the single space has none
    [InlineData("we propose a new simp", "122201211220202121002")]
    public void BeforeAndAfterCountsOtherOccurrencesCapped(string window, string expected) =>
        Digits(LetterCounting.Labels(window, LetterCountingVariant.BeforeAndAfter)).Should().Be(expected);

    [Fact]
    public void CapChangesTheClassCount()
    {
        Digits(LetterCounting.Labels("aaaaa", cap: 3)).Should().Be("01233");
        Digits(LetterCounting.Labels("aaaaa", cap: 1)).Should().Be("01111");
        LetterCounting.ClassCount().Should().Be(3);
    }

    [Fact]
    public void CapBelowOneThrows()
    {
        FluentActions.Invoking(() => LetterCounting.Labels("ab", cap: 0)).Should().Throw<ArgumentException>().Where(e => e.ParamName == "cap");
        FluentActions.Invoking(() => LetterCounting.Labels("ab", (LetterCountingVariant)9)).Should().Throw<ArgumentException>().Where(e => e.ParamName == "variant");
    }
}
