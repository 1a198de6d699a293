using Bus.Testing;
using Bus.Growth.Schedules;
using Bus.Optimizers;
using Bus.Selection;
using Bus.Core.LayerDropping;

namespace Bus.Cli.Tests;

/// <summary>
/// Bad input in Bus.Growth, Bus.Optimizers and Bus.Selection (Bus.Core's cases are in Bus.Core.Tests/BadInputTests):
/// each throws an <see cref="ArgumentException"/> naming the parameter, with the value in the message, before any native call.
/// </summary>
public sealed class LibraryBadInputTests
{
    private static readonly TransformerConfig Small = new() { DModel = 16, Heads = 2, FeedForwardSize = 64, Layers = 1, MaxLength = 20, Classes = 3 };

    private static readonly BadInputCases Cases = new()
    {
        ["growth: smaller d_model"] = (() => new BusIdentityExpansion().Validate(Small, Small with { DModel = 8, FeedForwardSize = 32 }), "DModel", "8"),
        ["growth: smaller d_ff"] = (() => new BusIdentityExpansion().Validate(Small, Small with { DModel = 32, FeedForwardSize = 32 }), "FeedForwardSize", "32"),
        ["growth: vocabulary differs"] = (() => new BusIdentityExpansion().Validate(Small, Small with { DModel = 32, VocabSize = 30 }), "VocabSize", "30"),
        ["growth: classes differ"] = (() => new BusIdentityExpansion().Validate(Small, Small with { DModel = 32, Classes = 5 }), "Classes", "5"),
        ["growth: mode differs"] = (() => new BusIdentityExpansion().Validate(Small, Small with { DModel = 32, Mode = ModelMode.Decoder }), "target", "Decoder"),
        ["growth: max length differs"] = (() => new BusIdentityExpansion().Validate(Small, Small with { DModel = 32, MaxLength = 40 }), "MaxLength", "40"),
        ["growth: depth change for a width operator"] = (() => new BusIdentityExpansion().Validate(Small, Small with { DModel = 32, Layers = 2 }), "Layers", "2"),
        ["growth: unknown operator name"] = (() => GrowthOperators.Create("net2net-magic"), "name", "net2net-magic"),
        ["growth: trigger at step 0"] = (() => GrowthTrigger.AtStep(0), "step", "0"),
        ["growth: fraction 1"] = (() => GrowthTrigger.AtBudgetFraction(1), "fraction", "1"),
        ["growth: schedule target smaller"] = (() => _ = new GrowthSchedule(Small, [new GrowthStage(GrowthTrigger.AtStep(5), Small with { DModel = 8 }, new BusIdentityExpansion())]), "DModel", "8"),
        ["lion: NaN learning rate"] = (() => _ = new LionOptions { LearningRate = double.NaN }, "LearningRate", "NaN"),
        ["lion: beta1 = 1"] = (() => _ = new LionOptions { Beta1 = 1 }, "Beta1", "1"),
        ["lion: negative weight decay"] = (() => _ = new LionOptions { WeightDecay = -0.01 }, "WeightDecay", "-0.01"),
        ["lion factory: beta2 = 1.5"] = (() => _ = new LionFactory(Beta2: 1.5), "Beta2", "1.5"),
        ["selective backprop: negative beta"] = (() => _ = new SelectiveBackpropOptions { Beta = -1 }, "Beta", "-1"),
        ["selective backprop: zero history"] = (() => _ = new SelectiveBackpropOptions { HistoryLength = 0 }, "HistoryLength", "0"),
        ["rho-loss: selection fraction 0"] = (() => _ = new RhoLossOptions { SelectionFraction = 0 }, "SelectionFraction", "0"),
        ["layer dropping: theta-bar 0"] = (() => _ = new ProgressiveLayerDroppingOptions { ThetaBar = 0 }, "ThetaBar", "0"),
        ["layer dropping: NaN gamma"] = (() => _ = new ProgressiveLayerDroppingOptions { Gamma = double.NaN }, "Gamma", "NaN"),
    };

    public static TheoryData<string> Names => Cases.Names;

    [Theory]
    [MemberData(nameof(Names))]
    public void InvalidInputThrowsArgumentExceptionNamingParameterAndValue(string name) =>
        Cases.AssertThrowsNaming(name);
}
