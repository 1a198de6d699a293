namespace Bus.Experiments.Tests.Frontier;

/// <summary>
/// Issue 23: SIGTERM during <c>bus study --preset frontier</c> printed <c>error: Sequence contains no elements</c> instead of
/// stopping with 143. The run stopped cleanly; the report written after it failed: the family fit held out the largest
/// scale, which had no point yet, and took the RMSE of an empty set. A cancelled run leaves no run file and the analysis
/// of the partial folder works.
/// </summary>
public sealed class FrontierCancellationTests() : TempFolderTest("bus-frontier-cancel-")
{
    /// <summary>Cancels run <paramref name="run"/> (0-based) after its step <paramref name="step"/> (tiny runs evaluate every 2 steps).</summary>
    [Theory]
    [InlineData(0, 1)]
    [InlineData(1, 1)]
    [InlineData(1, 5)]
    public void ACancelledRunStopsCleanlyWithoutARunFile(int run, int step)
    {
        var options = FrontierOptions.Tiny with { Scales = [new("gpt-d16", 16, 2, 2, Growth: false)] };
        string dir = Path.Combine(Root, $"r{run}s{step}");
        using var cancel = new CancellationTokenSource();
        var progress = new Progress(p =>
        {
            if (p.Finished == run && p.Training?.Step == step) cancel.Cancel();
        });

        var result = FrontierRunner.Run(options, BuiltInCorpus.BrownSlice(), dir, progress, cancellationToken: cancel.Token);

        cancel.IsCancellationRequested.Should().BeTrue();
        result.Complete.Should().BeFalse();
        result.Executed.Should().Be(run, "only the finished runs count");
        var files = Directory.GetFiles(Path.Combine(dir, "runs"), "*", SearchOption.AllDirectories);
        files.Where(f => f.EndsWith(".json", StringComparison.Ordinal)).Should().HaveCount(run, "a cancelled run writes no partial run file");
        files.Where(f => !f.EndsWith(".json", StringComparison.Ordinal)).Should().BeEmpty("no temporary or claim file is left behind");
        var analysis = new FrontierAnalysis(FrontierRunner.LoadPlans(dir), FrontierRunner.LoadRuns(dir));
        analysis.Runs.Should().HaveCount(run);

        var resumed = FrontierRunner.Run(options, BuiltInCorpus.BrownSlice(), dir, maxNewRuns: 1);
        resumed.Executed.Should().Be(1, "the cancelled run is trained again on resume");
        resumed.Runs.Should().HaveCount(run + 1);
    }

    /// <summary>
    /// The report's analysis of a study in progress: two GPT scales, the larger without any run yet. The family fit used to hold
    /// out the larger scale (no points) and throw taking the RMSE of an empty set; now it holds out the measured scale's largest budget.
    /// </summary>
    [Fact]
    public void TheAnalysisOfAPartialStudyHoldsOutAMeasuredScale()
    {
        var small = new FrontierScale("gpt-a", 16, 2, 2);
        var large = new FrontierScale("gpt-b", 32, 2, 2);
        double[] budgets = [4, 8, 16];
        var plans = new[] { Plan(small, 4_000, budgets), Plan(large, 16_000, budgets) };
        var runs = new List<FrontierRun>();
        foreach (var (size, n) in new[] { ("width-half", 1_000L), ("depth-half", 2_000L), ("full", 4_000L) })
            for (int k = 0; k < budgets.Length; k++)
                for (int seed = 0; seed < 2; seed++)
                {
                    long tokens = (long)budgets[k] * 128;
                    double bpc = 1 + 10 / Math.Pow(n, 0.3) + 5 / Math.Pow(tokens, 0.3) + seed * 1e-3;
                    runs.Add(new FrontierRun("gpt-a", FrontierArms.Scratch(size), 0.01, k, budgets[k], seed, 16, 2, 2, n, tokens, (long)budgets[k],
                        budgets[k], 0, 0, 0, bpc, bpc, null, [new CurvePoint(budgets[k], bpc)], "test", []));
                }

        var analysis = new FrontierAnalysis(plans, runs);

        analysis.Points.Should().HaveCount(9);
        var fit = analysis.Fits.Should().ContainSingle().Which;
        fit.HeldOut.Should().Be("each size's largest budget");
        fit.HeldOutPoints.Should().Be(3);
        fit.Points.Should().Be(9);
    }

    private static FrontierScalePlan Plan(FrontierScale scale, long n, double[] budgets) =>
        new(scale, n, 1, budgets[^1], budgets, (long)budgets[^1] * 128, budgets[^1] * 128.0 / n, 1, 0.3, 0.3);

    private sealed class Progress(Action<FrontierProgress> report) : IProgress<FrontierProgress>
    {
        public void Report(FrontierProgress value) => report(value);
    }
}
