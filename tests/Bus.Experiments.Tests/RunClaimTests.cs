using System.Diagnostics;

namespace Bus.Experiments.Tests;

/// <summary>Run claims let several workers share one study folder: a live claim is respected, a stale one taken over.</summary>
public sealed class RunClaimTests : TempFolderTest
{
    public RunClaimTests() : base("bus-claim-") => Directory.CreateDirectory(Root);

    [Fact]
    public void ClaimIsExclusiveWhileHeldAndFreeAfterDispose()
    {
        string run = Path.Combine(Root, "a.json");
        using (var claim = RunClaim.TryTake(run))
        {
            claim.Should().NotBeNull();
            File.ReadAllText(RunClaim.PathOf(run)).Should().Be(Environment.ProcessId.ToString(System.Globalization.CultureInfo.InvariantCulture));
            RunClaim.TryTake(run).Should().BeNull("this live process holds it");
        }
        File.Exists(RunClaim.PathOf(run)).Should().BeFalse();
        using var again = RunClaim.TryTake(run);
        again.Should().NotBeNull();
    }

    [Theory]
    [InlineData("dead-process")]
    [InlineData("not a pid")]
    public void StaleClaimIsTakenOver(string holder)
    {
        string run = Path.Combine(Root, "b.json");
        string content = holder;
        if (holder == "dead-process")
        {
            using var exited = Process.Start(new ProcessStartInfo("true") { UseShellExecute = false })!;
            exited.WaitForExit();
            content = exited.Id.ToString(System.Globalization.CultureInfo.InvariantCulture);
        }
        File.WriteAllText(RunClaim.PathOf(run), content);
        RunClaim.IsHeldByLiveProcess(RunClaim.PathOf(run)).Should().BeFalse();
        using var claim = RunClaim.TryTake(run);
        claim.Should().NotBeNull();
        File.ReadAllText(RunClaim.PathOf(run)).Should().Be(Environment.ProcessId.ToString(System.Globalization.CultureInfo.InvariantCulture));
    }

    [Fact]
    public void StudyWaitsForARunAnotherWorkerHoldsAndTakesItOverWhenThatWorkerStops()
    {
        var options = StudyOptions.Tiny;
        string dir = Path.Combine(Root, "study");
        string held = StudyRunner.RunPath(dir, StudyOptions.ScratchArm(options.ScratchLearningRates[0]), options.Comparison.FirstSeed);
        Directory.CreateDirectory(Path.GetDirectoryName(held)!);
        // Another live worker holds the first run (this process's id stands for it).
        File.WriteAllText(RunClaim.PathOf(held), Environment.ProcessId.ToString(System.Globalization.CultureInfo.InvariantCulture));
        double poll = StudyRunner.ClaimPollSeconds;
        StudyRunner.ClaimPollSeconds = 0.05;
        try
        {
            StudyResult? result = null;
            var worker = new Thread(() => result = StudyRunner.Run(options, BuiltInCorpus.BrownSlice(), dir, maxNewRuns: 4));
            worker.Start();
            // The worker trains the rest of phase 1 (2 LRs x 2 seeds, one held), then waits at the phase boundary; it may train 4 runs.
            var watch = Stopwatch.StartNew();
            while (Directory.GetFiles(Path.Combine(dir, "runs"), "*.json").Length < 3 && worker.IsAlive && watch.Elapsed < TimeSpan.FromMinutes(20))
                Thread.Sleep(50);
            Thread.Sleep(300);
            worker.IsAlive.Should().BeTrue("phase 2 needs the held run");
            File.Exists(held).Should().BeFalse("a held run is not trained by another worker");
            Directory.GetFiles(Path.Combine(dir, "runs"), "*.json").Should().HaveCount(3);

            File.Delete(RunClaim.PathOf(held)); // the holder stopped without finishing
            worker.Join(TimeSpan.FromMinutes(20)).Should().BeTrue("the worker goes on once the held run is free");
            result!.Executed.Should().Be(4, "phase 1's three free runs, then the taken-over one (the run limit stops it there)");
            result.Complete.Should().BeFalse();
            File.Exists(held).Should().BeTrue();
            Directory.GetFiles(Path.Combine(dir, "runs"), "*.claim").Should().BeEmpty();
        }
        finally
        {
            StudyRunner.ClaimPollSeconds = poll;
        }
    }
}
