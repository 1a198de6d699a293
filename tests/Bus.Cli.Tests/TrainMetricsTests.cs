namespace Bus.Cli.Tests;

/// <summary><c>bus train</c>'s metrics (issue 20, item 6): --eval-every, early stopping and the run folder's files.</summary>
public sealed partial class TrainMetricsTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("bus-train-metrics-").FullName;

    [Fact]
    public void HelpListsTheMetricsAndEarlyStoppingOptions()
    {
        var help = BusProcess.Run(_dir, ["train", "--help"]);
        help.ExitCode.Should().Be(0, help.Stderr);
        help.Stdout.Should().Contain("--eval-every").And.Contain("--patience").And.Contain("--min-delta").And.Contain("--run-dir");
    }

    [Fact]
    public void ATinyRunWritesMetricsCsvAnEventFileAndAPng()
    {
        var run = BusProcess.Run(_dir, ["train", "--d", "16", "--steps", "12", "--batch", "8", "--max-windows", "200", "--max-eval", "32",
            "--eval-every", "4", "--run-dir", "run", "--threads", "1"]);
        run.ExitCode.Should().Be(0, run.Stderr);
        string folder = Path.Combine(_dir, "run");
        var rows = File.ReadAllLines(Path.Combine(folder, "metrics.csv"));
        rows[0].Should().StartWith("step,epoch,tokens,samples,lr,train_loss,dev_loss,dev_accuracy,elapsed_s");
        rows.Skip(1).Select(r => r.Split(',')[0]).Should().Equal("4", "8", "12");
        rows.Skip(1).Select(r => r.Split(',')[2]).Should()
            .Equal(new[] { "640", "1280", "1920" }, "tokens = steps x batch 8 x 20 positions");
        string events = Directory.GetFiles(folder, "events.out.tfevents.*").Should().ContainSingle().Subject;
        new FileInfo(events).Length.Should().BeGreaterThan(12 * 16, "a file-version record and at least one record per step");
        string png = Path.Combine(folder, "curves.png");
        File.ReadAllBytes(png)[..8].Should().Equal([0x89, (byte)'P', (byte)'N', (byte)'G', 0x0D, 0x0A, 0x1A, 0x0A]);
        new FileInfo(png).Length.Should().BeGreaterThan(10_000, "a rendered plot, not an empty image");
        run.Stdout.Should().Contain("metrics: run");
    }

    [Fact]
    public void EarlyStoppingEndsTheRunAtTheExpectedEvaluationAndSavesTheModel()
    {
        // A min delta of 100 nats: no evaluation after the first improves enough, so patience 2 ends the run at the third
        // evaluation (step 6 at one every 2 steps) of a 40-step budget.
        var run = BusProcess.Run(_dir, ["train", "--d", "16", "--steps", "40", "--batch", "8", "--max-windows", "200", "--max-eval", "32",
            "--eval-every", "2", "--patience", "2", "--min-delta", "100", "--save", "model.safetensors", "--threads", "1"]);
        run.ExitCode.Should().Be(0, run.Stderr);
        run.Stdout.Should().Contain("[step 6] early stopping: dev loss did not improve by more than 100 for 2 evaluations; best ");
        run.Stdout.Should().Contain("done: Requested at step 6");
        File.Exists(Path.Combine(_dir, "model.safetensors")).Should().BeTrue();
    }

    public void Dispose() => Directory.Delete(_dir, recursive: true);
}
