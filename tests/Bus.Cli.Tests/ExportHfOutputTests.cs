namespace Bus.Cli.Tests;

/// <summary>
/// Issue 23: <c>bus export-hf</c> writes its folder all at once (a staging sibling, then a rename), so a failed export
/// leaves no folder behind, and a successful one leaves no staging folder.
/// </summary>
public sealed class ExportHfOutputTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("bus-export-hf-").FullName;

    [Fact]
    public void FailedExportLeavesNoFolderAndSuccessfulOneNoStagingFolder()
    {
        // An encoder (letter task) has no Hugging Face layout: the export fails after the model is read.
        Train(["--task", "letter"], "encoder.safetensors");
        var failed = BusProcess.Run(_dir, ["export-hf", "encoder.safetensors", "--out", "out/encoder-hf"], TimeSpan.FromSeconds(120));
        failed.ExitCode.Should().Be(2, failed.Stderr);
        failed.Stderr.Trim().Should().StartWith("error: ").And.Contain("encoder");
        Directory.Exists(Path.Combine(_dir, "out")).Should().BeFalse("nothing is created before the export succeeds");

        Train(["--task", "charlm", "--arch", "llama"], "decoder.safetensors"); // LlamaForCausalLM: no head bias to fold
        var done = BusProcess.Run(_dir, ["export-hf", "decoder.safetensors", "--out", "out/decoder-hf"], TimeSpan.FromSeconds(120));
        done.ExitCode.Should().Be(0, done.Stderr);
        Directory.GetFiles(Path.Combine(_dir, "out", "decoder-hf")).Select(Path.GetFileName)
            .Should().Contain(["model.safetensors", "config.json"]);
        Directory.GetDirectories(Path.Combine(_dir, "out")).Select(Path.GetFileName).Should().Equal(["decoder-hf"]);
    }

    private void Train(string[] model, string save)
    {
        var made = BusProcess.Run(_dir, ["train", .. model, "--d", "16", "--heads", "2", "--steps", "2", "--batch", "8",
            "--max-windows", "100", "--threads", "1", "--save", save], TimeSpan.FromSeconds(120));
        made.ExitCode.Should().Be(0, made.Stderr);
    }

    public void Dispose() => Directory.Delete(_dir, recursive: true);
}
