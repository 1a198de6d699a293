namespace Bus.Experiments.Tests;

/// <summary>The study's tiny preset runs every phase, writes one file per run, and resumes: only missing runs train, with identical
/// results.</summary>
public sealed class StudyResumeTests() : TempFolderTest("bus-study-")
{
    [Fact]
    public void InterruptedStudyResumesWithOnlyTheMissingRunsAndIdenticalResults()
    {
        var options = StudyOptions.Tiny;
        string text = BuiltInCorpus.BrownSlice();
        // 2 scratch LRs + 3 arms + 1 best-operator arm, 2 seeds each (counted by hand from StudyOptions.Tiny).
        const int planned = (2 + 3 + 1) * 2;

        var whole = StudyRunner.Run(options, text, Path.Combine(Root, "whole"));
        whole.Complete.Should().BeTrue();
        whole.Executed.Should().Be(planned);
        whole.Runs.Should().HaveCount(planned);
        whole.TunedLearningRate.Should().BeOneOf(options.ScratchLearningRates);
        whole.BestOperator.Should().BeOneOf("stack-depth", "bus-identity");
        whole.Runs.Should().Contain(r => r.Arm == whole.BestOperator + ":map");
        Directory.GetFiles(Path.Combine(Root, "whole", "runs"), "*.json").Should().HaveCount(planned);

        // Summaries: tuned scratch is the comparison's baseline; every other arm is tested against it.
        var comparison = whole.AsComparison();
        comparison.Cells.Should().HaveCount(planned / 2);
        comparison.Cells.Single(c => c.Method == EqualBudgetComparison.Baseline).VersusBaseline.Should().BeNull();
        comparison.Cells.Where(c => c.Method != EqualBudgetComparison.Baseline).Should().OnlyContain(c => c.VersusBaseline != null);
        var scratchRow = whole.TimeToTarget().Single(r => r.Arm == whole.Label(whole.TunedScratch!));
        scratchRow.Reached.Should().BeGreaterThanOrEqualTo(1, "with two seeds, one final metric is at or below their mean");
        scratchRow.VersusScratch.Should().Be(1);
        foreach (var curve in whole.Frontier(6))
        {
            string method = curve.Arm == whole.Label(whole.TunedScratch!) ? EqualBudgetComparison.Baseline : curve.Arm;
            var cell = comparison.Cells.Single(c => c.Method == method);
            curve.Points[^1].Spent.Should().Be(options.Budget);
            curve.Points[^1].Metric.Mean.Should().BeApproximately(cell.Metric.Mean, 1e-12 * cell.Metric.Mean,
                "the frontier ends at each run's final evaluation");
        }

        string dir = Path.Combine(Root, "resumed");
        var first = StudyRunner.Run(options, text, dir, maxNewRuns: 5);
        first.Complete.Should().BeFalse();
        first.Executed.Should().Be(5);
        var firstFiles = Directory.GetFiles(Path.Combine(dir, "runs"), "*.json").ToDictionary(f => f, File.ReadAllText);
        firstFiles.Should().HaveCount(5);

        var second = StudyRunner.Run(options, text, dir);
        second.Complete.Should().BeTrue();
        second.Executed.Should().Be(planned - 5, "only the missing runs train");
        foreach (var (path, contents) in firstFiles) File.ReadAllText(path).Should().Be(contents, "finished runs are loaded, not rerun");
        second.TunedLearningRate.Should().Be(whole.TunedLearningRate);
        second.BestOperator.Should().Be(whole.BestOperator);
        foreach (var run in whole.Runs)
        {
            var again = second.Runs.Single(r => r.Arm == run.Arm && r.Run.Seed == run.Run.Seed);
            again.Run.FinalMetric.Should().BeApproximately(run.Run.FinalMetric, 1e-9 * Math.Abs(run.Run.FinalMetric),
                $"{run.Arm} seed {run.Run.Seed} is deterministic");
            again.Run.Steps.Should().Be(run.Run.Steps);
        }

        var rerun = StudyRunner.Run(options, text, dir);
        rerun.Executed.Should().Be(0, "a finished study only loads its files");
    }

    [Fact]
    public void FolderOfAnotherStudyIsRefusedWithItsName()
    {
        string dir = Path.Combine(Root, "other");
        StudyRunner.Run(StudyOptions.Tiny, BuiltInCorpus.BrownSlice(), dir, maxNewRuns: 0).Executed.Should().Be(0);
        var changed = StudyOptions.Tiny with { ScratchLearningRates = [1e-3] };
        var act = () => StudyRunner.Run(changed, BuiltInCorpus.BrownSlice(), dir);
        act.Should().Throw<ArgumentException>().WithMessage($"*{dir}*different study*");
    }

    [Theory]
    [InlineData("nope")]
    [InlineData("hypercloning@x")]
    public void UnknownArmsFailBeforeAnyRun(string arm)
    {
        var act = () => StudyOptions.Tiny with { Arms = [arm] };
        act.Should().Throw<ArgumentException>().WithMessage($"*{arm}*");
    }

    [Fact]
    public void BestArmsMustNameBest()
    {
        var act = () => StudyOptions.Tiny with { BestArms = ["hypercloning:map"] };
        act.Should().Throw<ArgumentException>().WithMessage("*must start with 'best'*");
    }
}

/// <summary>Every growth arm of the quick and full presets finds a half-size start its operator accepts (checked without
/// training).</summary>
public sealed class StudyPresetTests
{
    [Theory]
    [InlineData("quick", "gpt")]
    [InlineData("full", "gpt")]
    [InlineData("full", "llama")]
    public void EveryOperatorArmHasASmallStart(string preset, string arch)
    {
        var options = StudyOptions.Preset(preset).InFamily(arch == "llama" ? Bus.Core.Model.ModelArchitecture.Llama : Bus.Core.Model.ModelArchitecture.Gpt);
        var full = StudyRunner.FullConfig(options);
        foreach (var arm in options.Arms.Select(StudyArms.Parse).OfType<Bus.Experiments.Methods.GrowthMethod>())
        {
            var op = Bus.Growth.Operators.GrowthOperators.Create(arm.OperatorName);
            var small = Bus.Experiments.Methods.GrowthMethod.SmallConfig(op, full);
            (small.DModel * small.Layers).Should().Be(full.DModel * full.Layers / 2, $"{arm.Name} starts at half width or half depth");
        }
    }
}

/// <summary>The study runs the Llama family end to end (depth and width growth, knowledge inheritance) at the tiny size.</summary>
public sealed class StudyLlamaTests() : TempFolderTest("bus-study-llama-")
{
    [Fact]
    public void LlamaArmsRunAndEndAtTheFullModel()
    {
        var llama = StudyOptions.Tiny.InFamily(Bus.Core.Model.ModelArchitecture.Llama);
        var options = llama with
        {
            Comparison = llama.Comparison with { Seeds = 1 },
            ScratchLearningRates = [3e-3],
            Arms = ["stack-depth", "hypercloning", "knowledge-inheritance"],
            BestArms = [],
        };
        var result = StudyRunner.Run(options, Bus.Core.Tasks.Corpora.BuiltInCorpus.BrownSlice(), Root);
        result.Complete.Should().BeTrue();
        result.Runs.Should().HaveCount(4);
        var full = StudyRunner.FullConfig(options);
        foreach (var run in result.Runs)
        {
            double.IsFinite(run.Run.FinalMetric).Should().BeTrue(run.Arm);
            run.Run.History[^1].DModel.Should().Be(full.DModel, run.Arm);
            run.Run.History[^1].Layers.Should().Be(full.Layers, run.Arm);
        }
    }
}
