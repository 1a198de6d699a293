namespace Bus.Cli.Tests;

/// <summary><c>bus train --precision</c> and <c>--recompute</c>: listed in the help, validated before anything is written, and run.</summary>
public sealed class TrainComputeOptionsTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("bus-compute-options-").FullName;

    [Fact]
    public void TheHelpListsPrecisionAndRecompute()
    {
        var (code, stdout, _) = BusProcess.Run(_dir, ["train", "--help"]);
        code.Should().Be(0);
        stdout.Should().Contain("--precision").And.Contain("fp32, bf16 or fp16").And.Contain("--recompute");
    }

    [Fact]
    public void AnUnknownPrecisionEndsWithOneErrorLineAndWritesNothing()
    {
        var (code, _, stderr) = BusProcess.Run(_dir,
            ["train", "--precision", "fp8", "--checkpoint-dir", "ck", "--save", "model.safetensors", "--steps", "2"]);
        code.Should().Be(2);
        stderr.Trim().Split('\n').Should().ContainSingle().Which.Should().StartWith("error: --precision fp8").And.Contain("fp32, bf16, fp16");
        Directory.EnumerateFileSystemEntries(_dir).Should().BeEmpty("a bad option is refused before anything is written");
    }

    [Fact]
    public void ATinyRunTrainsInBf16WithRecompute()
    {
        var (code, stdout, stderr) = BusProcess.Run(_dir,
            ["train", "--d", "16", "--heads", "2", "--steps", "3", "--batch", "8", "--max-windows", "100", "--precision", "bf16", "--recompute", "--dropout", "0.1"]);
        code.Should().Be(0, stderr);
        stdout.Should().Contain("compute: precision=bf16 recompute=on").And.Contain("done: BudgetSpent at step 3");
    }

    public void Dispose() => Directory.Delete(_dir, recursive: true);
}
