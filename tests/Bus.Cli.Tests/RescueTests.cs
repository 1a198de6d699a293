using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;
using Bus.Core.IO;

namespace Bus.Cli.Tests;

/// <summary>
/// Issue 23: after a stop on a non-finite loss, rerunning with a lower <c>--lr</c> (the documented way out) was refused
/// as a different run. <c>bus train --rescue</c> goes on from the last finite checkpoint with only the learning rate
/// changed, records the rescue, and refuses any other change, the same rate, or a folder without a non-finite stop.
/// </summary>
public sealed partial class RescueTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("bus-rescue-cli-").FullName;

    /// <summary>
    /// At --lr 20 this run diverges within its 5-step warm-up (gradient norm NaN or infinite at step 7 on this machine) while
    /// the step-4 checkpoint is still usable at 1e-3. (At --lr 1e6 the first step with a non-zero rate wrecks the weights,
    /// so the last finite checkpoint itself yields a non-finite gradient at any rate.)
    /// </summary>
    private static string[] Args(string lr, params string[] extra) => Args(lr, "16", extra);

    private static string[] Args(string lr, string d, string[] extra) =>
    [
        "train", "--d", d, "--heads", "2", "--steps", "100", "--max-windows", "400", "--batch", "16", "--checkpoint-dir", "ck",
        "--checkpoint-every", "4", "--threads", "1", "--progress-every", "100", "--lr", lr, .. extra,
    ];

    [Fact]
    public void ARunStoppedOnANonFiniteLossIsRescuedWithALowerRateAndFinishes()
    {
        var stopped = BusProcess.Run(_dir, Args("20"));
        stopped.ExitCode.Should().Be(1, stopped.Stdout + stopped.Stderr);
        var match = Stop().Match(stopped.Stderr);
        match.Success.Should().BeTrue(stopped.Stderr);
        long step = long.Parse(match.Groups[1].Value, CultureInfo.InvariantCulture), from = long.Parse(match.Groups[2].Value, CultureInfo.InvariantCulture);
        stopped.Stderr.Should().Contain("rerun with --rescue and a lower --lr");

        var wider = BusProcess.Run(_dir, Args("0.001", "32", ["--rescue"]));
        wider.ExitCode.Should().Be(2);
        wider.Stderr.Trim().Should().StartWith("error: Checkpoint 'ck/last.safetensors' cannot be rescued with these options: a rescue changes only the learning rate")
            .And.Contain("model.d_model: checkpoint 16, this run 32").And.NotContain("learningRate");

        var same = BusProcess.Run(_dir, Args("20", "--rescue"));
        same.ExitCode.Should().Be(2);
        same.Stderr.Trim().Should().Be("error: Checkpoint 'ck/last.safetensors': a rescue changes the learning rate, but this run's learningRate 20 is the checkpoint's; rerun with a lower one.");

        var rescued = BusProcess.Run(_dir, Args("0.001", "--rescue"));
        rescued.ExitCode.Should().Be(0, rescued.Stderr);
        rescued.Stdout.Should().Contain("rescuing from ck/last.safetensors")
            .And.Contain($"[step {from}] rescued after the non-finite stop at step {step}: resumed from step {from}, learning rate 20 -> 0.001 (nothing else changed)")
            .And.Contain("done: BudgetSpent at step 100");
        using (var content = SafeTensorsFile.Load(Path.Combine(_dir, "ck", "last.safetensors")))
        {
            var rescues = JsonDocument.Parse(content.Metadata["run/rescues"]).RootElement;
            rescues.GetArrayLength().Should().Be(1);
            rescues[0].GetProperty("Step").GetInt64().Should().Be(from);
            rescues[0].GetProperty("StoppedAtStep").GetInt64().Should().Be(step);
            rescues[0].GetProperty("OldLearningRate").GetDouble().Should().Be(20);
            rescues[0].GetProperty("NewLearningRate").GetDouble().Should().Be(0.001);
        }

        File.Exists(Path.Combine(_dir, "ck", "nonfinite-stop.json")).Should().BeFalse();
        var again = BusProcess.Run(_dir, Args("0.0001", "--rescue"));
        again.ExitCode.Should().Be(2);
        again.Stderr.Trim().Should().StartWith("error: Checkpoint folder 'ck' records no non-finite stop ('ck/nonfinite-stop.json' is missing)");
    }

    [GeneratedRegex(@"at step (\d+); the model keeps the weights of step \d+; the last finite checkpoint 'ck/last\.safetensors' holds step (\d+)")]
    private static partial Regex Stop();

    public void Dispose() => Directory.Delete(_dir, recursive: true);
}
