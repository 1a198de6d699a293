namespace Bus.Core.Tests.Data;

public class Text8Tests
{
    [Theory]
    [InlineData("a10b", "a one zero b")]                       // each digit its own word
    [InlineData("1984", "one nine eight four")]
    [InlineData("in 2024.", "in two zero two four")]
    [InlineData("Hello, World!", "hello world")]                // case, punctuation
    [InlineData("  lots \t of\n\n  space  ", "lots of space")]  // whitespace runs collapse, trimmed
    [InlineData("don't", "don t")]
    [InlineData("café", "caf")]                                 // non-ASCII letters are not a-z
    [InlineData("x-ray/ABC", "x ray abc")]
    [InlineData("", "")]
    [InlineData("!!! ...", "")]
    [InlineData("7", "seven")]
    public void NormalizeFollowsWikifilRules(string raw, string expected) =>
        Text8.Normalize(raw).Should().Be(expected);

    [Fact]
    public void NormalizeIsIdempotent()
    {
        string once = Text8.Normalize("The 3 Musketeers (1844), by A. Dumas!");
        once.Should().Be("the three musketeers one eight four four by a dumas");
        Text8.Normalize(once).Should().Be(once);
    }

    [Fact]
    public void StreamingNormalizeMatchesStringNormalize()
    {
        string raw = string.Concat(Enumerable.Repeat("Ab, 12 cd!\n", 20_000));   // spans several read buffers
        using var writer = new StringWriter();
        long written = Text8.Normalize(new StringReader(raw), writer);
        writer.ToString().Should().Be(Text8.Normalize(raw));
        written.Should().Be(writer.ToString().Length);
    }

    [Theory]
    [InlineData("hello world", true)]
    [InlineData("", true)]
    [InlineData(" hello", false)]       // text8 itself starts with a space; Load drops it
    [InlineData("hello ", false)]
    [InlineData("hello  world", false)]
    [InlineData("Hello", false)]
    [InlineData("a1", false)]
    public void IsText8(string text, bool expected) => Text8.IsText8(text).Should().Be(expected);

    [Fact]
    public void LoadNormalisesAnyTextFile()
    {
        string path = Path.GetTempFileName();
        try
        {
            File.WriteAllText(path, " anarchism Originated 1 time\n");
            Text8.Load(path).Should().Be("anarchism originated one time");
        }
        finally { File.Delete(path); }
    }

    [Fact]
    public void LoadMissingFileNamesThePath()
    {
        string path = Path.Combine(Path.GetTempPath(), "bus-no-such-file-" + Guid.NewGuid());
        var act = () => Text8.Load(path);
        act.Should().Throw<FileNotFoundException>().Where(e => e.FileName == path && e.Message.Contains(path));
    }

    [Fact]
    public void LoadRejectsFoldersEmptyPathsAndEmptyText()
    {
        string dir = Path.GetTempPath();
        FluentActions.Invoking(() => Text8.Load(dir)).Should().Throw<ArgumentException>().Where(e => e.ParamName == "path");
        FluentActions.Invoking(() => Text8.Load(" ")).Should().Throw<ArgumentException>().Where(e => e.ParamName == "path");

        string path = Path.GetTempFileName();
        try
        {
            File.WriteAllText(path, "?!,.");
            FluentActions.Invoking(() => Text8.Load(path)).Should().Throw<ArgumentException>()
                .Where(e => e.ParamName == "path" && e.Message.Contains(path));
        }
        finally { File.Delete(path); }
    }
}
