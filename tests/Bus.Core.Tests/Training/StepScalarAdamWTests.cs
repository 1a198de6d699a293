namespace Bus.Core.Tests.Training;

/// <summary>The trainer's AdamW keeps its scalars alive through each step and otherwise is TorchSharp's AdamW, bit for bit.</summary>
public class StepScalarAdamWTests
{
    [Theory]
    [InlineData(0.0)]
    [InlineData(0.05)]
    public void AdamWFactoryStepsEqualTorchSharpsAdamWBitForBit(double weightDecay)
    {
        var g = new Generator(7);
        using var start = randn(new long[] { 5, 3 }, generator: g);
        var grads = Enumerable.Range(0, 6).Select(_ => randn(new long[] { 5, 3 }, generator: g)).ToArray();
        using var ours = new Parameter(start.clone());
        using var stock = new Parameter(start.clone());
        using var oursOptimizer = new AdamWFactory().Create([ours], 3e-2, weightDecay);
        using var stockOptimizer = optim.AdamW([stock], 3e-2, 0.9, 0.999, 1e-8, weightDecay);

        foreach (var (grad, step) in grads.Select((t, i) => (t, i)))
        {
            if (step == 3) // a schedule changes the rate between steps
            {
                foreach (var group in oursOptimizer.ParamGroups) group.LearningRate = 1e-2;
                foreach (var group in stockOptimizer.ParamGroups) group.LearningRate = 1e-2;
            }
            ours.grad = grad.clone();
            stock.grad = grad.clone();
            oursOptimizer.step();
            stockOptimizer.step();
            ours.data<float>().ToArray().Should().Equal(stock.data<float>().ToArray(), $"step {step + 1}");
        }
        var oursState = (AdamW.State)((AdamW)oursOptimizer).state_dict().State[0];
        var stockState = (AdamW.State)((AdamW)stockOptimizer).state_dict().State[0];
        oursState.step.Should().Be(stockState.step);
        oursState.exp_avg_sq.data<float>().ToArray().Should().Equal(stockState.exp_avg_sq.data<float>().ToArray());
        oursOptimizer.Should().BeAssignableTo<AdamW>("moment mapping and checkpoints read AdamW's typed state");
        foreach (var t in grads) t.Dispose();
    }

    [Fact]
    public void StepScalarsHoldOneScalarPerValueUntilDisposed()
    {
        var scalars = new StepScalars();
        var a = scalars[0.5];
        scalars[0.5].Should().BeSameAs(a);
        scalars[-0.0].Should().NotBeSameAs(scalars[0.0], "-0.0 and 0.0 are different scalars");
        using (var t = ones(2))
            t.mul_(a).data<float>().ToArray().Should().Equal(0.5f, 0.5f);
        scalars.Dispose();
        var act = () => scalars[1.0];
        act.Should().Throw<ObjectDisposedException>();
    }
}
