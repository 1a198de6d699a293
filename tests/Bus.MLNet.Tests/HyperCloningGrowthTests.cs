namespace Bus.MLNet.Tests;

/// <summary>
/// Width growth that keeps head_dim: HyperCloning refuses a head_dim change, so the small model gets its own head
/// count (<see cref="BusTrainerOptions.StartHeads"/>): d_model 16 with 2 heads grows to d_model 32 with 4 heads (head_dim 8).
/// </summary>
public sealed class HyperCloningGrowthTests
{
    private static readonly BusTrainerOptions Growing = ClassificationPipelineTests.Tiny with
    {
        Model = ClassificationPipelineTests.Tiny.Model with { DModel = 32, Heads = 4, FeedForwardSize = 64 }, StartDModel = 16, StartHeads = 2, GrowthOperator = "hypercloning", GrowthEpoch = 2,
    };

    [Fact]
    public void APipelineGrowingWithHyperCloningFromTwoToFourHeadsTrainsAndPredicts()
    {
        var ml = new MLContext(seed: 1);
        var data = ml.Data.LoadFromEnumerable(ClassificationPipelineTests.Reviews(40, 7));
        var model = ml.Transforms.Conversion.MapValueToKey("Label", nameof(ClassificationPipelineTests.Review.Sentiment))
            .Append(ml.MulticlassClassification.Trainers.BusTransformer("Label", nameof(ClassificationPipelineTests.Review.Text), Growing))
            .Fit(data);

        var bus = model.LastTransformer;
        (bus.Config.DModel, bus.Config.Heads, bus.Config.HeadDim).Should().Be((32, 4, 8));
        var before = bus.History.Single(r => r.Note == "growth 1: before");
        var after = bus.History.Single(r => r.Note == "growth 1: after");
        (before.DModel, after.DModel).Should().Be((16, 32));
        after.DevLoss.Should().BeApproximately(before.DevLoss, 1e-3 * before.DevLoss, "HyperCloning preserves the function it grows");
        bus.Log.Should().Contain(l => l.Contains("hypercloning"));

        var metrics = ml.MulticlassClassification.Evaluate(model.Transform(data), "Label");
        metrics.MicroAccuracy.Should().BeGreaterThan(0.9, "the classes differ by their letters, which the model sees");
        var engine = ml.Model.CreatePredictionEngine<ClassificationPipelineTests.Review, ClassificationPipelineTests.Prediction>(model);
        engine.Predict(new ClassificationPipelineTests.Review { Text = "xyxyyx" }).PredictedLabel
            .Should().NotBe(engine.Predict(new ClassificationPipelineTests.Review { Text = "qzzqzq" }).PredictedLabel);
    }

    [Fact]
    public void WithoutStartHeadsTheHeadDimChangeIsRefusedWithTheStartHeadsThatKeepsIt()
    {
        var create = () => new BusSequenceClassificationTrainer(options: Growing with { StartHeads = null, StartDModel = 16 });
        create.Should().Throw<ArgumentException>().WithParameterName(nameof(BusTrainerOptions.GrowthOperator))
            .WithMessage("*'hypercloning'*heads=4*HeadDim*set StartHeads = 2 to keep head_dim 8*");
    }

    [Theory]
    [InlineData(3, 2, 24, "StartHeads (3) must not exceed Heads (2).*")]
    [InlineData(3, 4, 16, "StartHeads (3) must divide StartDModel (16).*")]
    public void StartHeadsOutsideTheRulesIsRefusedNamingTheOption(int startHeads, int heads, int startDModel, string message)
    {
        var options = () => new BusTrainerOptions
        {
            Model = BusTrainerOptions.DefaultModel with { DModel = 48, Heads = heads },
            StartDModel = startDModel, StartHeads = startHeads, Epochs = 3,
        }.Validate();
        options.Should().Throw<ArgumentException>().WithParameterName(nameof(BusTrainerOptions.StartHeads)).WithMessage(message);
        var zero = () => new BusTrainerOptions { StartHeads = 0 };
        zero.Should().Throw<ArgumentException>().WithParameterName(nameof(BusTrainerOptions.StartHeads));
    }
}
