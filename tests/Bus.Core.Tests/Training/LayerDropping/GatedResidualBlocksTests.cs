namespace Bus.Core.Tests.Training.LayerDropping;

/// <summary>Layer dropping on any list of residual blocks.</summary>
public class GatedResidualBlocksTests
{
    [Fact]
    public void TheGateSkipsAndScalesBranchesInTrainingAndIsIgnoredInEval()
    {
        using var scope = NewDisposeScope();
        manual_seed(1);
        var f0 = nn.Linear(3, 3);
        var f1 = nn.Linear(3, 3);
        using var blocks = new GatedResidualBlocks([f0, f1]) { LayerGate = new FixedGate(0, 2) };
        var x = randn(2, 3);
        using var noGrad = no_grad();
        blocks.train();
        // Block 0 skipped, block 1 scaled by 2: x + 2 f1(x).
        blocks.forward(x).allclose(x + 2 * f1.forward(x), rtol: 1e-6, atol: 1e-7).Should().BeTrue();
        blocks.LastActiveBlocks.Should().Be(1);
        blocks.eval();
        var h = x + f0.forward(x);
        blocks.forward(x).allclose(h + f1.forward(h), rtol: 1e-6, atol: 1e-7).Should().BeTrue();
        blocks.LastActiveBlocks.Should().Be(2);
    }

    [Fact]
    public void ProgressiveLayerDroppingGatesTheBlocksOfAPlainModuleInTheTrainer()
    {
        manual_seed(2);
        var blocks = new GatedResidualBlocks([nn.Sequential(nn.Linear(4, 8), nn.Tanh(), nn.Linear(8, 4)), nn.Sequential(nn.Linear(4, 8), nn.Tanh(), nn.Linear(8, 4))]);
        var model = nn.Sequential(("blocks", blocks), ("head", nn.Linear(4, 1)));
        var g = new Generator(3);
        using var train = new TensorDataset(randn(64, 4, generator: g), randn(64, 1, generator: g));
        using var dev = new TensorDataset(randn(16, 4, generator: g), randn(16, 1, generator: g));
        var pld = new ProgressiveLayerDropping(new ProgressiveLayerDroppingOptions { ThetaBar = 0.5, Gamma = 1 });
        var result = new Trainer(new TrainerOptions { BatchSize = 8, Budget = Budget.Steps(6), Seed = 1 }, algorithms: [pld])
            .Fit(model, train, dev, new RegressionObjective());
        pld.CurrentScales.Should().HaveCount(2);
        pld.CurrentTheta.Should().BeLessThan(1);
        blocks.LayerGate.Should().BeNull("the gate is removed at FitEnd");
        result.Module.Dispose();
    }

    [Fact]
    public void LayerDroppingOnAModuleWithoutBlocksNamesWhatItNeeds()
    {
        using var train = new TensorDataset(zeros(16, 4), zeros(16, 1));
        using var dev = new TensorDataset(zeros(4, 4), zeros(4, 1));
        var act = () => new Trainer(new TrainerOptions { BatchSize = 8, Budget = Budget.Steps(1) }, algorithms: [new ProgressiveLayerDropping()])
            .Fit(nn.Linear(4, 1), train, dev, new RegressionObjective());
        act.Should().Throw<InvalidOperationException>().WithMessage("*IGatedBlocks*Linear*");
    }

    private sealed class FixedGate(params double[] scales) : ILayerGate
    {
        public double ResidualScale(int layer, int layerCount) => scales[layer];
    }
}
