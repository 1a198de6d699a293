namespace Bus.Core.Tests.Training;

public class ExclusiveTraitsTests
{
    [Fact]
    public void TheFirstTraitHeldTwiceIsReportedWithItsHolders()
    {
        var conflict = ExclusiveTraits.FirstConflict([
            ("grow", AlgorithmTraits.ReplacesModel), ("drop", AlgorithmTraits.GatesLayers),
            ("lion", AlgorithmTraits.ChangesOptimizer), ("drop-2", AlgorithmTraits.GatesLayers | AlgorithmTraits.SelectsBatches)]);

        conflict.Should().NotBeNull();
        conflict!.Value.Trait.Should().Be(AlgorithmTraits.GatesLayers);
        conflict.Value.Names.Should().Equal("drop", "drop-2");
        ExclusiveTraits.Slot(conflict.Value.Trait).Should().Be("LayerGate");
    }

    [Fact]
    public void HoldersOfDifferentTraitsCanRunTogether() =>
        ExclusiveTraits.FirstConflict([("a", AlgorithmTraits.None), ("b", AlgorithmTraits.None), ("c", AlgorithmTraits.SelectsBatches)]).Should().BeNull();

    [Fact]
    public void EveryExclusiveTraitNamesItsSlot() =>
        ExclusiveTraits.All.Select(ExclusiveTraits.Slot).Should().Equal("Growth", "LayerGate", "Optimizer", "BatchSelection", "LearningRateScale");
}
