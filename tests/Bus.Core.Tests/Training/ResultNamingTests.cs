namespace Bus.Core.Tests.Training;

/// <summary>
/// Issue 22 item 9: a run's result says what its dev metric is, a custom module is reachable by its type, every budget
/// unit has a named factory, and a <see cref="ModelShape"/> can be stated by name with the usual defaults.
/// </summary>
[Collection(DeterminismCollection.Name)]
public sealed class ResultNamingTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("bus-naming-").FullName;
    private static readonly TransformerConfig Config = new() { DModel = 16, Heads = 2, FeedForwardSize = 32, Layers = 1, MaxLength = 12 };

    [Fact]
    public void RecordsNameTheirMetricAndItsDirectionAndKeepThemThroughACheckpoint()
    {
        var checkpoint = new CheckpointOptions { Directory = _dir, EverySteps = 2 };
        using var train = TestData.LetterCounting(96, 12, seed: 1);
        using var dev = TestData.LetterCounting(16, 12, seed: 2);
        using var model = GrowableTransformer.Create(Config, 1);
        var options = new TrainerOptions { BatchSize = 8, Budget = Budget.Steps(4), Seed = 1, Checkpoint = checkpoint };
        var result = new Trainer(options).Fit(model, train, dev, SequenceObjective.TokenClassification);
        result.Final.MetricName.Should().Be("accuracy");
        result.Final.HigherIsBetter.Should().BeTrue();
        result.Final.DevMetric.Should().BeInRange(0, 1);

        using var resumedModel = GrowableTransformer.Create(Config, 1);
        var resumed = new Trainer(options with { Checkpoint = checkpoint with { Resume = true } })
            .Fit(resumedModel, train, dev, SequenceObjective.TokenClassification);
        resumed.History.Should().OnlyContain(r => r.MetricName == "accuracy" && r.HigherIsBetter, "the names survive the checkpoint");
    }

    [Fact]
    public void LanguageModelRecordsAreBitsPerCharacterWhereLowerIsBetter()
    {
        using var train = TestData.LetterCounting(64, 12, seed: 1);
        using var dev = TestData.LetterCounting(16, 12, seed: 2);
        using var model = GrowableTransformer.Create(Config, 1);
        var result = new Trainer(new TrainerOptions { BatchSize = 8, Budget = Budget.Steps(2), Seed = 1 })
            .Fit(model, train, dev, SequenceObjective.LanguageModel);
        result.Final.MetricName.Should().Be("bpc");
        result.Final.HigherIsBetter.Should().BeFalse();
    }

    [Fact]
    public void ModuleAsReturnsTheTrainedTypeAndNamesTheTypeWhenItDiffers()
    {
        using var model = GrowableTransformer.Create(Config, 1);
        var result = new TrainingResult(model, [], StopReason.BudgetSpent, new BudgetMeter(Budget.Steps(1), stepsPerEpoch: 1), []);
        result.ModuleAs<GrowableTransformer>().Should().BeSameAs(model);
        var act = () => result.ModuleAs<torch.nn.Module<torch.Tensor, torch.Tensor>>();
        act.Should().NotThrow();
        var wrong = () => result.ModuleAs<TorchSharp.Modules.Linear>();
        wrong.Should().Throw<InvalidOperationException>().WithMessage("This run trained a GrowableTransformer, not a Linear.");
    }

    [Theory]
    [InlineData(BudgetUnit.Samples)]
    [InlineData(BudgetUnit.Tokens)]
    [InlineData(BudgetUnit.Flops)]
    [InlineData(BudgetUnit.WallClockSeconds)]
    public void EveryBudgetUnitHasANamedFactory(BudgetUnit unit)
    {
        var budget = unit switch
        {
            BudgetUnit.Samples => Budget.Samples(1000),
            BudgetUnit.Tokens => Budget.Tokens(1000),
            BudgetUnit.Flops => Budget.Flops(1000),
            _ => Budget.WallClockSeconds(1000),
        };
        budget.Should().Be(new Budget(unit, 1000));
        var bad = () => Budget.Tokens(0);
        bad.Should().Throw<ArgumentException>().WithMessage("*amount*");
    }

    [Fact]
    public void ShapeOfNamedSizesHasTheTransformerDefaults()
    {
        var config = Config with { VocabSize = 27 };
        ModelShape.Of(dModel: 16, heads: 2, layers: 1, vocabulary: 27, feedForwardSize: 32, positions: 12, outputs: config.OutputSize)
            .Should().Be(ModelShape.From(config));
        var shape = ModelShape.Of(dModel: 64, heads: 4, layers: 2, vocabulary: 27);
        shape.Should().Be(new ModelShape(DModel: 64, Heads: 4, KvHeads: 4, HeadDim: 16, FeedForwardSize: 256, Layers: 2,
            Vocabulary: 27, Positions: 0, Outputs: 27), "head_dim = d/heads, d_ff = 4 d, outputs = vocabulary, no positions");
        var bad = () => ModelShape.Of(dModel: 64, heads: 5, layers: 2, vocabulary: 27);
        bad.Should().Throw<ArgumentException>().WithMessage("heads (5) must divide dModel (64)*");
        var badKv = () => ModelShape.Of(dModel: 64, heads: 4, layers: 2, vocabulary: 27, kvHeads: 3);
        badKv.Should().Throw<ArgumentException>().WithMessage("kvHeads (3) must divide heads (4)*");
    }

    public void Dispose() => Directory.Delete(_dir, recursive: true);
}
