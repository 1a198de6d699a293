namespace Bus.MLNet.Tests;

/// <summary>
/// The binary estimator: a Boolean label (false = class 0, true = class 1) and ML.NET's binary columns, so
/// <c>BinaryClassification.Evaluate</c> works; save/load like the other Bus transformers.
/// </summary>
public sealed class BinaryClassificationTests
{
    public sealed class Row
    {
        public string Text { get; set; } = "";
        public bool Label { get; set; }
    }

    public sealed class Scored
    {
        public float Score { get; set; }
        public float Probability { get; set; }
        public bool PredictedLabel { get; set; }
    }

    // Separable by content: true texts are runs of x/y, false texts runs of q/z.
    private static List<Row> Rows(int perClass, int seed)
    {
        var rng = new Random(seed);
        var rows = new List<Row>();
        foreach (var (label, letters) in new[] { (true, "xy"), (false, "qz") })
            for (int i = 0; i < perClass; i++)
            {
                int length = rng.Next(4, 12);
                var text = Enumerable.Range(0, length).Select(_ => letters[rng.Next(2)]).ToArray();
                rows.Add(new Row { Text = new string(text), Label = label });
            }
        return rows.OrderBy(_ => rng.Next()).ToList();
    }

    private static (MLContext Ml, BusBinaryClassificationTransformer Model) Train()
    {
        var ml = new MLContext(seed: 1);
        var model = ml.BinaryClassification.Trainers.BusTransformer(nameof(Row.Label), nameof(Row.Text), ClassificationPipelineTests.Tiny)
            .Fit(ml.Data.LoadFromEnumerable(Rows(40, 7)));
        return (ml, model);
    }

    [Fact]
    public void BinaryClassificationEvaluateWorksOnTheOutputOfASeparableTask()
    {
        var (ml, model) = Train();
        var scored = model.Transform(ml.Data.LoadFromEnumerable(Rows(30, 8)));
        scored.Schema["Score"].Type.Should().Be(NumberDataViewType.Single);
        scored.Schema["Probability"].Type.Should().Be(NumberDataViewType.Single);
        scored.Schema["PredictedLabel"].Type.Should().Be(BooleanDataViewType.Instance);
        model.Header.LabelNames.Should().Equal("False", "True");

        var metrics = ml.BinaryClassification.Evaluate(scored, nameof(Row.Label));
        metrics.Accuracy.Should().BeGreaterThan(0.9, "the classes differ by their letters, which the model sees; chance is 0.5");
        metrics.AreaUnderRocCurve.Should().BeGreaterThan(0.9);
    }

    [Fact]
    public void PredictedLabelIsTrueForTheTrueClassAndScoreAgreesWithProbability()
    {
        var (ml, model) = Train();
        var engine = ml.Model.CreatePredictionEngine<Row, Scored>(model);
        var yes = engine.Predict(new Row { Text = "xyxyyx" });
        var no = engine.Predict(new Row { Text = "qzzqzq" });
        (yes.PredictedLabel, no.PredictedLabel).Should().Be((true, false));
        yes.Probability.Should().BeGreaterThan(0.5f);
        no.Probability.Should().BeLessThan(0.5f);
        foreach (var p in new[] { yes, no })
        {
            // Score = log(p / (1 - p)): the logit margin of the two classes.
            double logit = Math.Log(p.Probability / (1.0 - p.Probability));
            ((double)p.Score).Should().BeApproximately(logit, 1e-3 * Math.Max(1, Math.Abs(logit)));
            (p.Score > 0).Should().Be(p.PredictedLabel);
        }
    }

    [Fact]
    public void SaveAndLoadGiveTheSameScores()
    {
        var (ml, model) = Train();
        var data = ml.Data.LoadFromEnumerable(Rows(30, 8));
        var before = ml.Data.CreateEnumerable<Scored>(model.Transform(data), reuseRowObject: false).ToList();
        using var stream = new MemoryStream();
        ml.Model.Save(model, data.Schema, stream);
        stream.Position = 0;
        var fresh = new MLContext(seed: 99);
        var loaded = fresh.Model.Load(stream, out _);
        var reloaded = loaded.Transform(fresh.Data.LoadFromEnumerable(Rows(30, 8)));
        var after = fresh.Data.CreateEnumerable<Scored>(reloaded, reuseRowObject: false).ToList();

        after.Select(s => (s.Score, s.Probability, s.PredictedLabel))
            .Should().Equal(before.Select(s => (s.Score, s.Probability, s.PredictedLabel)));
        fresh.BinaryClassification.Evaluate(loaded.Transform(fresh.Data.LoadFromEnumerable(Rows(30, 8))), nameof(Row.Label)).Accuracy
            .Should().Be(ml.BinaryClassification.Evaluate(model.Transform(data), nameof(Row.Label)).Accuracy);
    }

    [Fact]
    public void ALabelThatIsNotBooleanIsNamedWithBothTypes()
    {
        var ml = new MLContext(seed: 1);
        var data = ml.Data.LoadFromEnumerable(new[] { new ClassificationPipelineTests.Review { Text = "ab", Sentiment = "x" } });
        var trainer = ml.BinaryClassification.Trainers.BusTransformer(
            nameof(ClassificationPipelineTests.Review.Sentiment), nameof(ClassificationPipelineTests.Review.Text));
        var fit = () => trainer.Fit(data);
        fit.Should().Throw<ArgumentOutOfRangeException>().WithMessage("*label column 'Sentiment'*expected Boolean*got String*");
        var shape = () => trainer.GetOutputSchema(ShapeOf<ClassificationPipelineTests.Review>(ml));
        shape.Should().Throw<ArgumentOutOfRangeException>().WithMessage("*label column 'Sentiment'*expected Boolean*got String*");
    }

    [Fact]
    public void TheOutputShapeAddsTheBinaryColumns()
    {
        var ml = new MLContext(seed: 1);
        var columns = ml.BinaryClassification.Trainers.BusTransformer(nameof(Row.Label), nameof(Row.Text))
            .GetOutputSchema(ShapeOf<Row>(ml)).ToDictionary(c => c.Name);
        columns.Keys.Should().BeEquivalentTo(["Text", "Label", "Score", "Probability", "PredictedLabel"]);
        columns["Score"].ItemType.Should().Be(NumberDataViewType.Single);
        columns["Probability"].ItemType.Should().Be(NumberDataViewType.Single);
        columns["PredictedLabel"].ItemType.Should().Be(BooleanDataViewType.Instance);
    }

    // SchemaShape.Create is internal to ML.NET; a custom mapping without inputs yields the shape of its output type.
    private static SchemaShape ShapeOf<T>(MLContext ml) where T : class, new() =>
        ml.Transforms.CustomMapping<NoInput, T>(static (_, _) => { }, contractName: null).GetOutputSchema(new SchemaShape([]));

    private sealed class NoInput;
}
