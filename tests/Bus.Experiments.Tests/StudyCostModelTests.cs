namespace Bus.Experiments.Tests;

/// <summary>LiGO's plain-Adam operator steps are charged at the calibrated AdamW cost; other entries pass through.</summary>
public sealed class StudyCostModelTests
{
    private static CalibratedCostModel Table() => new(new CostTable(8,
    [
        new CostTableEntry(4, 1, "adamw", false, 0.5),
        new CostTableEntry(8, 1, "adamw", false, 1.0),
        new CostTableEntry(4, 2, "adamw", false, 0.75),
        new CostTableEntry(8, 2, "adamw", false, 1.5),
        new CostTableEntry(4, 1, "lion", false, 0.25),
        new CostTableEntry(8, 1, "lion", false, 0.5),
        new CostTableEntry(4, 2, "lion", false, 0.375),
        new CostTableEntry(8, 2, "lion", false, 0.75),
    ]));

    [Fact]
    public void AdamStepsCostWhatAdamwStepsCost()
    {
        var model = new AdamAsAdamWCostModel(Table());
        model.ReferenceSeconds(new StepCost(8, 8, 2, false, "adam")).Should().Be(1.5, "the (8, 2, adamw) entry");
        model.ReferenceSeconds(new StepCost(4, 8, 1, false, "lion")).Should().Be(0.25, "other optimizers are unchanged");
        var plain = () => Table().ReferenceSeconds(new StepCost(8, 8, 2, false, "adam"));
        plain.Should().Throw<InvalidOperationException>("the calibrated tables alone hold no Adam entries");
    }
}
