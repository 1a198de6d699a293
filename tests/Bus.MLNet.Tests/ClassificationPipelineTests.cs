namespace Bus.MLNet.Tests;

public sealed class ClassificationPipelineTests
{
    public sealed class Review
    {
        public string Text { get; set; } = "";
        public string Sentiment { get; set; } = "";
    }

    public sealed class Prediction
    {
        public float[] Score { get; set; } = [];
        public uint PredictedLabel { get; set; }
    }

    internal static readonly BusTrainerOptions Tiny = new()
    {
        Model = BusTrainerOptions.DefaultModel with { MaxLength = 12, DModel = 16, Heads = 2, FeedForwardSize = 32, Layers = 1 },
        Epochs = 6, BatchSize = 16, LearningRate = 1e-2, Seed = 3,
    };

    // Separable by content: class "x" texts are runs of x/y, class "q" texts runs of q/z, class "a" runs of a/b.
    internal static List<Review> Reviews(int perClass, int seed)
    {
        var rng = new Random(seed);
        var rows = new List<Review>();
        foreach (var (label, letters) in new[] { ("xx", "xy"), ("qq", "qz"), ("aa", "ab") })
            for (int i = 0; i < perClass; i++)
            {
                int length = rng.Next(4, 12);
                var chars = Enumerable.Range(0, length).Select(_ => letters[rng.Next(letters.Length)]).ToArray();
                rows.Add(new Review { Text = new string(chars).ToUpperInvariant() + "!", Sentiment = label });
            }
        return rows.OrderBy(_ => rng.Next()).ToList();
    }

    private static (MLContext Ml, IDataView Data, ITransformer Model) Train(BusTrainerOptions options)
    {
        var ml = new MLContext(seed: 1);
        var data = ml.Data.LoadFromEnumerable(Reviews(40, 7));
        var pipeline = ml.Transforms.Conversion.MapValueToKey("Label", nameof(Review.Sentiment))
            .Append(ml.MulticlassClassification.Trainers.BusTransformer("Label", nameof(Review.Text), options));
        return (ml, data, pipeline.Fit(data));
    }

