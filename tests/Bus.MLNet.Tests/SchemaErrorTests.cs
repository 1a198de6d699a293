namespace Bus.MLNet.Tests;

public sealed class SchemaErrorTests
{
    private sealed class Row
    {
        public string Text { get; set; } = "";
        public string Sentiment { get; set; } = "";
        public float Number { get; set; }
    }

    private static readonly MLContext Ml = new(seed: 1);
    private static readonly IDataView Data = Ml.Data.LoadFromEnumerable(
        [new Row { Text = "ab", Sentiment = "a" }, new Row { Text = "cd", Sentiment = "b" }]);
    private static readonly IDataView Keyed = Ml.Transforms.Conversion.MapValueToKey("Label", "Sentiment").Fit(Data).Transform(Data);

    [Fact]
    public void MissingTextColumnIsNamedInFitAndSchemaErrors()
    {
        var trainer = Ml.MulticlassClassification.Trainers.BusTransformer("Label", "Review", ClassificationPipelineTests.Tiny);
        var fit = () => trainer.Fit(Keyed);
        fit.Should().Throw<ArgumentOutOfRangeException>().WithMessage("*text column 'Review'*");
        var shape = () => trainer.GetOutputSchema(ShapeOf<ShapeRow>());
        shape.Should().Throw<ArgumentOutOfRangeException>().WithMessage("*text column 'Review'*");
    }

    [Fact]
    public void LabelThatIsNotAKeyNamesTheColumnAndBothTypes()
    {
        var trainer = Ml.MulticlassClassification.Trainers.BusTransformer("Sentiment", "Text", ClassificationPipelineTests.Tiny);
        var fit = () => trainer.Fit(Keyed);
        fit.Should().Throw<ArgumentOutOfRangeException>()
            .WithMessage("*label column 'Sentiment'*expected Key<UInt32>*got String*");
    }

    [Fact]
    public void TextColumnOfTheWrongTypeNamesExpectedAndActualType()
    {
        var trainer = Ml.MulticlassClassification.Trainers.BusTransformer("Label", "Number", ClassificationPipelineTests.Tiny);
        var shape = () => trainer.GetOutputSchema(ShapeOf<ShapeRow>());
        shape.Should().Throw<ArgumentOutOfRangeException>().WithMessage("*text column 'Number'*expected String*got Single*");
    }

    [Fact]
    public void MissingLabelAndWrongLabelsTypeInThePerCharacterTrainer()
    {
        var missing = () => Ml.Transforms.BusPerCharacter(labelColumnName: "Counts", options: ClassificationPipelineTests.Tiny).Fit(Data);
        missing.Should().Throw<ArgumentOutOfRangeException>().WithMessage("*label column 'Counts'*");
        var wrong = () => Ml.Transforms.BusPerCharacter(labelColumnName: "Number", options: ClassificationPipelineTests.Tiny).Fit(Data);
        wrong.Should().Throw<ArgumentOutOfRangeException>().WithMessage("*label column 'Number'*expected Vector<Single>*got Single*");
    }

    [Fact]
    public void TransformerRefusesInputWithoutItsTextColumn()
    {
        var model = Ml.MulticlassClassification.Trainers.BusTransformer("Label", "Text", ClassificationPipelineTests.Tiny with { Epochs = 1 }).Fit(Keyed);
        var other = Ml.Data.LoadFromEnumerable([new BodyRow { Body = "ab" }]);
        var transform = () => model.Transform(other);
        transform.Should().Throw<ArgumentOutOfRangeException>().WithMessage("*text column 'Text'*");
    }

    public sealed class NoInput
    {
    }

    public sealed class ShapeRow
    {
        public string Text { get; set; } = "";

        [KeyType(2)]
        public uint Label { get; set; }

        public float Number { get; set; }
    }

    // SchemaShape.Create is internal to ML.NET; a custom mapping without inputs yields the shape of its output type.
    private static SchemaShape ShapeOf<T>() where T : class, new() =>
        Ml.Transforms.CustomMapping<NoInput, T>(static (_, _) => { }, contractName: null).GetOutputSchema(new SchemaShape([]));

    [Fact]
    public void EstimatorOutputShapeAddsScoreAndKeyPredictedLabel()
    {
        var shape = Ml.MulticlassClassification.Trainers.BusTransformer("Label", "Text").GetOutputSchema(ShapeOf<ShapeRow>());
        var columns = shape.ToDictionary(c => c.Name);
        columns.Keys.Should().Contain(["Text", "Label", "Number", "Score", "PredictedLabel"]).And.HaveCount(5);
        columns["Score"].Kind.Should().Be(SchemaShape.Column.VectorKind.Vector);
        columns["PredictedLabel"].IsKey.Should().BeTrue();
    }

    private sealed class BodyRow
    {
        public string Body { get; set; } = "";
    }

    [Fact]
    public void BadOptionsAndUnknownComponentNamesFailBeforeTraining()
    {
        var heads = () => new BusTrainerOptions { Model = BusTrainerOptions.DefaultModel with { DModel = 10, Heads = 4 } }.Validate();
        heads.Should().Throw<ArgumentException>().Where(e => e.ParamName == "Heads").WithMessage("*10*");
        var start = () => new BusTrainerOptions { Model = BusTrainerOptions.DefaultModel with { DModel = 32 }, StartDModel = 64 }.Validate();
        start.Should().Throw<ArgumentOutOfRangeException>().Where(e => e.ParamName == "StartDModel");
        var optimizer = () => Ml.MulticlassClassification.Trainers.BusTransformer(options: new BusTrainerOptions { Optimizer = "sgd" });
        optimizer.Should().Throw<ArgumentException>().WithMessage("*'sgd'*adamw*lion*");
        var growth = () => Ml.MulticlassClassification.Trainers.BusTransformer(options: new BusTrainerOptions { StartDModel = 16, Epochs = 2, GrowthOperator = "nope" });
        growth.Should().Throw<ArgumentException>().WithMessage("*'nope'*bus-identity*");
    }
}
