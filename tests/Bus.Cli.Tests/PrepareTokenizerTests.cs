using Bus.Core.Data;
using Bus.Core.Tokenization;

namespace Bus.Cli.Tests;

/// <summary><c>bus prepare --tokenizer</c> over a folder and JSON Lines, then <c>bus train --corpus x.bustok</c> with the stream's vocabulary.</summary>
public sealed partial class PrepareTokenizerTests : IDisposable
{
    private const string Line = "It was the best of times, It WAS the worst of times; 1859.\tÀ bientôt \U0001F600\n";
    private readonly string _dir = Directory.CreateTempSubdirectory("bus-prepare-tokenizer-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public void AFolderPreparedWithTheByteTokenizerTrainsAndReportsBitsPerByte()
    {
        Directory.CreateDirectory(Path.Combine(_dir, "docs"));
        for (int i = 0; i < 3; i++)
            File.WriteAllText(Path.Combine(_dir, "docs", $"d{i}.txt"), string.Concat(Enumerable.Repeat(Line, 40)));
        var prepare = BusProcess.Run(_dir, ["prepare", "docs", "--tokenizer", "byte", "--output", "docs.bustok"]);
        prepare.ExitCode.Should().Be(0, prepare.Stderr);
        prepare.Stdout.Should().Contain("prepare docs: 100%").And.Contain("tokens of byte sha256").And.Contain("3 documents");
        var header = TokenStreamFile.ReadHeader(Path.Combine(_dir, "docs.bustok")).Header;
        header.Tokenizer.Should().Be("byte");
        header.Dtype.Should().Be("uint16");
        ByteTokenizer.Instance.Decode(TokenStreamFile.ReadTokens(Path.Combine(_dir, "docs.bustok")))
            .Should().Be(string.Join("<|endoftext|>", Enumerable.Repeat(string.Concat(Enumerable.Repeat(Line, 40)), 3)));

        var train = BusProcess.Run(_dir, ["train", "--corpus", "docs.bustok", "--context", "32", "--d", "16", "--steps", "4", "--batch", "4",
            "--threads", "1", "--progress-every", "2"]);
        train.ExitCode.Should().Be(0, train.Stderr);
        train.Stdout.Should().Contain("tokens of byte, vocabulary 257");
        // One byte per token: bits per byte equals the loss in bits per token.
        var done = DoneLine().Match(train.Stdout);
        done.Success.Should().BeTrue(train.Stdout);
        double loss = double.Parse(done.Groups[1].Value, CultureInfo.InvariantCulture), bpb = double.Parse(done.Groups[2].Value, CultureInfo.InvariantCulture);
        bpb.Should().BeApproximately(loss / Math.Log(2), 1e-3 * bpb + 1e-4);
    }

    [Fact]
    public void JsonLinesPreparedWithGpt2DecodeBack()
    {
        File.WriteAllText(Path.Combine(_dir, "c.jsonl"), "{\"body\": \"Hello, World!\"}\n{\"body\": \"caf\\u00e9 \\ud83d\\ude00\"}\n");
        var prepare = BusProcess.Run(_dir, ["prepare", "c.jsonl", "--tokenizer", "gpt2", "--field", "body"]);
        prepare.ExitCode.Should().Be(0, prepare.Stderr);
        string stream = Path.Combine(_dir, "c.jsonl.bustok");
        TokenStreamFile.ReadHeader(stream).Header.TokenizerVocabularySize.Should().Be(50257);
        TiktokenTextTokenizer.Gpt2().Decode(TokenStreamFile.ReadTokens(stream)).Should().Be("Hello, World!<|endoftext|>café \U0001F600");
    }

    [Fact]
    public void AByteModelExportsItsTokenizerAndImportsItBack()
    {
        File.WriteAllText(Path.Combine(_dir, "c.txt"), string.Concat(Enumerable.Repeat(Line, 60)));
        BusProcess.Run(_dir, ["prepare", "c.txt", "--tokenizer", "byte"]).ExitCode.Should().Be(0);
        var train = BusProcess.Run(_dir, ["train", "--corpus", "c.txt.bustok", "--context", "16", "--d", "16", "--steps", "2", "--batch", "4",
            "--threads", "1", "--arch", "llama", "--save", "m.safetensors"]); // llama: no head bias to fold into GPT-2's bias-free head
        train.ExitCode.Should().Be(0, train.Stderr);
        var export = BusProcess.Run(_dir, ["export-hf", "m.safetensors", "--out", "hf", "--tokenizer", "byte"]);
        export.ExitCode.Should().Be(0, export.Stderr);
        File.Exists(Path.Combine(_dir, "hf", "tokenizer.json")).Should().BeTrue();
        var import = BusProcess.Run(_dir, ["import-hf", "hf", "--out", "back.safetensors"]);
        import.ExitCode.Should().Be(0, import.Stderr);
        import.Stdout.Should().Contain($"Tokenizer: {ByteTokenizer.Instance.Identity} (257 ids)");
        var again = BusProcess.Run(_dir, ["prepare", "c.txt", "--tokenizer", "hf:hf", "--output", "again.bustok"]);
        again.ExitCode.Should().Be(0, again.Stderr);
        TokenStreamFile.ReadTokens(Path.Combine(_dir, "again.bustok")).Should().Equal(TokenStreamFile.ReadTokens(Path.Combine(_dir, "c.txt.bustok")));
    }

    [GeneratedRegex(@"done: .* dev loss (\d+\.\d+), .* dev bits/byte (\d+\.\d+) \(byte")]
    private static partial Regex DoneLine();
}
