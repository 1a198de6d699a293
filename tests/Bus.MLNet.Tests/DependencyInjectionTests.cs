using Bus.Core.Growth;
using Bus.Growth.Operators;

namespace Bus.MLNet.Tests;

public sealed class DependencyInjectionTests
{
    [Fact]
    public void AddBusRegistersBuiltInComponentsKeyedByName()
    {
        using var provider = new ServiceCollection().AddBus().Services.BuildServiceProvider();
        provider.GetRequiredKeyedService<IGrowthOperator>("bus-identity").Should().BeOfType<BusIdentityExpansion>();
        provider.GetRequiredKeyedService<IOptimizerFactory>("adamw").Should().BeOfType<AdamWFactory>();
        provider.GetRequiredKeyedService<IOptimizerFactory>("lion").Should().BeOfType<LionFactory>();
        var components = provider.GetRequiredService<IBusComponents>();
        components.GetOptimizer("lion").Name.Should().Be("lion");
        provider.GetRequiredKeyedService<IGrowthOperator>("ligo").Name.Should().Be("ligo");
        provider.GetRequiredKeyedService<IGrowthOperator>("fpi-width").Name.Should().Be("fpi-width");
        var unknown = () => components.GetGrowthOperator("no-such-operator");
        unknown.Should().Throw<ArgumentException>().WithMessage("*'no-such-operator'*bus-identity*");
    }

    [Fact]
    public void TheUniformSelectorNameMeansNoSelectorInDIAndInTheDefaultComponents()
    {
        using var provider = new ServiceCollection().AddBus().Services.BuildServiceProvider();
        var components = provider.GetRequiredService<IBusComponents>();
        components.CreateSelector("uniform").Should().BeNull();
        components.CreateSelector("selective-backprop").Should().BeOfType<Bus.Selection.SelectiveBackpropSelector>();
        BusComponents.Default.CreateSelector("Uniform").Should().BeNull();
        BusComponents.Default.SelectorNames.Should().BeEquivalentTo(Bus.Selection.BatchSelectors.Names);
        BusComponents.Default.OptimizerNames.Should().BeEquivalentTo(OptimizerFactories.Names);
    }

    [Fact]
    public void ARegistrationMadeBeforeAddBusWinsAndAddBusTwiceAddsNothingTwice()
    {
        var mine = new AdamWFactory(Beta2: 0.95);
        var services = new ServiceCollection();
        services.AddKeyedSingleton<IOptimizerFactory>("adamw", mine);
        services.AddBus();
        int count = services.Count;
        services.AddBus();
        services.Count(d => d.ServiceType == typeof(IOptimizerFactory) && Equals(d.ServiceKey, "adamw")).Should().Be(1);
        services.Count(d => d.ServiceType == typeof(IGrowthOperator)).Should().Be(BusBuiltIns.GrowthOperators.Count);
        services.Count(d => d.ServiceType == typeof(IValidateOptions<BusOptions>)).Should().Be(1);
        services.Count.Should().BeLessThanOrEqualTo(count + 1, "the second call adds at most an options Configure action");
        using var provider = services.BuildServiceProvider();
        provider.GetRequiredKeyedService<IOptimizerFactory>("adamw").Should().BeSameAs(mine);
    }

    [Fact]
    public void BuilderAddsAndReplacesComponentsByName()
    {
        var services = new ServiceCollection();
        services.AddBus()
            .AddGrowthOperator<ScaledIdentity>("scaled")
            .AddOptimizer("lion", _ => new LionFactory(Beta1: 0.5))
            .AddSelector("first-n", _ => new FirstNSelector());
        using var provider = services.BuildServiceProvider();
        var components = provider.GetRequiredService<IBusComponents>();
        components.GetGrowthOperator("scaled").Should().BeOfType<ScaledIdentity>();
        components.GetOptimizer("lion").Should().Be(new LionFactory(Beta1: 0.5));
        var a = components.CreateSelector("first-n");
        var b = components.CreateSelector("first-n");
        a.Should().NotBeSameAs(b, "each training run gets its own selector");
    }

