namespace Bus.Experiments.Tests;

/// <summary>The lion method trains with exactly the comparison's Lion lr and wd (AdamW lr / divisor, wd x multiplier), once.</summary>
public sealed class LionMethodTests
{
    [Fact]
    public void LionGetsTheComparisonRatiosAppliedExactlyOnce()
    {
        using var train = TestData.LetterCounting(16, seed: 1);
        using var dev = TestData.LetterCounting(8, seed: 2);
        var options = TestData.Options() with { LearningRate = 3e-3, WeightDecay = 0.02, LionLrDivisor = 4, LionWdMultiplier = 5 };
        using var builder = new MethodBuilder(options, TestData.Full(options), train, dev, TestData.Objective, 8, 0, null);

        new LionMethod().Configure(builder);

        // The trainer keeps the AdamW values; the factory (the one owner of Lion's rate) divides and multiplies once.
        builder.LearningRate.Should().Be(3e-3);
        builder.WeightDecay.Should().Be(0.02);
        var lion = builder.Optimizer.Should().BeOfType<LionFactory>().Which;
        lion.Name.Should().Be("lion");
        lion.LearningRateFor(builder.LearningRate).Should().Be(3e-3 / 4);
        lion.WeightDecayFor(builder.WeightDecay).Should().Be(0.02 * 5);
    }

    [Fact]
    public void TheLionRunTrainsAtTheAdamWRateOverTheDivisorTimesTheSchedule()
    {
        using var train = TestData.LetterCounting(64, seed: 1);
        using var dev = TestData.LetterCounting(16, seed: 2);
        var options = TestData.Options() with { LearningRate = 3e-3, LionLrDivisor = 4 };
        using var builder = new MethodBuilder(options, TestData.Full(options), train, dev, TestData.Objective, 8, 0, null);
        new LionMethod().Configure(builder);
        var recorder = new StepRates();
        var (trainer, model) = builder.Build([recorder]);
        using (model) trainer.Fit(model, train, dev, TestData.Objective);

        recorder.Rates.Should().HaveCountGreaterThan(2);
        var schedule = new Bus.Core.Optimization.LearningRateSchedule();
        for (int k = 0; k < recorder.Rates.Count; k++)
            recorder.Rates[k].Should().BeApproximately(3e-3 / 4 * schedule.Multiplier(recorder.Fractions[k]), 1e-15, $"step {k + 1}");
    }

    private sealed class StepRates : Bus.Core.Training.ITrainingAlgorithm
    {
        public List<double> Fractions { get; } = [];
        public List<double> Rates { get; } = [];
        public string Name => "step-rates";
        public Bus.Core.Training.AlgorithmTraits Traits => Bus.Core.Training.AlgorithmTraits.None;

        public void OnEvent(Bus.Core.Training.TrainingEvent trainingEvent, Bus.Core.Training.TrainingState state)
        {
            if (trainingEvent == Bus.Core.Training.TrainingEvent.StepStart) Fractions.Add(state.Meter.Fraction);
            if (trainingEvent == Bus.Core.Training.TrainingEvent.StepEnd) Rates.Add(state.Optimizer.ParamGroups.Single().LearningRate);
        }
    }
}
