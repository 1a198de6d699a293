namespace Bus.Core.Tests.Training;

/// <summary>
/// <see cref="FlopCounter"/> against FLOPs counted by hand (issue 12: its mutants survived tests that built the
/// expected value with FlopCounter itself). d = 4, d_ff = 16, 2 layers, T = 5, 3 classes; one multiply-add = 2 FLOPs.
/// Per token and layer: q, k, v, o = 4 * 4 * 4 = 64 MACs; MLP 4 * 16 + 16 * 4 = 128 MACs; QK^T and AV 5 * 4 + 5 * 4 = 40 MACs.
/// Head: 4 * 3 = 12 MACs. Forward per token, 2 layers: 2 * (2 * (64 + 128 + 40) + 12) = 2 * 476 = 952 FLOPs.
/// </summary>
public sealed class FlopCounterTests
{
    private static readonly TransformerConfig Config = new() { DModel = 4, FeedForwardSize = 16, Heads = 1, Layers = 2, MaxLength = 5, Classes = 3 };

    [Theory]
    [InlineData(2, 952)]   // 2 * (2 * 232 + 12)
    [InlineData(1, 488)]   // 2 * (232 + 12)
    [InlineData(0, 24)]    // only the head: 2 * 12
    public void ForwardPerTokenMatchesHandCount(int activeLayers, double expected) =>
        FlopCounter.ForwardPerToken(Config, 5, activeLayers).Should().BeApproximately(expected, expected * 1e-12);

    [Fact]
    public void TrainingStepIsThreeForwardPassesOverEveryToken()
    {
        // Batch 2 x T 5 = 10 tokens: forward 9,520 FLOPs; forward + backward (backward = 2 x forward) 28,560.
        FlopCounter.Estimate(Config, new StepCost(2, 5, 2, true, null)).Should().BeApproximately(9_520, 9_520 * 1e-12);
        FlopCounter.Estimate(Config, new StepCost(2, 5, 2, false, "adamw")).Should().BeApproximately(28_560, 28_560 * 1e-12);
    }

    [Fact]
    public void AttentionGrowsWithSequenceLength()
    {
        // T = 10: QK^T and AV 10 * 4 + 10 * 4 = 80 MACs per layer: 2 * (2 * (192 + 80) + 12) = 1,112 FLOPs per token.
        FlopCounter.ForwardPerToken(Config, 10, 2).Should().BeApproximately(1_112, 1_112 * 1e-12);
    }
}
