namespace Bus.Cli.Tests;

/// <summary>
/// Crash safety end to end: a real <c>bus train</c> process is killed (whole process tree) at a random step,
/// the same command is run again, and its final model must equal an uninterrupted run's bit for bit.
/// </summary>
public sealed partial class KillAndResumeTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("bus-kill-").FullName;

    private static readonly string[] Common =
    [
        "train", "--d", "16", "--heads", "2", "--steps", "120", "--batch", "16", "--dropout", "0.1", "--max-windows", "400",
        "--checkpoint-every", "10", "--progress-every", "1", "--threads", "1", "--step-delay-ms", "15", "--seed", "7",
    ];

    [Fact]
    public void KilledRunResumesToBitwiseIdenticalFinalModel() => KillResumeAndCompare([], seed: 1, minKill: 20, maxKill: 100);

    [Fact]
    public void KilledAfterGrowthWithLionResumesToBitwiseIdenticalFinalModel() =>
        KillResumeAndCompare(["--grow-at-step", "60", "--grow-to-d", "32", "--optimizer", "lion"], seed: 2, minKill: 61, maxKill: 100, grown: true);

    private void KillResumeAndCompare(string[] extra, int seed, int minKill, int maxKill, bool grown = false)
    {
        string a = Path.Combine(_dir, "a"), b = Path.Combine(_dir, "b");
        Directory.CreateDirectory(a);
        Directory.CreateDirectory(b);
        string[] Args(string dir) => [.. Common, .. extra, "--checkpoint-dir", Path.Combine(dir, "ck"), "--save", Path.Combine(dir, "final.safetensors")];

        var full = BusProcess.Run(a, Args(a));
        full.ExitCode.Should().Be(0, full.Stderr);

        int killAt = new Random(seed).Next(minKill, maxKill + 1);
        long killedAfter = KillAtStep(b, Args(b), killAt);
        killedAfter.Should().BeInRange(killAt, 119, "the run must die before it finishes");
        File.Exists(Path.Combine(b, "final.safetensors")).Should().BeFalse();
        File.Exists(Path.Combine(b, "ck", "last.safetensors")).Should().BeTrue();

        var resumed = BusProcess.Run(b, Args(b));
        resumed.ExitCode.Should().Be(0, resumed.Stderr);
        resumed.Stdout.Should().Contain("resuming from");
        var match = ResumedAt().Match(resumed.Stdout);
        match.Success.Should().BeTrue(resumed.Stdout);
        long from = long.Parse(match.Groups[1].Value, CultureInfo.InvariantCulture);
        from.Should().BeLessThanOrEqualTo(killedAfter).And.BeGreaterThanOrEqualTo(killAt - 10).And.Match(s => s % 10 == 0);
        if (grown) resumed.Stdout.Should().Contain("d_model=32");

        AssertBitwiseEqual(Path.Combine(a, "final.safetensors"), Path.Combine(b, "final.safetensors"));
    }

    /// <summary>Starts the run, watches its progress lines, and kills the whole process tree at step <paramref name="step"/>; returns the last step it printed.</summary>
    private static long KillAtStep(string dir, string[] args, int step)
    {
        using var process = BusProcess.Start(dir, args);
        var stderr = process.StandardError.ReadToEndAsync();
        long last = 0;
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (process.StandardOutput.ReadLine() is { } line)
        {
            var m = StepLine().Match(line);
            if (m.Success) last = long.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture);
            if (last >= step || DateTime.UtcNow > deadline)
            {
                process.Kill(entireProcessTree: true);
                break;
            }
        }
        process.WaitForExit();
        last.Should().BeGreaterThanOrEqualTo(step, "the child must reach the kill step; stderr: " + stderr.Result);
        return last;
    }

    internal static void AssertBitwiseEqual(string pathA, string pathB)
    {
        using var x = SafeTensorsFile.Load(pathA);
        using var y = SafeTensorsFile.Load(pathB);
        x.Metadata.Should().Equal(y.Metadata);
        x.Tensors.Keys.Should().BeEquivalentTo(y.Tensors.Keys);
        x.Tensors.Count.Should().BeGreaterThan(0);
        foreach (var (name, t) in x.Tensors)
        {
            var u = y.Tensors[name];
            t.shape.Should().Equal(u.shape, name);
            t.bytes.ToArray().Should().Equal(u.bytes.ToArray(), $"tensor {name} must match bit for bit");
        }
    }

    [GeneratedRegex(@"^step (\d+)/")]
    private static partial Regex StepLine();

    [GeneratedRegex(@"resumed from .* at step (\d+)")]
    private static partial Regex ResumedAt();

    public void Dispose() => Directory.Delete(_dir, recursive: true);
}
