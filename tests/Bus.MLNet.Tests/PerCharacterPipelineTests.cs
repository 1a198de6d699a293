namespace Bus.MLNet.Tests;

public sealed class PerCharacterPipelineTests
{
    public sealed class Window
    {
        public string Text { get; set; } = "";

        [VectorType]
        public float[] Labels { get; set; } = [];
    }

    public sealed class Output
    {
        [VectorType(20)]
        public float[] PredictedLabels { get; set; } = [];
    }

    // Non-overlapping 20-character letter-counting windows (seed 002) from the built-in Brown slice.
    private static List<Window> Windows(int count, int skip)
    {
        string text = BuiltInCorpus.BrownSlice();
        return Enumerable.Range(skip, count).Select(w =>
        {
            string window = text.Substring(w * 20, 20);
            return new Window { Text = window, Labels = LetterCounting.Labels(window).Select(l => (float)l).ToArray() };
        }).ToList();
    }

    private static double Accuracy(List<Window> windows, List<Output> outputs) =>
        windows.Zip(outputs).SelectMany(p => p.First.Labels.Zip(p.Second.PredictedLabels, (l, o) => l == o ? 1.0 : 0.0)).Average();

    [Fact]
    public void LetterCountingPipelineLearnsSavesAndLoads()
    {
        var ml = new MLContext(seed: 1);
        var train = Windows(600, 0);
        var test = Windows(100, 600);
        var options = new BusTrainerOptions { Model = BusTrainerOptions.DefaultModel with { MaxLength = 20, DModel = 32, Heads = 2, FeedForwardSize = 64, Layers = 2 }, Epochs = 8, BatchSize = 32, LearningRate = 5e-3, Seed = 1 };
        var model = ml.Transforms.BusPerCharacter(options: options).Fit(ml.Data.LoadFromEnumerable(train));

        var testView = ml.Data.LoadFromEnumerable(test);
        var outputs = ml.Data.CreateEnumerable<Output>(model.Transform(testView), reuseRowObject: false).ToList();
        outputs.Should().OnlyContain(o => o.PredictedLabels.Length == 20 && o.PredictedLabels.All(v => v >= 0 && v <= 2));
        double majority = test.SelectMany(w => w.Labels).Count(l => l == 0) / (double)(test.Count * 20);
        Accuracy(test, outputs).Should().BeGreaterThan(majority, "training beats predicting the majority class");
        var metrics = ml.MulticlassClassification.EvaluatePerCharacter(model.Transform(testView));
        metrics.Accuracy.Should().BeApproximately(Accuracy(test, outputs), 1e-12, "the evaluator counts the same characters as the hand count");
        metrics.CharacterCount.Should().Be(test.Count * 20);

        using var stream = new MemoryStream();
        ml.Model.Save(model, testView.Schema, stream);
        stream.Position = 0;
        var loaded = new MLContext(seed: 5).Model.Load(stream, out _);
        var reloaded = ml.Data.CreateEnumerable<Output>(loaded.Transform(testView), reuseRowObject: false).ToList();
        reloaded.Select(o => o.PredictedLabels).Should().BeEquivalentTo(outputs.Select(o => o.PredictedLabels), o => o.WithStrictOrdering());
    }

    [Fact]
    public void ShortTextsGiveNaNPastTheirEndAndLabelCountMismatchIsReported()
    {
        var ml = new MLContext(seed: 1);
        var options = new BusTrainerOptions { Model = BusTrainerOptions.DefaultModel with { MaxLength = 20, DModel = 8, Heads = 2, FeedForwardSize = 16 }, Epochs = 1, Seed = 1 };
        var model = ml.Transforms.BusPerCharacter(options: options).Fit(ml.Data.LoadFromEnumerable(Windows(40, 0)));
        var engine = ml.Model.CreatePredictionEngine<Window, Output>(model);
        var prediction = engine.Predict(new Window { Text = "abca" });
        prediction.PredictedLabels.Take(4).Should().OnlyContain(v => !float.IsNaN(v));
        prediction.PredictedLabels.Skip(4).Should().OnlyContain(v => float.IsNaN(v));

        var bad = ml.Data.LoadFromEnumerable([new Window { Text = "abc", Labels = [0, 0] }, new Window { Text = "ab", Labels = [0, 0] }]);
        var fit = () => ml.Transforms.BusPerCharacter(options: options).Fit(bad);
        fit.Should().Throw<InvalidOperationException>().WithMessage("*Row 0*'Labels' has 2 labels*'Text' has 3 characters*");
    }
}
