using Bus.Core.Model;
using Bus.Core.Tasks;
using Bus.Core.Training;

namespace Bus.Selection.Tests;

public class UniformSelectorTests
{
    [Fact]
    public void UniformSelectionIsExactlyTheTrainersOwnShuffle()
    {
        using var train = TestData.LetterCounting(128, 12, seed: 1);
        using var dev = TestData.LetterCounting(32, 12, seed: 2);
        var options = new TrainerOptions { BatchSize = 16, Budget = Budget.Steps(10), LearningRate = 3e-3, Seed = 4, EvaluationsPerEpoch = 4 };
        var uniform = new Trainer(options, selector: new UniformSelector()).Fit(GrowableTransformer.Create(TestData.Tiny, 1), train, dev, SequenceObjective.Classification);
        var plain = new Trainer(options).Fit(GrowableTransformer.Create(TestData.Tiny, 1), train, dev, SequenceObjective.Classification);
        using (uniform.Model)
        using (plain.Model)
        {
            new UniformSelector().CandidateCount(16).Should().Be(16);
            uniform.Meter.ForwardOnlySamples.Should().Be(0);
            uniform.Meter.Samples.Should().Be(160);
            uniform.History.Select(h => (h.Step, h.TrainLoss, h.DevLoss)).Should().Equal(plain.History.Select(h => (h.Step, h.TrainLoss, h.DevLoss)));
        }
    }
}
