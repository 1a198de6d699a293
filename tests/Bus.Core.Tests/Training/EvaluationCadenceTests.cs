namespace Bus.Core.Tests.Training;

/// <summary>Evaluation by budget fraction (<see cref="TrainerOptions.EvaluateEveryFraction"/>) and the learning-rate scale algorithms may set.</summary>
public class EvaluationCadenceTests
{
    private static readonly TransformerConfig Config = new() { DModel = 16, Heads = 1, FeedForwardSize = 32, Layers = 1, MaxLength = 12 };

    [Fact]
    public void EvaluatesAtEveryMultipleOfTheFractionWhateverTheEpochLength()
    {
        using var train = TestData.LetterCounting(512, 12, seed: 1);
        using var dev = TestData.LetterCounting(64, 12, seed: 2);
        // 40 steps at 0.1 per evaluation: steps 4, 8, ..., 40 (the epoch is 32 steps long, which must not matter).
        var options = new TrainerOptions { BatchSize = 16, Budget = Budget.Steps(40), Seed = 1, EvaluateEveryFraction = 0.1 };
        using var model = GrowableTransformer.Create(Config, 1);
        var result = new Trainer(options).Fit(model, train, dev, SequenceObjective.TokenClassification);
        result.History.Select(h => h.Step).Should().Equal(Enumerable.Range(1, 10).Select(k => (long)(4 * k)));
        FluentActions.Invoking(() => new TrainerOptions { EvaluateEveryFraction = 0 }).Should().Throw<ArgumentOutOfRangeException>().WithParameterName("EvaluateEveryFraction");
    }

    [Fact]
    public void AnAlgorithmsLearningRateScaleMultipliesTheScheduledRate()
    {
        using var train = TestData.LetterCounting(256, 12, seed: 1);
        using var dev = TestData.LetterCounting(64, 12, seed: 2);
        var seen = new List<double>();
        var options = new TrainerOptions { BatchSize = 16, Budget = Budget.Steps(10), Seed = 1, LearningRate = 1e-2, Schedule = new LearningRateSchedule { WarmupFraction = 0 } };
        using var model = GrowableTransformer.Create(Config, 1);
        new Trainer(options, algorithms: [new HalveAfterFive(seen)]).Fit(model, train, dev, SequenceObjective.TokenClassification);
        // Linear decay from 1e-2 at f = 0 (steps k = 0..9 at f = k/10), halved from step 5 on.
        for (int k = 0; k < 10; k++)
            seen[k].Should().BeApproximately(1e-2 * (1 - k / 10.0) * (k >= 5 ? 0.5 : 1), 1e-12);
    }

    private sealed class HalveAfterFive(List<double> seen) : ITrainingAlgorithm
    {
        public string Name => "halve";
        public AlgorithmTraits Traits => AlgorithmTraits.ScalesLearningRate;

        public void OnEvent(TrainingEvent trainingEvent, TrainingState state)
        {
            if (trainingEvent == TrainingEvent.StepStart) state.LearningRateScale = state.Meter.Steps >= 5 ? 0.5 : 1;
            if (trainingEvent == TrainingEvent.StepEnd) seen.Add(state.Optimizer.ParamGroups.First().LearningRate);
        }
    }
}
