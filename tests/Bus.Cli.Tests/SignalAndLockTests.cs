namespace Bus.Cli.Tests;

/// <summary>
/// Real child processes (issue 12, items 1 and 6): SIGINT finishes the step, writes a checkpoint and exits 130, and the
/// same command resumes from it; a second signal aborts at once; a second run on the same checkpoint folder is refused
/// naming the first one's PID.
/// </summary>
public sealed partial class SignalAndLockTests(Xunit.Abstractions.ITestOutputHelper output) : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("bus-signal-").FullName;

    private static string[] Train(int steps, int delayMs) =>
    [
        "train", "--d", "16", "--heads", "2", "--steps", steps.ToString(CultureInfo.InvariantCulture), "--batch", "16", "--max-windows", "400",
        "--checkpoint-dir", "ck", "--checkpoint-every", "1000", "--progress-every", "1", "--threads", "1",
        "--step-delay-ms", delayMs.ToString(CultureInfo.InvariantCulture), "--save", "final.safetensors",
    ];

    [Fact]
    public async Task SigintFinishesTheStepWritesACheckpointAndTheSameCommandResumes()
    {
        if (Ignored("INT")) return;
        using var process = BusProcess.Start(_dir, Train(200, 20));
        var stderr = process.StandardError.ReadToEndAsync();
        long last = WaitForStep(process, 15);
        Signal(process, "INT");
        var rest = process.StandardOutput.ReadToEnd();
        process.WaitForExit(60_000).Should().BeTrue();
        string errors = await stderr;
        process.ExitCode.Should().Be(130, errors);
        errors.Should().Contain("SIGINT: stopping after the current step");
        File.Exists(Path.Combine(_dir, "final.safetensors")).Should().BeFalse();
        using (var content = SafeTensorsFile.Load(Path.Combine(_dir, "ck", "last.safetensors")))
        {
            long saved = long.Parse(content.Metadata["meter"].TrimStart('[').Split(',')[0], CultureInfo.InvariantCulture);
            saved.Should().BeGreaterThanOrEqualTo(last).And.BeLessThan(200, "checkpoint-every 1000: only the cancellation wrote it, at the step it finished");
        }

        var resumed = BusProcess.Run(_dir, Train(200, 0), TimeSpan.FromSeconds(240));
        resumed.ExitCode.Should().Be(0, resumed.Stderr);
        resumed.Stdout.Should().Contain("resuming from");
        File.Exists(Path.Combine(_dir, "final.safetensors")).Should().BeTrue();
        _ = rest;
    }

    /// <summary>Issue 23: SIGTERM exits 143 and SIGHUP 129 (128 + the signal), each after writing a checkpoint at the finished step.</summary>
    [Theory]
    [InlineData("TERM", 143)]
    [InlineData("HUP", 129)]
    public async Task SigtermAndSighupStopGracefullyWith128PlusTheSignal(string signal, int code)
    {
        if (Ignored(signal)) return;
        using var process = BusProcess.Start(_dir, Train(1_000_000, 20)); // never ends on its own
        var stderr = process.StandardError.ReadToEndAsync();
        WaitForStep(process, 2);
        Signal(process, signal);
        var stdout = process.StandardOutput.ReadToEndAsync();
        bool exited = process.WaitForExit(60_000);
        if (!exited) process.Kill(entireProcessTree: true); // never hang the suite
        exited.Should().BeTrue($"SIG{signal} must stop the run within 60 s");
        _ = await stdout;
        string errors = await stderr;
        process.ExitCode.Should().Be(code, errors);
        errors.Should().Contain($"SIG{signal}: stopping after the current step");
        File.Exists(Path.Combine(_dir, "ck", "last.safetensors")).Should().BeTrue("the graceful stop writes a checkpoint");
    }

    [Fact]
    public void ASecondSignalAbortsWithoutWaitingForTheStep()
    {
        if (Ignored("INT")) return;
        using var process = BusProcess.Start(_dir, Train(200, 4000));
        _ = process.StandardError.ReadToEndAsync();
        WaitForStep(process, 1);
        Signal(process, "INT");
        Thread.Sleep(300);
        Signal(process, "INT");
        process.WaitForExit(30_000).Should().BeTrue();
        process.ExitCode.Should().NotBe(0);
        File.Exists(Path.Combine(_dir, "ck", "last.safetensors")).Should().BeFalse("the process ended inside the 4-second step, before the graceful checkpoint");
    }

    [Fact]
    public void ASecondRunOnTheSameCheckpointFolderIsRefusedNamingTheFirstPid()
    {
        using var first = BusProcess.Start(_dir, Train(200, 50));
        try
        {
            WaitForStep(first, 1);
            var second = BusProcess.Run(_dir, Train(200, 0));
            second.ExitCode.Should().Be(2, second.Stderr);
            second.Stderr.Trim().Should().StartWith("error: Checkpoint folder 'ck' is in use by another run (pid " + first.Id.ToString(CultureInfo.InvariantCulture) + " on ");
        }
        finally
        {
            first.Kill(entireProcessTree: true);
            first.WaitForExit();
        }
    }

    [Fact]
    public void AnUnwritableSavePathFailsBeforeTraining()
    {
        var run = BusProcess.Run(_dir, ["train", "--steps", "100000", "--save", Path.Combine("missing", "model.safetensors"), "--checkpoint-dir", "ck"]);
        run.ExitCode.Should().Be(2);
        run.Stderr.Trim().Should().Be($"error: --save '{Path.Combine("missing", "model.safetensors")}': folder '{Path.Combine(_dir, "missing")}' does not exist.");
        run.Stdout.Should().NotContain("step ");
        Directory.Exists(Path.Combine(_dir, "ck")).Should().BeFalse("nothing is created before the paths are checked");
    }

    private static long WaitForStep(Process process, int step)
    {
        while (process.StandardOutput.ReadLine() is { } line)
        {
            var match = StepLine().Match(line);
            if (match.Success && long.Parse(match.Groups[1].Value, CultureInfo.InvariantCulture) >= step)
                return long.Parse(match.Groups[1].Value, CultureInfo.InvariantCulture);
        }

        throw new InvalidOperationException($"bus ended before step {step}: {process.StandardError.ReadToEnd()}");
    }

    /// <summary>
    /// True (and says so) when this test process ignores <paramref name="signal"/>: bus, its child, inherits an ignored
    /// disposition and, as the parent intended, keeps running. nohup ignores SIGHUP; a shell without job control starts
    /// background commands with SIGINT ignored. Read from SigIgn in /proc/self/status (bit n-1 for signal n).
    /// </summary>
    private bool Ignored(string signal)
    {
        const string status = "/proc/self/status";
        int number = signal switch { "HUP" => 1, "INT" => 2, "TERM" => 15, _ => throw new ArgumentOutOfRangeException(nameof(signal)) };
        string? line = File.Exists(status) ? File.ReadLines(status).FirstOrDefault(l => l.StartsWith("SigIgn:", StringComparison.Ordinal)) : null;
        bool ignored = line is not null && (Convert.ToUInt64(line["SigIgn:".Length..].Trim(), 16) & (1UL << (number - 1))) != 0;
        if (ignored) output.WriteLine($"SKIPPED: SIG{signal} is ignored by this test process (nohup, or a background job); bus inherits that.");
        return ignored;
    }

    private static void Signal(Process process, string signal)
    {
        using var kill = Process.Start("kill", ["-" + signal, process.Id.ToString(CultureInfo.InvariantCulture)])!;
        kill.WaitForExit();
    }

    [GeneratedRegex(@"^step (\d+)/")]
    private static partial Regex StepLine();

    public void Dispose() => Directory.Delete(_dir, recursive: true);
}
