namespace Bus.Experiments.Tests.Frontier;

/// <summary>
/// The frontier study's machinery at tiny size: every scratch size tuned and at every budget, every growth arm and the
/// post-growth variants, the envelope, the bootstrap and the test split; a resume trains nothing twice.
/// </summary>
public sealed class FrontierTinyPresetTests() : TempFolderTest("bus-frontier-")
{
    [Fact]
    public void TinyStudyRunsEveryArmAndResumesWithoutRetraining()
    {
        var options = FrontierOptions.Tiny;
        string text = BuiltInCorpus.BrownSlice();
        string dir = Path.Combine(Root, "study");

        var partial = FrontierRunner.Run(options, text, dir, maxNewRuns: 7);
        partial.Complete.Should().BeFalse();
        partial.Executed.Should().Be(7);
        var before = Directory.GetFiles(Path.Combine(dir, "runs"), "*.json", SearchOption.AllDirectories).ToDictionary(f => f, File.ReadAllText);
        before.Should().HaveCount(7);

        var result = FrontierRunner.Run(options, text, dir);
        result.Complete.Should().BeTrue();
        foreach (var (path, contents) in before) File.ReadAllText(path).Should().Be(contents, "finished runs are loaded, not retrained");
        result.Executed.Should().Be(result.Runs.Count - 7);

        // Phase 1: each size's grid holds the start grid, and the chosen rate is interior or the grid hit its extension limit.
        foreach (var scale in options.Scales)
            foreach (var (size, _, _, _) in FrontierSizes.Of(scale))
            {
                var rates = result.Runs.Where(r => r.Scale == scale.Name && r.Arm == FrontierArms.Scratch(size) && r.BudgetIndex == 2).Select(r => r.LearningRate).Distinct().ToList();
                rates.Should().Contain(options.LearningRates);
                rates.Count.Should().BeLessThanOrEqualTo(options.LearningRates.Count + options.MaxGridExtensions);
                double tuned = result.TunedLearningRates[FrontierResult.Key(scale.Name, size)];
                // Phase 2: the tuned rate at every budget, final seeds at the largest and frontier seeds below.
                for (int k = 0; k < 3; k++)
                    result.Runs.Count(r => r.Scale == scale.Name && r.Arm == FrontierArms.Scratch(size) && r.LearningRate == tuned && r.BudgetIndex == k)
                        .Should().Be(k == 2 ? options.FinalSeeds : options.FrontierSeeds);
            }

        // Phase 3 and 4 at the growth scale only: both operators at both times, then the best arm's two variants.
        var growth = result.Runs.Where(r => !FrontierArms.IsScratch(r.Arm)).ToList();
        growth.Should().OnlyContain(r => r.Scale == "gpt-d16" && r.BudgetIndex == 2 && r.DModel == 16 && r.Layers == 2);
        growth.Select(r => r.Arm).Distinct().Should().Contain(["stack-depth@gstack", "stack-depth@0.25", "midas@gstack", "midas@0.25", "hypercloning@gstack", "hypercloning@0.25"]);
        string best = result.BestGrowthArms["gpt-d16"];
        growth.Select(r => r.Arm).Distinct().Should().Contain([best + "+rewarm", best + "+lemon"]);
        growth.GroupBy(r => r.Arm).Should().OnlyContain(g => g.Count() == options.FinalSeeds);

        // Every run was evaluated on the held-out test split and every ~1/8 of its budget on dev.
        result.Runs.Should().OnlyContain(r => double.IsFinite(r.TestBpc) && r.TestBpc > 0 && r.Curve.Count >= Math.Min(8, r.Steps));

        var analysis = new FrontierAnalysis(result.Plans, result.Runs);
        analysis.Envelope.Should().HaveCount(2 * 3, "one frontier point per scale and budget");
        foreach (var e in analysis.Envelope)
            e.TestBpc.Should().Be(analysis.Points.Where(p => p.Scale == e.Scale && p.BudgetIndex == e.BudgetIndex).Min(p => p.TestBpc.Mean));
        analysis.Growth.Should().HaveCount(3 * 2 + 2, "three operators at two times, and the best one's two post-growth variants");
        foreach (var g in analysis.Growth)
        {
            double frontier = analysis.Envelope.Single(e => e.Scale == g.Scale && e.BudgetIndex == 2).TestBpc;
            g.Delta.Should().BeApproximately(g.TestBpc.Mean - frontier, 1e-12);
            g.DeltaCi.Low.Should().BeLessThanOrEqualTo(g.DeltaCi.High);
            g.PHolm.Should().BeGreaterThanOrEqualTo(g.PValue);
        }

        // The report's inputs round-trip through the files.
        FrontierRunner.LoadRuns(dir).Should().HaveCount(result.Runs.Count);
        FrontierRunner.LoadPlans(dir).Select(p => p.Scale.Name).Should().Equal("gpt-d16", "llama-d16");
        File.ReadAllText(Path.Combine(dir, "build.txt")).Should().Be(FrontierRunner.Build);
    }

    [Fact]
    public void AFolderOfAnotherBuildIsRefusedBeforeTraining()
    {
        string dir = Path.Combine(Root, "other-build");
        var options = FrontierOptions.Tiny with { Scales = [new("gpt-d16", 16, 2, 2, Growth: false)] };
        Directory.CreateDirectory(dir);
        File.WriteAllText(Path.Combine(dir, "build.txt"), "0.0.1+0000000");
        var act = () => FrontierRunner.Run(options, BuiltInCorpus.BrownSlice(), dir, maxNewRuns: 1);
        act.Should().Throw<ArgumentException>().WithMessage("*another build*");
        Directory.GetFiles(Path.Combine(dir, "runs"), "*.json", SearchOption.AllDirectories).Should().BeEmpty();
        FrontierRunner.Run(options, BuiltInCorpus.BrownSlice(), dir, maxNewRuns: 1, allowOtherBuild: true).Executed.Should().Be(1);
    }
}
