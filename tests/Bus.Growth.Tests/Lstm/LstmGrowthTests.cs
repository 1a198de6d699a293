using Bus.Growth.Lstm;
using Bus.Core.Tasks.CharLm;

namespace Bus.Growth.Tests.Lstm;

public class LstmGrowthTests
{
    private static (SequenceDataset Train, SequenceDataset Dev) Brown() =>
        CharLmTaskData.Build(BuiltInCorpus.BrownSlice(), contextLength: 24, maxWindows: 400);

    [Fact]
    public void CharLstmHasTheDocumentedShapesAndPredictsEveryPosition()
    {
        using var model = CharLstm.Create(27, 8, 6, seed: 1);
        model.InputWeights.shape.Should().Equal(24, 8);
        model.RecurrentWeights.shape.Should().Equal(24, 6);
        model.GateBias.shape.Should().Equal(24);
        model.HeadWeight.shape.Should().Equal(27, 6);
        using var tokens = randint(0, 27, [3, 5], generator: new TorchSharp.torch.Generator(20), dtype: int64);
        using var logits = model.forward(tokens);
        logits.shape.Should().Equal(3, 5, 27);
    }

    [Fact]
    public void LstmCellMatchesAHandComputedStep()
    {
        // One unit, one step, x embedding e: gates = W_ih e + b (h0 = 0), c1 = σ(i) tanh(g), h1 = σ(o) tanh(c1).
        using var model = CharLstm.Create(2, 1, 1, seed: 3);
        using var tokens = tensor(new long[] { 1 }, [1, 1]);
        using var logits = model.forward(tokens);
        double e = model.Embedding[1, 0].item<float>();
        double Gate(int q) => model.InputWeights[q, 0].item<float>() * e + model.GateBias[q].item<float>();
        double S(double v) => 1 / (1 + Math.Exp(-v));
        double c1 = S(Gate(0)) * Math.Tanh(Gate(2));
        double h1 = S(Gate(3)) * Math.Tanh(c1);
        for (int v = 0; v < 2; v++)
            logits[0, 0, v].item<float>().Should().BeApproximately(
                (float)(model.HeadWeight[v, 0].item<float>() * h1 + model.HeadBias[v].item<float>()), 1e-5f);
    }

    [Fact]
    public void CascadeCopiesExistingBlocksExactlyAndPreservesTheFunction()
    {
        using var small = CharLstm.Create(27, 8, 4, seed: 2);
        using var grown = new CascadeLstmGrowth(noiseStd: 0).Grow(small, 8, seed: 5);
        grown.HiddenSize.Should().Be(8);
        grown.RecurrentWeights.shape.Should().Equal(32, 8);
        // The mapping g is read off the weights (not recomputed by the code under test): old units keep their place,
        // every new unit j carries, in all four gates, the input rows of one old unit g[j].
        var g = new int[8];
        for (int j = 0; j < 8; j++)
        {
            var candidates = Enumerable.Range(0, 4).Where(i => Enumerable.Range(0, 4).All(q =>
                grown.InputWeights[q * 8 + j].data<float>().ToArray().SequenceEqual(small.InputWeights[q * 4 + i].data<float>().ToArray()))).ToList();
            candidates.Should().NotBeEmpty($"new unit {j} copies an old unit");
            g[j] = j < 4 ? j : candidates[0];
            if (j < 4) candidates.Should().Contain(j);
        }
        for (int q = 0; q < 4; q++)
            for (int j = 0; j < 8; j++)
            {
                // The new block's incoming weights are the rows of the unit it was copied from.
                grown.InputWeights[q * 8 + j].data<float>().ToArray().Should().Equal(small.InputWeights[q * 4 + g[j]].data<float>().ToArray());
                grown.GateBias[q * 8 + j].item<float>().Should().Be(small.GateBias[q * 4 + g[j]].item<float>());
                grown.RecurrentWeights[q * 8 + j].data<float>().ToArray().Should().Equal(grown.RecurrentWeights[q * 8 + g[j]].data<float>().ToArray());
            }
        using var tokens = randint(0, 27, [2, 7], generator: new TorchSharp.torch.Generator(58), dtype: int64);
        using var before = small.forward(tokens);
        using var after = grown.forward(tokens);
        using var diff = (before - after).abs().max();
        diff.item<float>().Should().BeLessThan(1e-5f);
    }

    [Fact]
    public void FullyConnectedGrowthModifiesEveryHiddenWeight()
    {
        using var small = CharLstm.Create(27, 8, 4, seed: 2);
        using var grown = new FullyConnectedLstmGrowth(perturbationStd: 1e-2).Grow(small, 6, seed: 5);
        grown.RecurrentWeights.shape.Should().Equal(24, 6);
        using var placed = grown.RecurrentWeights.narrow(0, 0, 4).narrow(1, 0, 4);
        using var delta = (placed - small.RecurrentWeights.narrow(0, 0, 4)).abs();
        delta.min().item<float>().Should().BeGreaterThan(0f);     // every old recurrent weight changed
        delta.max().item<float>().Should().BeLessThan(0.1f);      // ... by a perturbation, not a re-draw
        using var newColumns = grown.RecurrentWeights.narrow(1, 4, 2).abs();
        newColumns.min().item<float>().Should().BeGreaterThan(0f); // old units now read the new ones (fully connected)
        using var embeddingDiff = (grown.Embedding - small.Embedding).abs().max();
        embeddingDiff.item<float>().Should().Be(0f);               // only hidden weights are modified
    }

    [Theory]
    [InlineData("cascade")]
    [InlineData("fully-connected")]
    public void TrainingAfterGrowthReducesTheLossOnBrownText(string name)
    {
        var (train, dev) = Brown();
        using (train)
        using (dev)
        {
            using var small = CharLstm.Create(27, 8, 8, seed: 1);
            CharLstmTraining.Train(small, train, steps: 20, batchSize: 16, learningRate: 1e-2, seed: 1);
            ILstmGrowthOperator op = name == "cascade" ? new CascadeLstmGrowth() : new FullyConnectedLstmGrowth();
            using var grown = op.Grow(small, 16, seed: 2);
            double before = CharLstmTraining.BitsPerCharacter(grown, dev);
            CharLstmTraining.Train(grown, train, steps: 20, batchSize: 16, learningRate: 1e-2, seed: 2);
            CharLstmTraining.BitsPerCharacter(grown, dev).Should().BeLessThan(before);
        }
    }

    [Fact]
    public void CascadeGrowthRejectsANegativeNoiseStd() =>
        FluentActions.Invoking(() => new CascadeLstmGrowth(-1)).Should().Throw<ArgumentOutOfRangeException>().Where(e => e.ParamName == "noiseStd");
}
