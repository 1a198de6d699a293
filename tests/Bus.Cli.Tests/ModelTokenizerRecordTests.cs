using Bus.Core.Model;
using Bus.Core.Tokenization;
using Bus.Core.Checkpoints;

namespace Bus.Cli.Tests;

/// <summary>
/// Models, checkpoints and imported models record their tokenizer: <c>bus generate</c> and <c>bus export-hf</c> use it without
/// <c>--tokenizer</c> and refuse another; <c>bus train --init</c> refuses a stream of another tokenizer; models saved before
/// the record existed keep working with <c>--tokenizer</c>.
/// </summary>
public sealed class ModelTokenizerRecordTests : IDisposable
{
    private static readonly string[] Tiny = ["--context", "24", "--d", "16", "--heads", "2", "--steps", "2", "--batch", "4", "--threads",
        "1"];
    private readonly string _dir = Directory.CreateTempSubdirectory("bus-model-tokenizer-").FullName;

    public ModelTokenizerRecordTests()
    {
        File.WriteAllText(Path.Combine(_dir, "mine.txt"), string.Concat(Enumerable.Repeat("Héllo, World! Tabs\tand 42 digits. ", 60)));
        Ok(Bus("prepare", "mine.txt", "--tokenizer", "byte", "--output", "mine.bustok"));
    }

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private (int ExitCode, string Stdout, string Stderr) Bus(params string[] args) => BusProcess.Run(_dir, args);

    private static void Ok((int ExitCode, string Stdout, string Stderr) run) => run.ExitCode.Should().Be(0, run.Stdout + run.Stderr);

    private static void Refused((int ExitCode, string Stdout, string Stderr) run, params string[] parts)
    {
        run.ExitCode.Should().Be(2, run.Stdout + run.Stderr);
        string line = run.Stderr.Trim();
        line.Should().StartWith("error: ").And.NotContain("\n");
        foreach (string part in parts) line.Should().Contain(part);
    }

    private static string Short(ITextTokenizer tokenizer) => tokenizer.Identity.ToString();

    [Fact]
    public void AByteModelGeneratesWithoutTokenizerAndRefusesAnotherOne()
    {
        Ok(Bus(["train", "--corpus", "mine.bustok", .. Tiny, "--save", "bytes.safetensors", "--checkpoint-dir", "ck"]));
        ModelTokenizer.Read(Path.Combine(_dir, "bytes.safetensors"))!.Identity.Should().Be(ByteTokenizer.Instance.Identity);
        ModelTokenizer.Read(Path.Combine(_dir, "ck", "last.safetensors"))!.Identity.Should().Be(ByteTokenizer.Instance.Identity);

        var run = Bus("generate", "--model", "bytes.safetensors", "--prompt", "Hé, W!", "--max-tokens", "8", "--temperature", "0");
        Ok(run);
        run.Stdout.Should().StartWith("Hé, W!");
        Ok(Bus("generate", "--model", "bytes.safetensors", "--tokenizer", "byte", "--prompt", "Hé", "--max-tokens", "2"));
        Refused(Bus("generate", "--model", "bytes.safetensors", "--tokenizer", "gpt2", "--prompt", "He"),
            "--tokenizer gpt2", Short(TiktokenTextTokenizer.Gpt2()),
                "--model bytes.safetensors was trained with " + Short(ByteTokenizer.Instance));
    }

    [Fact]
    public void TrainInitRefusesAStreamOfAnotherTokenizer()
    {
        Ok(Bus(["train", "--corpus", "mine.bustok", .. Tiny, "--save", "bytes.safetensors", "--checkpoint-dir", "ck"]));
        Ok(Bus("prepare", "mine.txt", "--tokenizer", "gpt2", "--output", "gpt2.bustok"));
        foreach (string init in new[] { "bytes.safetensors", Path.Combine("ck", "last.safetensors") })
            Refused(Bus(["train", "--init", init, "--corpus", "gpt2.bustok", .. Tiny]),
                "--corpus gpt2.bustok", Short(TiktokenTextTokenizer.Gpt2()),
                    $"--init {init} was trained with {Short(ByteTokenizer.Instance)}");
        Ok(Bus(["train", "--init", "bytes.safetensors", "--corpus", "mine.bustok", .. Tiny])); // the same tokenizer continues
    }

