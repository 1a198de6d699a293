namespace Bus.MLNet.Tests;

/// <summary>
/// The ML.NET options of issue 20: <see cref="BusTrainerOptions.AccumulationSteps"/> reaches the trainer (a pipeline trained
/// in micro-batches scores like the one trained in whole batches), and the new options are validated.
/// </summary>
public class AccumulationOptionsTests
{
    [Fact]
    public void AccumulatedPipelineScoresLikeTheWholeBatchPipeline()
    {
        var options = ClassificationPipelineTests.Tiny with { Epochs = 2 };
        var whole = Scores(options);
        var split = Scores(options with { AccumulationSteps = 4 });
        split.Should().HaveCount(whole.Count);
        for (int i = 0; i < whole.Count; i++)
            for (int c = 0; c < whole[i].Length; c++)
                // Probabilities: allclose with rtol 1e-3 and atol 1e-3 of the probability scale 1 (float32 sums in another order, 2
                // epochs).
                Math.Abs(split[i][c] - whole[i][c]).Should().BeLessThanOrEqualTo(1e-3f + 1e-3f * Math.Abs(whole[i][c]),
                    $"row {i}, class {c}");
    }

    [Fact]
    public void InvalidValuesNameTheOption()
    {
        FluentActions.Invoking(() => new BusTrainerOptions { AccumulationSteps = 0 }).Should().Throw<ArgumentOutOfRangeException>()
            .WithParameterName("AccumulationSteps");
        FluentActions.Invoking(() => new BusTrainerOptions { Threads = 0 }).Should().Throw<ArgumentOutOfRangeException>()
            .WithParameterName("Threads");
        FluentActions.Invoking(() => new BusTrainerOptions { DecayFraction = 0 }).Should().Throw<ArgumentOutOfRangeException>()
            .WithParameterName("DecayFraction");
        FluentActions.Invoking(() => new BusTrainerOptions { Schedule = (DecayShape)42 }).Should().Throw<ArgumentOutOfRangeException>()
            .WithParameterName("Schedule");
        FluentActions.Invoking(() => new BusTrainerOptions { BatchSize = 4, AccumulationSteps = 8 }.Validate())
            .Should().Throw<ArgumentOutOfRangeException>().WithParameterName("AccumulationSteps");
    }

    private static List<float[]> Scores(BusTrainerOptions options)
    {
        var ml = new MLContext(seed: 1);
        var data = ml.Data.LoadFromEnumerable(ClassificationPipelineTests.Reviews(40, 7));
        var pipeline = ml.Transforms.Conversion.MapValueToKey("Label", nameof(ClassificationPipelineTests.Review.Sentiment))
            .Append(ml.MulticlassClassification.Trainers.BusTransformer("Label", nameof(ClassificationPipelineTests.Review.Text), options));
        var scored = pipeline.Fit(data).Transform(data);
        return ml.Data.CreateEnumerable<ClassificationPipelineTests.Prediction>(scored,
            reuseRowObject: false).Select(p => p.Score).ToList();
    }
}
