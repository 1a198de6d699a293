namespace Bus.Cli.Tests;

/// <summary><c>bus prepare</c> and <c>bus train --task charlm --corpus</c> end to end on a small text.</summary>
public sealed partial class TrainCharLmTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("bus-charlm-").FullName;

    public TrainCharLmTests() =>
        File.WriteAllText(Path.Combine(_dir, "corpus.txt"), string.Concat(Enumerable.Repeat("It was the best of times, it was the worst of times; 1859.\n", 200)));

    [Fact]
    public void PrepareThenTrainACharLmOnTheTokenStream()
    {
        var prepare = BusProcess.Run(_dir, ["prepare", "corpus.txt", "--output", "corpus.bustok"]);
        prepare.ExitCode.Should().Be(0, prepare.Stderr);
        prepare.Stdout.Should().Contain("prepare corpus.txt: 100%").And.Contain("prepared corpus.bustok");
        var train = BusProcess.Run(_dir, ["train", "--task", "charlm", "--corpus", "corpus.bustok", "--context", "32", "--d", "16", "--heads", "2",
            "--steps", "20", "--batch", "8", "--progress-every", "10", "--threads", "1", "--selector", "selective-backprop", "--optimizer", "lion", "--lr", "3e-3"]);
        train.ExitCode.Should().Be(0, train.Stderr);
        train.Stdout.Should().Contain("sha256 verified");
        train.Stdout.Should().MatchRegex(@"step 20/20 loss \d+\.\d+ dev bpc \d+\.\d+ \| [\d,]+ tok/s \| ETA ");
        var done = DoneLine().Match(train.Stdout);
        done.Success.Should().BeTrue(train.Stdout);
        double.Parse(done.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture).Should().BeLessThan(Math.Log2(27));
    }

    [Fact]
    public void ATextCorpusIsPreparedOnceNextToIt()
    {
        string[] args = ["train", "--task", "charlm", "--corpus", "corpus.txt", "--context", "16", "--d", "8", "--steps", "2", "--batch", "4", "--threads", "1"];
        var first = BusProcess.Run(_dir, args);
        first.ExitCode.Should().Be(0, first.Stderr);
        first.Stdout.Should().Contain("prepared corpus.txt.bustok");
        File.Exists(Path.Combine(_dir, "corpus.txt.bustok")).Should().BeTrue();
        var second = BusProcess.Run(_dir, args);
        second.Stdout.Should().Contain("using prepared corpus.txt.bustok");
    }

    /// <summary>Issue 23: file dates are not trusted; a text replaced by an older-dated one is prepared again.</summary>
    [Fact]
    public void AnAutoPreparedStreamIsRebuiltWhenItsTextChangedEvenIfTheTextIsOlder()
    {
        string[] args = ["train", "--task", "charlm", "--corpus", "corpus.txt", "--context", "16", "--d", "8", "--steps", "2", "--batch", "4", "--threads", "1"];
        var first = BusProcess.Run(_dir, args);
        first.ExitCode.Should().Be(0, first.Stderr);
        string stream = Path.Combine(_dir, "corpus.txt.bustok");
        long before = Bus.Core.Data.TokenStreamFile.ReadHeader(stream).Header.Count;
        File.WriteAllText(Path.Combine(_dir, "corpus.txt"), string.Concat(Enumerable.Repeat("A different and shorter text. ", 100)));
        File.SetLastWriteTimeUtc(Path.Combine(_dir, "corpus.txt"), File.GetLastWriteTimeUtc(stream).AddHours(-1));
        var second = BusProcess.Run(_dir, args);
        second.ExitCode.Should().Be(0, second.Stderr);
        second.Stdout.Should().Contain("was not prepared from the current corpus.txt: preparing it again").And.Contain("prepared corpus.txt.bustok");
        second.Stdout.Should().NotContain("using prepared");
        Bus.Core.Data.TokenStreamFile.ReadHeader(stream).Header.Count.Should().NotBe(before);
    }

    /// <summary>Issue 23: one token byte set to 0xFF is refused when the run starts, naming the file and the token offset (it used to end at step 96 with libtorch's "index out of range in self").</summary>
    [Fact]
    public void AnOutOfRangeTokenIsRefusedAtTheStartNamingTheFileAndOffset()
    {
        BusProcess.Run(_dir, ["prepare", "corpus.txt", "--output", "bad.bustok"]).ExitCode.Should().Be(0);
        var (header, offset) = Bus.Core.Data.TokenStreamFile.ReadHeader(Path.Combine(_dir, "bad.bustok"));
        long token = new Random(23).NextInt64(header.Count);
        using (var file = new FileStream(Path.Combine(_dir, "bad.bustok"), FileMode.Open, FileAccess.Write))
        {
            file.Position = offset + token;
            file.WriteByte(0xFF);
        }

        var train = BusProcess.Run(_dir, ["train", "--task", "charlm", "--corpus", "bad.bustok", "--context", "16", "--d", "8", "--steps", "200", "--batch", "4", "--threads", "1"]);
        train.ExitCode.Should().Be(2, train.Stderr);
        train.Stderr.Trim().Should().Be($"error: bad.bustok: token {token} has id 255, outside the vocabulary of 27 symbols (ids 0..26); the file is corrupt.");
        train.Stdout.Should().NotContain("step ");
    }

    [Theory]
    [InlineData("--task", "poetry")]
    [InlineData("--selector", "oracle")]
    [InlineData("--grow-op", "magic")]
    [InlineData("--context", "0")]
    public void BadValueExitsWithTwoNamingOptionAndValue(string option, string value)
    {
        var (code, _, stderr) = BusProcess.Run(_dir, ["train", "--steps", "2", option, value]);
        code.Should().Be(2);
        stderr.Should().Contain(option).And.Contain(value);
    }

    [Fact]
    public void ASavePathThatIsAFolderIsRefusedBeforeTraining()
    {
        Directory.CreateDirectory(Path.Combine(_dir, "models"));
        var (code, stdout, stderr) = BusProcess.Run(_dir, ["train", "--steps", "2", "--save", "models"]);
        code.Should().Be(2);
        stderr.Should().Contain("--save 'models'").And.Contain("folder");
        stdout.Should().NotContain("step ");
    }

    [GeneratedRegex(@"done: BudgetSpent at step 20, .* dev bpc (\d+\.\d+)")]
    private static partial Regex DoneLine();

    public void Dispose()
    {
        try { Directory.Delete(_dir, recursive: true); } catch (IOException) { }
    }
}
