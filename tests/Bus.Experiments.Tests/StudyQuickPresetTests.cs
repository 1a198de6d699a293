namespace Bus.Experiments.Tests;

/// <summary>
/// The quick preset runs (its first run, on the cost tables stored with docs/results/study-quick, so no calibration)
/// and charges exactly what the recorded quick study charged: the same step count at its 10-reference-second budget.
/// </summary>
public sealed class StudyQuickPresetTests() : TempFolderTest("bus-study-quick-")
{
    [Fact]
    public void QuickPresetFirstRunTrainsAtItsBudgetWithTheRecordedStepCount()
    {
        string recorded = Path.Combine(RepositoryRoot(), "docs", "results", "study-quick");
        Directory.CreateDirectory(Root);
        foreach (var table in Directory.GetFiles(recorded, "cost-d*.json"))
            File.Copy(table, Path.Combine(Root, Path.GetFileName(table)));
        var options = StudyOptions.Quick;

        var result = StudyRunner.Run(options, BuiltInCorpus.BrownSlice(), Root, maxNewRuns: 1);

        result.Executed.Should().Be(1);
        result.Complete.Should().BeFalse();
        var run = result.Runs.Single();
        run.Arm.Should().Be(StudyOptions.ScratchArm(options.ScratchLearningRates[0]));
        var expected = JsonDocument.Parse(File.ReadAllText(StudyRunner.RunPath(recorded, run.Arm, run.Run.Seed))).RootElement.GetProperty("Run");
        run.Run.Steps.Should().Be(expected.GetProperty("Steps").GetInt64(), "the stored cost tables charge every step as the recorded study did");
        run.Run.ReferenceSeconds.Should().BeGreaterThanOrEqualTo(options.Budget).And.BeLessThan(options.Budget * 1.01);
        double uniform = Math.Log2(27);
        run.Run.FinalMetric.Should().BeInRange(1.0, uniform - 0.5, "the model learns well below the uniform 4.75 bpc");
    }

    private static string RepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "Bus.sln"))) return dir.FullName;
        throw new DirectoryNotFoundException("Bus.sln not found above " + AppContext.BaseDirectory);
    }
}
