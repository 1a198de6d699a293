using Bus.Core.Optimization;

namespace Bus.Optimizers.Tests;

public class OptimizerFactoriesTests
{
    [Fact]
    public void EachNameCreatesTheFactoryOfThatName()
    {
        OptimizerFactories.Names.Should().Equal("adamw", "lion", "muon");
        OptimizerFactories.Create("muon").Should().Be(new MuonFactory());
        OptimizerFactories.Create("adamw").Should().BeOfType<AdamWFactory>();
        OptimizerFactories.Create("LION").Should().Be(new LionFactory());
        foreach (var name in OptimizerFactories.Names) OptimizerFactories.Create(name).Name.Should().Be(name);
    }

    [Fact]
    public void AnUnknownOptimizerIsRefusedListingTheKnownOnes()
    {
        var act = () => OptimizerFactories.Create("sgd");
        act.Should().Throw<ArgumentException>().Which.Message.Should().Contain("'sgd'").And.Contain("adamw, lion, muon");
    }
}
