using Bus.Core.Growth;

namespace Bus.Experiments.Tests;

/// <summary>Combinations that cannot run together fail at construction, naming both methods.</summary>
public sealed class CombinationTests
{
    [Theory]
    [InlineData("bus-identity+bus-identity@0.5", "bus-identity", "bus-identity@0.5", "Growth")]
    [InlineData("layer-drop+layer-drop-steps", "layer-drop", "layer-drop-steps", "LayerGate")]
    [InlineData("rho-loss+selective-backprop", "rho-loss", "selective-backprop", "BatchSelection")]
    [InlineData("lion+bus-identity+lion", "lion", "lion", "Optimizer")]
    public void IncompatibleCombinationsAreRejectedNamingBoth(string combination, string first, string second, string slot)
    {
        var act = () => MethodCatalog.Parse(combination);

        act.Should().Throw<InvalidOperationException>()
            .Which.Message.Should().Contain($"{first} and {second}").And.Contain(slot);
    }

    [Fact]
    public void TheComparisonRefusesAnImpossibleCombinationBeforeAnyTraining()
    {
        var options = TestData.Options(methods: ["baseline", "layer-drop+layer-drop-steps"]);

        var act = () => EqualBudgetComparison.Run(options, "this text is never read");

        act.Should().Throw<InvalidOperationException>().WithMessage("*layer-drop and layer-drop-steps*");
    }

    [Fact]
    public void CompatibleCombinationsTakeTheUnionOfTheirSlots()
    {
        var combined = MethodCatalog.Parse("bus-identity+lion+layer-drop+rho-loss");

        combined.Name.Should().Be("bus-identity+lion+layer-drop+rho-loss");
        combined.Traits.Should().Be(AlgorithmTraits.ReplacesModel | AlgorithmTraits.ChangesOptimizer | AlgorithmTraits.GatesLayers | AlgorithmTraits.SelectsBatches);
    }

    [Fact]
    public void UnknownMethodsAreRejectedListingTheKnownOnes()
    {
        var act = () => MethodCatalog.Parse("baseline+sophia");

        act.Should().Throw<ArgumentException>().Which.Message.Should().Contain("sophia").And.Contain("selective-backprop").And.Contain("bus-identity");
    }

    [Theory]
    [InlineData("bus-identity@1.5")]
    [InlineData("bus-identity@x")]
    public void BadGrowthFractionsAreRejected(string name)
    {
        var act = () => MethodCatalog.Parse(name);

        act.Should().Throw<ArgumentException>().Which.Message.Should().Contain(name[(name.IndexOf('@') + 1)..]);
    }

    [Fact]
    public void GrowthStartsAtHalfWidthWhenTheOperatorGrowsWidthElseAtHalfDepth()
    {
        var full = new TransformerConfig { DModel = 16, FeedForwardSize = 64, Layers = 4 };

        GrowthMethod.SmallConfig(new Bus.Growth.Operators.BusIdentityExpansion(), full).Should().Be(full with { DModel = 8,
            FeedForwardSize = 32 });
        GrowthMethod.SmallConfig(new DepthOnly(), full).Should().Be(full with { Layers = 2 });
    }

    private sealed class DepthOnly : IGrowthOperator
    {
        public string Name => "depth-only";

        public void Validate(ModelLayout layout, ModelShape from, ModelShape to)
        {
            if (from.DModel != to.DModel) throw new ArgumentException("width must match", nameof(to));
            if (from.Layers >= to.Layers) throw new ArgumentException("must add layers", nameof(to));
        }

        public Dictionary<string, TorchSharp.torch.Tensor> Grow(GrowthPlan plan, IReadOnlyDictionary<string,
            TorchSharp.torch.Tensor> weights, GrowthContext context) =>
            throw new NotSupportedException();
    }
}

/// <summary>A method whose charged setup spends the whole budget is reported as unable to run, not crashed.</summary>
public sealed class InfeasibleBudgetTests
{
    [Fact]
    public void RhoLossWithAChargedIlModelLargerThanTheBudgetIsRefusedWithItsOwnException()
    {
        using var train = TestData.LetterCounting(400, seed: 1);
        using var dev = TestData.LetterCounting(64, seed: 2);
        // Forward-only passes cost 1000 s each: scoring the training set alone exceeds any small budget.
        var table = new Bus.Core.Training.CostModel.CalibratedCostModel(new Bus.Core.Training.CostModel.CostTable(TestData.Length,
        [
            new(8, 1, "adamw", false, 1), new(8, 2, "adamw", false, 2), new(8, 1, null, true, 1000), new(8, 2, null, true, 1000),
        ]));
        var cost = new WidthKeyedCostModel(new Dictionary<int, Bus.Core.Training.CostModel.CalibratedCostModel> { [8] = table, [16] = table });
        var options = TestData.Options(Bus.Core.Training.BudgetUnit.ReferenceSeconds) with { CostModel = cost };

        var act = () => EqualBudgetComparison.RunOne(MethodCatalog.Parse("rho-loss"), options, TestData.Full(options), train, dev,
            TestData.Objective, 20, 0, cost);

        act.Should().Throw<SetupExceedsBudgetException>().WithMessage("*IL model*20 ReferenceSeconds*");
    }
}
