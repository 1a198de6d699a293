namespace Bus.Core.Tests.Data;

public class BrownCorpusTests
{
    [Theory]
    [InlineData("The/at Fulton/np-tl County/nn-tl", "The Fulton County")]
    [InlineData("Atlanta's/np$ ``/`` no/at ''/''", "Atlanta's `` no ''")]
    [InlineData("1/2/cd ./.", "1/2 .")]            // text before the LAST '/'
    [InlineData("  untagged \n\t word/nn  ", "untagged word")]
    public void StripTagsKeepsTheWords(string tagged, string expected) =>
        BrownCorpus.StripTags(tagged).Should().Be(expected);

    [Fact]
    public void ToText8StripsAndNormalisesFilesInOrder()
    {
        string a = Path.GetTempFileName(), b = Path.GetTempFileName();
        try
        {
            File.WriteAllText(a, "\n\n\tThe/at Fulton/np-tl County's/nn$ 1962/cd election/nn ./.\n");
            File.WriteAllText(b, "\tIt/pps 1/2/cd-hl was/bedz ''/''");
            BrownCorpus.ToText8([a, b]).Should().Be("the fulton county s one nine six two election it one two was");
        }
        finally { File.Delete(a); File.Delete(b); }
    }

    [Fact]
    public void ToText8NamesAMissingFile()
    {
        string path = Path.Combine(Path.GetTempPath(), "bus-no-brown-" + Guid.NewGuid());
        FluentActions.Invoking(() => BrownCorpus.ToText8([path])).Should().Throw<FileNotFoundException>().Where(e => e.FileName == path);
    }
}

public class BuiltInCorpusTests
{
    [Fact]
    public void BrownSliceIsText8OfTheDocumentedSize()
    {
        string text = BuiltInCorpus.BrownSlice();
        Text8.IsText8(text).Should().BeTrue();
        text.Length.Should().Be(299_956);   // docs/tasks.md
        text.Should().StartWith("the fulton county grand jury said friday");
        text.Split(' ').Length.Should().BeInRange(40_000, 70_000);
    }
}
