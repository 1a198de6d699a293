namespace Bus.Cli.Tests;

/// <summary><c>bus generate</c> end to end on a tiny char LM trained by <c>bus train</c> (built-in Brown slice, 2 steps).</summary>
public sealed class GenerateCommandTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("bus-generate-").FullName;

    public GenerateCommandTests()
    {
        var train = BusProcess.Run(_dir, ["train", "--task", "charlm", "--context", "24", "--d", "16", "--heads", "2", "--steps", "2",
            "--batch", "4",
            "--max-windows", "50", "--threads", "1", "--save", "lm.safetensors"]);
        train.ExitCode.Should().Be(0, train.Stderr);
    }

    [Fact]
    public void GreedyGenerationPrintsThePromptAndItsContinuationTheSameWithAndWithoutTheCache()
    {
        string[] args = ["generate", "--model", "lm.safetensors", "--prompt", "the ", "--temperature", "0", "--max-tokens", "12"];
        var cached = BusProcess.Run(_dir, args);
        cached.ExitCode.Should().Be(0, cached.Stderr);
        string text = cached.Stdout.TrimEnd('\n');
        text.Should().StartWith("the ").And.HaveLength(16).And.MatchRegex("^[ a-z]+$");
        cached.Stderr.Should().Contain("generated 12 tokens").And.Contain("with the key/value cache");
        var uncached = BusProcess.Run(_dir, [.. args, "--no-cache"]);
        uncached.ExitCode.Should().Be(0, uncached.Stderr);
        uncached.Stdout.Should().Be(cached.Stdout);
    }

    [Fact]
    public void TheSameSeedGivesTheSameSample()
    {
        string[] args = ["generate", "--model", "lm.safetensors", "--prompt", "a", "--temperature", "1", "--top-k", "5", "--top-p", "0.9",
            "--seed", "3"];
        var first = BusProcess.Run(_dir, args);
        first.ExitCode.Should().Be(0, first.Stderr);
        first.Stdout.TrimEnd('\n').Should().HaveLength(24, "by default the continuation fills the context");
        BusProcess.Run(_dir, args).Stdout.Should().Be(first.Stdout);
    }

    [Theory]
    [InlineData("--prompt|The cat", "--prompt: character 'T' (U+0054) at position 0 is not in the model's vocabulary")]
    [InlineData("--prompt|the|--max-tokens|22",
        "--max-tokens 22: does not fit: the prompt has 3 tokens and the model's context is 24 (at most 21 new tokens)")]
    [InlineData("--prompt|the|--stop|ab", "--stop 'ab': must be exactly one token")]
    [InlineData("--prompt|the|--stop|!", "--stop: character '!' (U+0021) at position 0")]
    public void BadPromptsAndLengthsNameTheProblem(string extra, string expected)
    {
        var run = BusProcess.Run(_dir, ["generate", "--model", "lm.safetensors", .. extra.Split('|')]);
        run.ExitCode.Should().Be(2);
        run.Stderr.Trim().Should().StartWith("error: ").And.Contain(expected);
    }

    /// <summary>
    /// A byte-level model (bus prepare --tokenizer byte, then bus train on the stream) generates with --tokenizer byte:
    /// a prompt with upper case, punctuation and a two-byte character goes in and comes back out unchanged at the start;
    /// without --tokenizer the model's recorded tokenizer (byte) gives the same text.
    /// </summary>
    [Fact]
    public void AByteLevelModelGeneratesWithItsTokenizer()
    {
        File.WriteAllText(Path.Combine(_dir, "mine.txt"), string.Concat(Enumerable.Repeat("Héllo, World! Tabs\tand 42 digits. ", 60)));
        var prepare = BusProcess.Run(_dir, ["prepare", "mine.txt", "--tokenizer", "byte", "--output", "mine.bustok"]);
        prepare.ExitCode.Should().Be(0, prepare.Stderr);
        var train = BusProcess.Run(_dir, ["train", "--corpus", "mine.bustok", "--context", "24", "--d", "16", "--heads", "2",
            "--steps", "2", "--batch", "4", "--threads", "1", "--save", "bytes.safetensors"]);
        train.ExitCode.Should().Be(0, train.Stdout + train.Stderr);

        var run = BusProcess.Run(_dir, ["generate", "--model", "bytes.safetensors", "--tokenizer", "byte", "--prompt", "Hé, W!",
            "--max-tokens", "8", "--temperature", "0", "--threads", "1"]);
        run.ExitCode.Should().Be(0, run.Stderr);
        run.Stdout.Should().StartWith("Hé, W!");
        run.Stderr.Should().Contain("generated ");

        var recorded = BusProcess.Run(_dir, ["generate", "--model", "bytes.safetensors", "--prompt", "Hé, W!",
            "--max-tokens", "8", "--temperature", "0", "--threads", "1"]);
        recorded.ExitCode.Should().Be(0, recorded.Stderr);
        recorded.Stdout.Should().Be(run.Stdout);
    }

    public void Dispose() => Directory.Delete(_dir, recursive: true);
}