    [Fact]
    public void PipelineTrainsEvaluatesSavesAndLoadsWithIdenticalPredictions()
    {
        var (ml, data, model) = Train(Tiny);
        var scored = model.Transform(data);
        scored.Schema["Score"].Type.Should().BeOfType<VectorDataViewType>().Which.Size.Should().Be(3);
        scored.Schema["PredictedLabel"].Type.Should().BeOfType<KeyDataViewType>().Which.Count.Should().Be(3);

        var metrics = ml.MulticlassClassification.Evaluate(scored, "Label");
        metrics.MicroAccuracy.Should().BeGreaterThan(0.9, "the classes differ by their letters, which the model sees");

        string path = Path.Combine(Path.GetTempPath(), $"bus-mlnet-{Guid.NewGuid():N}.zip");
        try
        {
            ml.Model.Save(model, data.Schema, path);
            var fresh = new MLContext(seed: 99);
            var loaded = fresh.Model.Load(path, out var inputSchema);
            inputSchema.GetColumnOrNull(nameof(Review.Text)).Should().NotBeNull();

            var before = Scores(ml, scored);
            var after = Scores(fresh, loaded.Transform(fresh.Data.LoadFromEnumerable(Reviews(40, 7))));
            after.Should().HaveCount(before.Count);
            for (int i = 0; i < before.Count; i++)
            {
                after[i].Predicted.Should().Be(before[i].Predicted);
                after[i].Score.Should().Equal(before[i].Score);
            }

            // The loaded model is a plain ML.NET chain that still evaluates.
            var reloadedMetrics = fresh.MulticlassClassification.Evaluate(loaded.Transform(fresh.Data.LoadFromEnumerable(Reviews(40, 7))), "Label");
            reloadedMetrics.MicroAccuracy.Should().Be(metrics.MicroAccuracy);
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public void PredictionEngineWorksBeforeAndAfterSaveAndLoad()
    {
        var (ml, data, model) = Train(Tiny);
        var engine = ml.Model.CreatePredictionEngine<Review, Prediction>(model);
        var xs = engine.Predict(new Review { Text = "xyxyyx" });
        var qs = engine.Predict(new Review { Text = "qzzqzq" });
        xs.Score.Should().HaveCount(3);
        xs.Score.Sum().Should().BeApproximately(1f, 1e-4f);
        xs.PredictedLabel.Should().NotBe(qs.PredictedLabel);

        using var stream = new MemoryStream();
        ml.Model.Save(model, data.Schema, stream);
        stream.Position = 0;
        var loaded = ml.Model.Load(stream, out _);
        var loadedEngine = ml.Model.CreatePredictionEngine<Review, Prediction>(loaded);
        var again = loadedEngine.Predict(new Review { Text = "xyxyyx" });
        again.PredictedLabel.Should().Be(xs.PredictedLabel);
        again.Score.Should().Equal(xs.Score);
    }

    [Fact]
    public void PredictedLabelKeysMapBackToTheClassNames()
    {
        var (ml, data, model) = Train(Tiny);
        var scored = model.Transform(data);
        var withNames = ml.Transforms.Conversion.MapKeyToValue("PredictedName", "PredictedLabel").Fit(scored).Transform(scored);
        var pairs = ml.Data.CreateEnumerable<NamedPrediction>(withNames, reuseRowObject: false).ToList();
        pairs.Count(p => p.PredictedName == p.Sentiment).Should().BeGreaterThan((int)(0.9 * pairs.Count));
    }

    public sealed class NamedPrediction
    {
        public string Sentiment { get; set; } = "";
        public string PredictedName { get; set; } = "";
    }

    [Fact]
    public void GrowingRunGrowsToTheTargetWidthAndRecordsTheGrowth()
    {
        var (_, _, model) = Train(Tiny with { StartDModel = 8, GrowthEpoch = 2 });
        var bus = ((TransformerChain<BusSequenceClassificationTransformer>)model).LastTransformer;
        bus.Config.DModel.Should().Be(16);
        bus.Config.FeedForwardSize.Should().Be(32);
        bus.History.Should().Contain(r => r.Note != null && r.Note.Contains("growth 1: after"));
        bus.Log.Should().Contain(l => l.Contains("bus-identity"));
    }

    [Fact]
    public void MeanPoolingTrainsWithABatchSelectorThroughTheCoreTrainer()
    {
        var options = Tiny with { Selector = "selective-backprop" };
        options.Pooling.Should().Be(Bus.Core.Tasks.SequencePooling.Mean);
        var (ml, data, model) = Train(options);
        var bus = ((TransformerChain<BusSequenceClassificationTransformer>)model).LastTransformer;
        bus.Header.Pooling.Should().Be(Bus.Core.Tasks.SequencePooling.Mean);
        var metrics = ml.MulticlassClassification.Evaluate(model.Transform(data), "Label");
        metrics.MicroAccuracy.Should().BeGreaterThan(0.9, "the selector scores pooled per-row losses; the classes differ by their letters");
    }

    [Fact]
    public void MeanPoolingStopsAtANonFiniteLossThroughTheCoreTrainersGuard()
    {
        var fit = () => Train(Tiny with { LearningRate = 1e30, WarmupFraction = 0, GradientClip = 0 });
        fit.Should().Throw<Bus.Core.Training.NonFiniteLossException>("Bus.Core's non-finite guard stops the run (its default policy)");
    }

    [Fact]
    public void SameSeedGivesIdenticalScores()
    {
        var (ml1, data1, a) = Train(Tiny with { Epochs = 2 });
        var (ml2, _, b) = Train(Tiny with { Epochs = 2 });
        Scores(ml1, a.Transform(data1)).Select(s => s.Score).Should().BeEquivalentTo(Scores(ml2, b.Transform(data1)).Select(s => s.Score), o => o.WithStrictOrdering());
    }

    private static List<(uint Predicted, float[] Score)> Scores(MLContext ml, IDataView scored) =>
        ml.Data.CreateEnumerable<Prediction>(scored, reuseRowObject: false).Select(p => (p.PredictedLabel, p.Score)).ToList();
}