    [Fact]
    public void AModelSavedBeforeTheRecordKeepsNeedingTokenizer()
    {
        using (var model = GrowableTransformer.Create(new TransformerConfig
               {
                   Mode = ModelMode.Decoder, VocabSize = 320, MaxLength = 24, DModel = 16, FeedForwardSize = 64, Heads = 2, Layers = 1,
                       Dropout = 0,
               }, seed: 1))
            ModelCheckpoint.Save(model, Path.Combine(_dir, "old.safetensors")); // no bus.tokenizer entry
        Refused(Bus("generate", "--model", "old.safetensors", "--prompt", "He"), "--model: the model has 320 symbols", "--tokenizer byte");
        Ok(Bus("generate", "--model", "old.safetensors", "--tokenizer", "byte", "--prompt", "Hé", "--max-tokens", "3"));
    }

    [Fact]
    public void ExportAndImportCarryTheTokenizer()
    {
        Ok(Bus(["train", "--arch", "llama", "--corpus", "mine.bustok", .. Tiny, "--save", "bytes.safetensors"]));
        Refused(Bus("export-hf", "bytes.safetensors", "--out", "refused", "--tokenizer", "gpt2"), "--tokenizer gpt2",
            "model bytes.safetensors");
        Directory.Exists(Path.Combine(_dir, "refused")).Should().BeFalse();
        Ok(Bus("export-hf", "bytes.safetensors", "--out", "hf")); // no --tokenizer: the model's own
        HfTokenizerFiles.Read(Path.Combine(_dir, "hf"))!.Identity.Should().Be(ByteTokenizer.Instance.Identity);
        Ok(Bus("import-hf", "hf", "--out", "back.safetensors"));
        ModelTokenizer.Read(Path.Combine(_dir, "back.safetensors"))!.Identity.Should().Be(ByteTokenizer.Instance.Identity);
        var run = Bus("generate", "--model", "back.safetensors", "--prompt", "Hé", "--max-tokens", "4", "--temperature", "0");
        Ok(run);
        run.Stdout.Should().Be(Bus("generate", "--model", "bytes.safetensors", "--prompt", "Hé", "--max-tokens", "4", "--temperature",
            "0").Stdout);
    }

    [Fact]
    public void AFileTokenizerTravelsInTheModelFile()
    {
        // A hand-made byte-level BPE (vocab.json + merges.txt): read as hf, whose files the saved model holds.
        string tok = Directory.CreateDirectory(Path.Combine(_dir, "tok")).FullName;
        File.WriteAllText(Path.Combine(tok, "vocab.json"), "{\"a\": 0, \"b\": 1, \"ab\": 2, \"<|endoftext|>\": 3}");
        File.WriteAllText(Path.Combine(tok, "merges.txt"), "#version: 0.2\na b\n");
        File.WriteAllText(Path.Combine(_dir, "ab.txt"), string.Concat(Enumerable.Repeat("abbaab", 200)));
        Ok(Bus("prepare", "ab.txt", "--tokenizer", "hf:" + tok, "--output", "ab.bustok"));
        Ok(Bus(["train", "--arch", "llama", "--corpus", "ab.bustok", .. Tiny, "--save", "ab.safetensors"]));
        Directory.Delete(tok, recursive: true); // the model file alone rebuilds its tokenizer
        var run = Bus("generate", "--model", "ab.safetensors", "--prompt", "abba", "--max-tokens", "3", "--temperature", "0");
        Ok(run);
        run.Stdout.Should().StartWith("abba").And.MatchRegex("^[ab]+\n$"); // padding ids of the rounded-up vocabulary print nothing
        run.Stderr.Should().Contain("generated 3 tokens");
        Ok(Bus("export-hf", "ab.safetensors", "--out", "hf"));
        File.ReadAllText(Path.Combine(_dir, "hf", "merges.txt")).Should().Be("#version: 0.2\na b\n");
    }
}
