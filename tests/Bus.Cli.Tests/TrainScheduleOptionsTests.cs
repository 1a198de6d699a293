using Bus.Core.Checkpoints;

namespace Bus.Cli.Tests;

/// <summary>
/// <c>bus train</c>'s options of issue 20 (items 1, 5, 7): <c>--accumulate</c>, <c>--schedule</c>, <c>--extend</c>,
/// <c>--init</c>, <c>--threads</c> on every command, run as child processes in a scratch folder.
/// </summary>
public sealed class TrainScheduleOptionsTests : IDisposable
{
    private const string Small = "--d 16 --heads 2 --batch 8 --max-windows 100 --threads 1 --progress-every 1000";
    private readonly string _dir = Directory.CreateTempSubdirectory("bus-schedule-cli-").FullName;

    private (int Code, string Stdout, string Stderr) Bus(string args) =>
        BusProcess.Run(_dir, args.Split(' ', StringSplitOptions.RemoveEmptyEntries), TimeSpan.FromSeconds(120));

    [Fact]
    public void TrainHelpListsTheOptions()
    {
        var (code, stdout, _) = Bus("train --help");
        code.Should().Be(0);
        foreach (var option in new[] { "--accumulate", "--schedule", "--decay-fraction", "--extend", "--init", "--threads" })
            stdout.Should().Contain(option);
    }

    [Theory]
    [InlineData("bus-experiment")]
    [InlineData("bench-trainer")]
    [InlineData("bench-lion")]
    [InlineData("bench-growth")]
    [InlineData("report")]
    [InlineData("prepare")]
    [InlineData("growth-table")]
    [InlineData("export-hf")]
    [InlineData("import-hf")]
    [InlineData("compare")]
    [InlineData("soak")]
    [InlineData("study")]
    public void EveryCommandTakesThreads(string command)
    {
        var (code, stdout, _) = Bus($"{command} --help");
        code.Should().Be(0);
        stdout.Should().Contain("--threads");
    }

    [Fact]
    public void AccumulatedRunTrainsTheSameBudget()
    {
        var (code, stdout, stderr) = Bus($"train {Small} --steps 4 --accumulate 4");
        code.Should().Be(0, stderr);
        stdout.Should().Contain("accumulate=4").And.Contain("done: BudgetSpent at step 4");
    }

    [Fact]
    public void InitStartsFromTheSavedWeightsWithAFreshRun()
    {
        var saved = Bus($"train {Small} --steps 6 --save a.safetensors");
        saved.Code.Should().Be(0, saved.Stderr);
        // --lr tiny: the first dev evaluation of the new run is (nearly) the saved model's, far from a fresh model's.
        var (code, stdout, stderr) = Bus($"train {Small} --steps 1 --lr 1e-9 --init a.safetensors --save b.safetensors --seed 7");
        code.Should().Be(0, stderr);
        stdout.Should().Contain("initial weights from a.safetensors").And.Contain("done: BudgetSpent at step 1");
        using var a = ModelCheckpoint.Load(Path.Combine(_dir, "a.safetensors"));
        using var b = ModelCheckpoint.Load(Path.Combine(_dir, "b.safetensors"));
        foreach (var ((name, pa), (_, pb)) in a.named_parameters().Zip(b.named_parameters()))
        {
            var (x, y) = (pa.data<float>().ToArray(), pb.data<float>().ToArray());
            double scale = x.Max(v => Math.Abs(v)) + 1e-30;
            x.Zip(y).Max(p => (double)Math.Abs(p.First - p.Second)).Should().BeLessThan(1e-6 * scale,
                $"{name}: one step at lr 1e-9 barely moves the weights");
        }
    }

    [Fact]
    public void ExtendingAnInterruptedWsdRunContinuesItAndAFinishedLinearRunIsRefused()
    {
        // A finished linear run: its decay is complete; the refusal writes nothing.
        Bus($"train {Small} --steps 4 --checkpoint-dir lin").Code.Should().Be(0);
        var before = File.ReadAllBytes(Path.Combine(_dir, "lin", "last.safetensors"));
        var refused = Bus($"train {Small} --steps 8 --checkpoint-dir lin --extend");
        refused.Code.Should().Be(2);
        refused.Stderr.Trim().Should().StartWith("error: ").And.Contain("decay is complete").And.NotContain("\n");
        File.ReadAllBytes(Path.Combine(_dir, "lin", "last.safetensors")).Should().Equal(before);

        // A WSD run planned for 4 steps whose checkpoint is at step 2 (stable phase: decay from 0.8 x 4 = 3.2) extends to 8.
        Bus($"train {Small} --steps 2 --checkpoint-dir w --schedule wsd").Code.Should().Be(0);
        CheckpointFixtures.Rewrite(Path.Combine(_dir, "w"), Path.Combine(_dir, "w4"), (_, metadata) =>
        {
            metadata["run/fingerprint"] = metadata["run/fingerprint"].Replace("2 Steps", "4 Steps", StringComparison.Ordinal);
            metadata["run/schedule"] = metadata["run/schedule"].Replace("\"Amount\":2,", "\"Amount\":4,", StringComparison.Ordinal);
        });
        var (code, stdout, stderr) = Bus($"train {Small} --steps 8 --checkpoint-dir w4 --schedule wsd --extend");
        code.Should().Be(0, stderr);
        stdout.Should().Contain("extending from").And.Contain("resumed from").And.Contain("extended from 4 to 8 Steps")
            .And.Contain("done: BudgetSpent at step 8");
    }

    public void Dispose() => Directory.Delete(_dir, recursive: true);
}
