namespace Bus.MLNet.Tests;

/// <summary>services.AddBus(configuration): every knob bound from configuration, and each start-up failure of issue 13.</summary>
public sealed class DependencyInjectionOptionsTests
{
    private static IHost Build(Dictionary<string, string?> settings, Action<IServiceCollection>? more = null)
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
        builder.Configuration.AddInMemoryCollection(settings);
        builder.Services.AddBus(builder.Configuration);
        more?.Invoke(builder.Services);
        return builder.Build();
    }

    private static async Task<string> StartFailure(Dictionary<string, string?> settings)
    {
        using var host = Build(settings);
        var start = () => host.StartAsync();
        return (await start.Should().ThrowAsync<OptionsValidationException>()).Which.Message;
    }

    [Fact]
    public async Task EveryTrainerOptionBindsFromConfiguration()
    {
        // One non-default value per option, written as in appsettings.json.
        using var host = Build(new()
        {
            ["Bus:MaxLength"] = "20", ["Bus:DModel"] = "48", ["Bus:Heads"] = "4", ["Bus:DFf"] = "96", ["Bus:Layers"] = "3",
            ["Bus:Dropout"] = "0.1", ["Bus:StartDModel"] = "24", ["Bus:StartDFf"] = "40", ["Bus:StartLayers"] = "3",
            ["Bus:GrowthEpoch"] = "1.5", ["Bus:GrowthOperator"] = "fpi-width", ["Bus:Pooling"] = "First", ["Bus:Epochs"] = "4",
            ["Bus:BatchSize"] = "16", ["Bus:LearningRate"] = "0.002", ["Bus:WeightDecay"] = "0.05", ["Bus:GradientClip"] = "0.5",
            ["Bus:WarmupFraction"] = "0.1", ["Bus:EvaluationsPerEpoch"] = "3", ["Bus:Optimizer"] = "lion", ["Bus:Selector"] = "uniform",
            ["Bus:Seed"] = "42", ["Bus:Device"] = "cpu", ["Bus:ValidationFraction"] = "0.2", ["Bus:Precision"] = "bf16",
            ["Bus:Recompute"] = "true",
            ["Bus:Schedule"] = "WarmupStableDecay", ["Bus:DecayFraction"] = "0.3", ["Bus:AccumulationSteps"] = "4", ["Bus:Threads"] = "1",
        });
        await host.StartAsync();
        var o = host.Services.GetRequiredService<IOptions<BusOptions>>().Value.ToTrainerOptions();
        (o.Model.MaxLength, o.Model.DModel, o.Model.Heads, o.Model.FeedForwardSize, o.Model.Layers).Should().Be((20, 48, 4, 96, 3));
        (o.Model.Dropout, o.StartDModel, o.StartFeedForwardSize, o.StartLayers, o.GrowthEpoch).Should().Be((0.1, 24, 40, 3, 1.5));
        (o.GrowthOperator, o.Pooling, o.Epochs, o.BatchSize, o.LearningRate).Should().Be(("fpi-width", SequencePooling.First, 4.0, 16, 0.002));
        (o.WeightDecay, o.GradientClip, o.WarmupFraction, o.EvaluationsPerEpoch).Should().Be((0.05, 0.5, 0.1, 3));
        (o.Optimizer, o.Selector, o.Seed, o.Device, o.ValidationFraction).Should().Be(("lion", "uniform", 42L, "cpu", 0.2));
        (o.Precision, o.Recompute).Should().Be((Bus.Core.Training.Precision.Bf16, true));
        (o.Schedule, o.DecayFraction, o.AccumulationSteps, o.Threads).Should().Be((DecayShape.WarmupStableDecay, 0.3, 4, (int?)1));
        await host.StopAsync();
    }

    [Fact]
    public void TheKeysAreTheTrainerOptionsAndTheModelsShapeByTheirFlatNames()
    {
        var settable = typeof(BusTrainerOptions).GetProperties().Where(p => p.SetMethod is { IsPublic: true })
            .Select(p => p.Name).Where(n => n != nameof(BusTrainerOptions.Model));
        string[] model = ["MaxLength", "DModel", "Heads", "FeedForwardSize", "Layers", "Dropout"]; // as docs/mlnet.md names them
        BusConfigurationKeys.ModelKeys.Should().BeEquivalentTo(model);
        BusConfigurationKeys.Aliases.Should().Contain("DFf", "FeedForwardSize").And.Contain("StartDFf", "StartFeedForwardSize");
        new BusOptions().Trainer.Should().BeSameAs(BusTrainerOptions.Defaults, "unconfigured options are the trainers' defaults");
        typeof(BusConfigurationKeys).GetProperty("Properties", System.Reflection.BindingFlags.NonPublic | System.Reflection.BindingFlags.Static)!
            .GetValue(null).As<IReadOnlyDictionary<string, System.Reflection.PropertyInfo>>().Keys
            .Should().BeEquivalentTo(settable.Concat(model), "every trainer option and the model's shape, once each");
    }

    [Fact]
    public async Task UnsetKeysKeepTheTrainersDefaultsAndCodeConfigurationWorksWithoutConfiguration()
    {
        using (var host = Build(new() { ["Bus:DModel"] = "48", ["Bus:Heads"] = "4" }))
        {
            await host.StartAsync();
            var o = host.Services.GetRequiredService<IOptions<BusOptions>>().Value.Trainer;
            o.Model.Should().Be(BusTrainerOptions.DefaultModel with { DModel = 48, Heads = 4 });
            o.Should().Be(BusTrainerOptions.Defaults with { Model = o.Model });
            await host.StopAsync();
        }
        var services = new ServiceCollection();
        services.AddBus(b => b.Trainer = b.Trainer with { Model = b.Trainer.Model with { Layers = 2 }, Epochs = 5 });
        using var provider = services.BuildServiceProvider();
        var configured = provider.GetRequiredService<BusTrainers>().Options;
        (configured.Model.Layers, configured.Epochs, configured.Model.DModel).Should().Be((2, 5.0, BusTrainerOptions.DefaultModel.DModel));
    }

    [Fact]
    public async Task AModelKeyOutOfRangeNamesItsKey()
    {
        string message = await StartFailure(new() { ["Bus:MaxLength"] = "2000", ["Bus:Dropout"] = "1.5", ["Bus:layers"] = "0" });
        message.Should().Contain("Bus:MaxLength").And.Contain("2000").And.Contain("Bus:Dropout").And.Contain("Bus:layers");
    }

    [Fact]
    public async Task AMisspeltKeyFailsAtStartNamingIt()
    {
        string message = await StartFailure(new() { ["Bus:Epoch"] = "5" });
        message.Should().Contain("Bus:Epoch: unknown option").And.Contain("Epochs");
    }

    [Fact]
    public async Task FeedForwardSizeIsAKeyAndDFfItsAlias()
    {
        foreach (var (key, startKey) in new[] { ("FeedForwardSize", "StartFeedForwardSize"), ("DFf", "StartDFf") })
        {
            using var host = Build(new()
            {
                ["Bus:DModel"] = "48", [$"Bus:{key}"] = "96", ["Bus:StartDModel"] = "24", [$"Bus:{startKey}"] = "40",
                ["Bus:GrowthOperator"] = "fpi-width",
            });
            await host.StartAsync();
            var o = host.Services.GetRequiredService<IOptions<BusOptions>>().Value.Trainer;
            (o.Model.FeedForwardSize, o.StartFeedForwardSize).Should().Be((96, 40), key);
            await host.StopAsync();
        }
        string message = await StartFailure(new() { ["Bus:FeedForwardSize"] = "64", ["Bus:DFf"] = "96" });
        message.Should().Contain("Bus:").And.Contain("disagrees with").And.Contain("'64'").And.Contain("'96'");
    }

    [Fact]
    public async Task EveryBadValueIsReportedNotOnlyTheFirst()
    {
        string message = await StartFailure(new() { ["Bus:LearningRate"] = "-1", ["Bus:Heads"] = "0", ["Bus:Epochs"] = "0" });
        message.Should().Contain("Bus:LearningRate").And.Contain("Bus:Heads").And.Contain("Bus:Epochs");
    }

    [Fact]
    public async Task AValueOfTheWrongTypeNamesTheKeyTheValueAndTheType()
    {
        string message = await StartFailure(new() { ["Bus:Epochs"] = "three", ["Bus:Heads"] = "4.5", ["Bus:Pooling"] = "7" });
        message.Should().Contain("Bus:Epochs: 'three' is not a valid number (Double)")
            .And.Contain("Bus:Heads: '4.5' is not a valid whole number (Int32)")
            .And.Contain("Bus:Pooling: '7' is not a valid SequencePooling (one of");
    }

    [Theory]
    [InlineData("Epoch", "Epochs")]
    [InlineData("learningrat", "LearningRate")]
    [InlineData("FeedForwardSise", "FeedForwardSize")]
    public async Task ATypoGetsTheNearestKey(string typo, string nearest)
    {
        string message = await StartFailure(new() { [$"Bus:{typo}"] = "1" });
        message.Should().Contain($"Bus:{typo}: unknown option. Did you mean '{nearest}'?");
    }

    [Fact]
    public async Task AKeyFarFromEveryOptionGetsNoSuggestion()
    {
        string message = await StartFailure(new() { ["Bus:Colour"] = "blue" });
        message.Should().Contain("Bus:Colour: unknown option. Known:").And.NotContain("Did you mean");
    }

    [Theory]
    [InlineData("gpu", "Unknown device 'gpu'")]
    [InlineData("cuda", "Device 'cuda' is not available")]
    public async Task AnUnknownOrUnavailableDeviceFailsAtStart(string device, string expected)
    {
        if (device == "cuda" && TorchSharp.torch.cuda.is_available()) return; // this check is about CPU-only builds
        string message = await StartFailure(new() { ["Bus:Device"] = device });
        message.Should().Contain("Bus:Device").And.Contain(expected);
    }

    [Fact]
    public async Task ADepthOperatorAskedToWidenFailsAtStartNamingTheShapes()
    {
        string message = await StartFailure(new() { ["Bus:GrowthOperator"] = "stack-depth", ["Bus:StartDModel"] = "16", ["Bus:DModel"] = "32" });
        message.Should().Contain("Bus:GrowthOperator").And.Contain("d_model=16").And.Contain("d_model=32");
    }

    [Fact]
    public async Task ComponentNamesAreCaseInsensitiveAndDepthGrowthTrainsThroughDIWithLoggedProgress()
    {
        var logs = new ListLogger();
        using var host = Build(new()
        {
            ["Bus:GrowthOperator"] = "Stack-Depth", ["Bus:Optimizer"] = "AdamW", ["Bus:Layers"] = "2", ["Bus:StartLayers"] = "1",
            ["Bus:DModel"] = "16", ["Bus:DFf"] = "32", ["Bus:MaxLength"] = "12", ["Bus:Epochs"] = "3", ["Bus:GrowthEpoch"] = "1",
            ["Bus:BatchSize"] = "16", ["Bus:LearningRate"] = "0.01", ["Bus:Seed"] = "3",
        }, services => services.AddLogging(b => b.AddProvider(logs)));
        await host.StartAsync();
        var ml = new MLContext(1);
        var data = ml.Data.LoadFromEnumerable(ClassificationPipelineTests.Reviews(20, 1));
        var trainer = host.Services.GetRequiredService<BusTrainers>().SequenceClassification("Label", "Text");
        var model = ml.Transforms.Conversion.MapValueToKey("Label", "Sentiment").Append(trainer).Fit(data).LastTransformer;
        model.Config.Layers.Should().Be(2);
        model.History.Should().Contain(r => r.Layers == 1).And.Contain(r => r.Layers == 2);
        logs.Lines.Should().Contain(l => l.Contains("stack-depth") && l.Contains("x 1 -> 16 x 2"), "growth events go to ILogger");
        logs.Lines.Should().Contain(l => l.Contains("dev accuracy"), "progress goes to ILogger");
        await host.StopAsync();
    }

    private sealed class ListLogger : ILoggerProvider, ILogger
    {
        private readonly List<string> _lines = [];
        public IReadOnlyList<string> Lines { get { lock (_lines) return _lines.ToList(); } }
        public ILogger CreateLogger(string categoryName) => this;
        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;
        public bool IsEnabled(LogLevel logLevel) => true;
        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            lock (_lines) _lines.Add(formatter(state, exception));
        }
        public void Dispose() { }
    }
}