    [Fact]
    public async Task HostStartsWithValidOptionsAndTrainsThroughResolvedComponents()
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Bus:Optimizer"] = "lion", ["Bus:LearningRate"] = "0.003", ["Bus:Epochs"] = "2", ["Bus:BatchSize"] = "8", ["Bus:MaxLength"] = "12",
            ["Bus:DModel"] = "16", ["Bus:DFf"] = "32", ["Bus:StartDModel"] = "8", ["Bus:GrowthEpoch"] = "1",
        });
        builder.Services.AddBus(builder.Configuration);
        using var host = builder.Build();
        await host.StartAsync();
        var options = host.Services.GetRequiredService<IOptions<BusOptions>>().Value;
        options.Trainer.Optimizer.Should().Be("lion");

        var ml = new MLContext(1);
        var data = ml.Data.LoadFromEnumerable(ClassificationPipelineTests.Reviews(20, 1));
        var trainer = ml.Transforms.Conversion.MapValueToKey("Label", "Sentiment").Append(
            ml.MulticlassClassification.Trainers.BusTransformer("Label", "Text", options.ToTrainerOptions(),
                host.Services.GetRequiredService<IBusComponents>()));
        var model = trainer.Fit(data).LastTransformer;
        model.Config.DModel.Should().Be(16);
        model.Log.Should().Contain(l => l.Contains("bus-identity"));
        await host.StopAsync();
    }

    /// <summary>Configuration key -> (a bad value, the message pattern naming key and value).</summary>
    private static readonly Dictionary<string, (string Value, string Message)> InvalidOptions = new()
    {
        ["Bus:Optimizer"] = ("sgd", "Bus:Optimizer*'sgd'*adamw, lion, muon"),
        ["Bus:GrowthOperator"] = ("grow-more", "Bus:GrowthOperator*'grow-more'*bus-identity"),
        ["Bus:LearningRate"] = ("-1", "Bus:LearningRate*-1"),
        ["Bus:Heads"] = ("3", "Bus:Heads*3*"),
        ["Bus:StartHeads"] = ("3", "Bus:StartHeads*StartHeads (3) must not exceed Heads (2)*"),
    };

    public static TheoryData<string> InvalidOptionKeys => new(InvalidOptions.Keys);

    [Theory]
    [MemberData(nameof(InvalidOptionKeys))]
    public async Task InvalidOptionsFailAtHostStartNamingTheOption(string key)
    {
        var (value, message) = InvalidOptions[key];
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?> { [key] = value });
        builder.Services.AddBus(builder.Configuration);
        using var host = builder.Build();
        var start = () => host.StartAsync();
        (await start.Should().ThrowAsync<OptionsValidationException>()).WithMessage($"*{message}*");
    }

    private sealed class ScaledIdentity : IGrowthOperator
    {
        public string Name => "scaled";
        private readonly BusIdentityExpansion _inner = new();
        public void Validate(ModelLayout layout, ModelShape from, ModelShape to) => _inner.Validate(layout, from, to);
        public Dictionary<string, TorchSharp.torch.Tensor> Grow(GrowthPlan plan, IReadOnlyDictionary<string,
            TorchSharp.torch.Tensor> weights, GrowthContext context) =>
            _inner.Grow(weights, plan.Layout, plan.From, plan.To, context);
    }

    private sealed class FirstNSelector : IBatchSelector
    {
        public string Name => "first-n";
        public int CandidateCount(int batchSize) => batchSize;
        public void Prepare(Bus.Core.Data.ITrainingData train, Bus.Core.Tasks.ITrainingObjective objective) { }
        public SelectedBatch? Select(CandidateBatch candidates, SelectionContext context) => new(candidates.Inputs, candidates.Targets, 0);
    }
}
