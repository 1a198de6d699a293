namespace Bus.MLNet.Tests;

/// <summary>
/// Each growth event reaches the logger once: one "growth 1 (...) at step N" line with the shapes and the dev loss
/// and metric before and after, instead of the trainer's "model replaced" and "growth" run-log lines plus the
/// progress lines of the before/after dev records (three near-duplicate "step N" lines).
/// </summary>
public sealed class GrowthLoggingTests
{
    [Theory]
    [InlineData(SequencePooling.Mean)]
    [InlineData(SequencePooling.PerToken)]
    public void TheEstimatorLogsEachGrowthOnce(SequencePooling pooling)
    {
        var logs = new ListLogger();
        var ml = new MLContext(seed: 1);
        var options = ClassificationPipelineTests.Tiny with { StartDModel = 8, GrowthEpoch = 2, Pooling = pooling };
        var model = ml.Transforms.Conversion.MapValueToKey("Label", nameof(ClassificationPipelineTests.Review.Sentiment))
            .Append(ml.MulticlassClassification.Trainers.BusTransformer(
                "Label", nameof(ClassificationPipelineTests.Review.Text), options, logger: logs))
            .Fit(ml.Data.LoadFromEnumerable(ClassificationPipelineTests.Reviews(40, 7)));

        long step = model.LastTransformer.History.Single(r => r.Note == "growth 1: after").Step;
        GrowthLinesOnceEach(logs.Lines, step, "d_model 8 x 1 -> 16 x 1");
    }

    [Fact]
    public void TheDependencyInjectionTrainersLogEachGrowthOnce()
    {
        var logs = new ListLogger();
        var services = new ServiceCollection();
        services.AddLogging(b => b.AddProvider(logs));
        services.AddBus(o => o.Trainer = new BusTrainerOptions
        {
            Model = BusTrainerOptions.DefaultModel with { MaxLength = 10, DModel = 8, Heads = 1, FeedForwardSize = 16, Layers = 2 },
            StartLayers = 1, GrowthOperator = "stack-depth", Epochs = 2, BatchSize = 8, GrowthEpoch = 1, Seed = 1,
        });
        using var provider = services.BuildServiceProvider();
        var ml = new MLContext(1);
        var model = provider.GetRequiredService<BusTrainers>().PerCharacter().Fit(ml.Data.LoadFromEnumerable(PerCharacterWindows(40)));

        long step = model.History.Single(r => r.Note == "growth 1: after").Step;
        GrowthLinesOnceEach(logs.Lines, step, "d_model 8 x 1 -> 8 x 2");
    }

    private static void GrowthLinesOnceEach(IReadOnlyList<string> lines, long step, string shapes)
    {
        lines.Where(l => l.Contains("growth", StringComparison.OrdinalIgnoreCase)).Should().ContainSingle()
            .Which.Should().Contain($"growth 1 (").And.Contain($"at step {step}:").And.Contain(shapes).And.Contain("dev loss");
        lines.Should().NotContain(l => l.Contains("model replaced"), "the growth line says it");
        lines.Should().Contain(l => l.StartsWith("Bus step ", StringComparison.Ordinal), "progress is still logged");
        lines.Count(l => l.StartsWith($"Bus step {step} ", StringComparison.Ordinal)).Should().BeLessThanOrEqualTo(1,
            "the dev records just before and after growth are in the growth line; " +
            "only a scheduled evaluation at that step adds a progress line");
    }

    private static List<PerCharacterPipelineTests.Window> PerCharacterWindows(int count)
    {
        string text = BuiltInCorpus.BrownSlice();
        return Enumerable.Range(0, count).Select(w =>
        {
            string window = text.Substring(w * 10, 10);
            var labels = LetterCounting.Labels(window).Select(l => (float)l).ToArray();
            return new PerCharacterPipelineTests.Window { Text = window, Labels = labels };
        }).ToList();
    }

    private sealed class ListLogger : ILoggerProvider, ILogger
    {
        private readonly List<string> _lines = [];

        public IReadOnlyList<string> Lines => _lines;
        public ILogger CreateLogger(string categoryName) => this;
        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;
        public bool IsEnabled(LogLevel logLevel) => true;
        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception,
            Func<TState, Exception?, string> formatter) =>
            _lines.Add(formatter(state, exception));
        public void Dispose() { }
    }
}
