namespace Bus.Cli.Tests;

/// <summary><c>bus train --grow</c> stages, heads that grow with the width for HyperCloning, and the task inferred from --corpus.</summary>
public sealed class GrowthStagesTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("bus-grow-").FullName;

    private static readonly TransformerConfig Small = new() { VocabSize = 27, MaxLength = 20, DModel = 16, Heads = 2, FeedForwardSize = 64, Layers = 1, Classes = 3 };

    [Fact]
    public void AStageParsesItsTriggerOperatorAndTarget()
    {
        var spec = GrowthStageSpec.Parse("at=0.25, op=HyperCloning, d=32");
        spec.Should().Be(new GrowthStageSpec(0.25, null, "HyperCloning", 32, null, null));
        GrowthStageSpec.Parse("step=300,layers=4").Should().Be(new GrowthStageSpec(null, 300, "bus-identity", null, null, 4));
    }

    [Fact]
    public void HyperCloningGrowsTheHeadsWithTheWidthAndOtherOperatorsKeepThem()
    {
        var cloned = GrowthStageSpec.Parse("at=0.5,op=hypercloning,d=32").ToStage(Small);
        (cloned.Target.DModel, cloned.Target.Heads, cloned.Target.HeadDim).Should().Be((32, 4, 8));
        cloned.Operator.Should().BeOfType<HyperCloning>();
        var identity = GrowthStageSpec.Parse("at=0.5,op=bus-identity,d=32").ToStage(Small);
        (identity.Target.DModel, identity.Target.Heads).Should().Be((32, 2));
        var explicitHeads = GrowthStageSpec.Parse("at=0.5,op=fpi-width,d=32,heads=8").ToStage(Small);
        explicitHeads.Target.Heads.Should().Be(8);
    }

    /// <summary>A bad --grow text and what its message must say.</summary>
    public static TheoryData<string, string> BadStages => new()
    {
        { "d=32", "give exactly one trigger" },
        { "at=0.5,step=3,d=32", "give exactly one trigger" },
        { "at=1.5,d=32", "must lie in (0, 1)" },
        { "at=0.5", "give a target" },
        { "at=0.5,d=32,d=64", "'d' is given twice" },
        { "at=0.5,width=32", "is not key=value with a key of" },
        { "at=0.5,op=grow-magic,d=32", "op=grow-magic is not one of" },
        { "at=0.5,d=-4", "d=-4 is not a positive whole number" },
    };

    [Theory]
    [MemberData(nameof(BadStages))]
    public void ABadStageNamesTheOptionTheValueAndTheProblem(string text, string expected)
    {
        FluentActions.Invoking(() => GrowthStageSpec.Parse(text)).Should().Throw<ArgumentException>()
            .Which.Message.Should().StartWith($"--grow '{text}': ").And.Contain(expected);
    }

    [Fact]
    public void AStageThatShrinksOrChangesNothingIsRefused()
    {
        FluentActions.Invoking(() => GrowthStageSpec.Parse("at=0.5,d=8").ToStage(Small)).Should().Throw<ArgumentException>().WithMessage("*must not shrink*");
        FluentActions.Invoking(() => GrowthStageSpec.Parse("at=0.5,d=16").ToStage(Small)).Should().Throw<ArgumentException>().WithMessage("*equals the model before*");
        FluentActions.Invoking(() => GrowthStageSpec.Parse("at=0.5,d=32,heads=3").ToStage(Small)).Should().Throw<ArgumentException>().WithMessage("*heads=3 must divide d=32*");
    }

    [Fact]
    public void TwoStagesGrowWidthByHyperCloningThenDepthInOneRun()
    {
        var run = TrainLetter(24, "--progress-every", "12", "--grow", "at=0.3,op=hypercloning,d=32", "--grow", "at=0.6,op=stack-depth,layers=2");
        run.Stdout.Should().Contain("growth 1 (hypercloning)").And.Contain("growth 2 (stack-depth)");
        run.Stdout.Should().Contain("done: BudgetSpent at step 24, d_model=32 d_ff=128 heads=4 layers=2,");
    }

    [Fact]
    public void TheSingleStageFlagsGrowHyperCloningHeadsToo()
    {
        var run = TrainLetter(12, "--grow-op", "hypercloning", "--grow-at-fraction", "0.5", "--grow-to-d", "32");
        run.Stdout.Should().Contain("growth 1 (hypercloning)").And.Contain("done: BudgetSpent at step 12, d_model=32 d_ff=128 heads=4 layers=1,");
    }

    [Fact]
    public void ACorpusWithoutTaskTrainsALanguageModel()
    {
        File.WriteAllText(Path.Combine(_dir, "mytext.txt"), string.Concat(Enumerable.Repeat("the quick brown fox jumps over the lazy dog\n", 100)));
        var run = BusProcess.Run(_dir, ["train", "--corpus", "mytext.txt", "--context", "16", "--d", "8", "--steps", "2", "--batch", "4", "--threads", "1"]);
        run.ExitCode.Should().Be(0, run.Stderr);
        run.Stdout.Should().Contain("train: task=charlm");
    }

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    /// <summary>
    /// Runs <c>bus train</c> on the letter task from d=16, 2 heads, for <paramref name="steps"/> steps with
    /// <paramref name="growth"/> added; asserts it exits 0.
    /// </summary>
    private (int ExitCode, string Stdout, string Stderr) TrainLetter(int steps, params string[] growth)
    {
        var run = BusProcess.Run(_dir, ["train", "--task", "letter", "--d", "16", "--heads", "2", "--steps", $"{steps}", "--batch", "8",
            "--max-windows", "200", "--threads", "1", .. growth]);
        run.ExitCode.Should().Be(0, run.Stderr);
        return run;
    }
}
