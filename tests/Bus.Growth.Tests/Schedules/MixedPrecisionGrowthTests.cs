namespace Bus.Growth.Tests.Schedules;

/// <summary>A growth schedule under bf16/fp16 with recompute: the fp32 masters grow, the compute copy is rebuilt.</summary>
public class MixedPrecisionGrowthTests
{
    private static readonly TransformerConfig Small = new() { VocabSize = 27, MaxLength = 10, DModel = 8, Heads = 1, FeedForwardSize = 16, Layers = 1, Classes = 3 };
    private static readonly TransformerConfig Mid = Small with { DModel = 16, FeedForwardSize = 32 };
    private static readonly TransformerConfig Deep = Mid with { Layers = 2 };

    [Theory]
    [InlineData(Precision.Bf16)]
    [InlineData(Precision.Fp16)]
    public void TheMastersGrowFunctionPreservinglyAndTrainingGoesOn(Precision precision)
    {
        var (train, dev) = LetterCountingTaskData.Build(BuiltInCorpus.BrownSlice()[..40_000], windowLength: 10, devFraction: 0.1);
        using (train) using (dev)
        {
            var schedule = new GrowthSchedule(Small, [
                new GrowthStage(GrowthTrigger.AtStep(10), Mid, new FunctionPreservingWidth(new FunctionPreservingWidthOptions { Mapping = UnitMapping.RoundRobin })),
                new GrowthStage(GrowthTrigger.AtStep(20), Deep, new FunctionPreservingDepth(DepthPlacement.Top))]);
            var options = new TrainerOptions { BatchSize = 32, Budget = Budget.Steps(30), Seed = 2, Precision = precision, Recompute = true };
            var result = new Trainer(options, algorithms: [schedule]).Fit(GrowableTransformer.Create(Small, 2), train, dev, SequenceObjective.TokenClassification);
            using var model = result.Model;
            model.Config.Should().Be(Deep);
            model.parameters().Should().OnlyContain(p => p.dtype == ScalarType.Float32, "the masters stay fp32 after growth");
            result.Growths.Should().HaveCount(2);
            // Dev evaluation runs on the fp32 masters, so function-preserving operators keep the dev loss (relative 1e-4).
            foreach (var growth in result.Growths)
                growth.After.DevLoss.Should().BeApproximately(growth.Before.DevLoss, 1e-4 * growth.Before.DevLoss, $"growth {growth.Stage}");
            result.History.Should().OnlyContain(r => double.IsFinite(r.DevLoss));
            result.History[^1].Step.Should().Be(30);
        }
    }
}
