namespace Bus.Optimizers.Tests;

/// <summary>
/// Lion in the natural growth pattern (issue 12, item 7): dispose the model before the optimizer; grow and create a
/// new Lion inside one dispose scope, then zero_grad and step; Dispose frees Lion's state.
/// </summary>
public sealed class LionLifetimeTests
{
    private static Sequential Model(long seed, int width = 7)
    {
        torch.manual_seed(seed);
        return nn.Sequential(("l1", nn.Linear(5, width)), ("act", nn.Tanh()), ("l2", nn.Linear(width, 2)));
    }

    private static void Backward(Sequential model, ulong seed)
    {
        using var scope = NewDisposeScope();
        var gen = new Generator(seed);
        var x = randn(new long[] { 8, 5 }, generator: gen);
        var y = randn(new long[] { 8, 2 }, generator: gen);
        nn.functional.mse_loss(model.forward(x), y).backward();
    }

    // A model of seed `seed` and a Lion over it (lr 0.01) after one step.
    private static (Sequential Model, Lion Lion) Stepped(int seed)
    {
        var model = Model(seed);
        var lion = new Lion(model.parameters(), lr: 0.01);
        Backward(model, (ulong)seed);
        lion.step();
        return (model, lion);
    }

    [Fact]
    public void DisposingTheModelBeforeTheOptimizerDoesNotThrow()
    {
        var (model, lion) = Stepped(1);
        model.Dispose();
        var dispose = () => lion.Dispose();
        dispose.Should().NotThrow();
    }

    [Fact]
    public void GrowingAndCreatingANewLionInsideOneDisposeScopeThenZeroGradAndStepWork()
    {
        var (small, lion) = Stepped(2);
        Sequential grown;
        using (var scope = NewDisposeScope())
        {
            // The growth pattern: build the larger model, copy the small one's weights in, swap optimizers.
            grown = Model(3, width: 14);
            using (no_grad())
            {
                grown.get_parameter("l1.weight")!.narrow(0, 0, 7).copy_(small.get_parameter("l1.weight")!);
                grown.get_parameter("l2.weight")!.narrow(1, 0, 7).copy_(small.get_parameter("l2.weight")!);
            }
            small.Dispose();
            lion.Dispose();
            lion = new Lion(grown.parameters(), lr: 0.01);
        }

        var next = () =>
        {
            lion.zero_grad();
            Backward(grown, 3);
            lion.step();
        };
        next.Should().NotThrow();
        grown.parameters().Should().OnlyContain(p => isfinite(p).all().item<bool>());
        lion.Dispose();
        grown.Dispose();
    }

    [Fact]
    public void DisposeFreesTheMomentumTensors()
    {
        using var model = Model(4);
        var lion = new Lion(model.parameters(), lr: 0.01);
        var momenta = lion.state_dict().State.Cast<Lion.State>().Select(s => s.exp_avg).ToList();
        momenta.Should().HaveCount(4).And.OnlyContain(t => !t.IsInvalid);
        lion.Dispose();
        momenta.Should().OnlyContain(t => t.IsInvalid, "Dispose releases every exp_avg tensor");
    }

    /// <summary>
    /// Momentum overturning the gradient's sign (kills the mutant 1 - beta1 -> 1 + beta1). Hand computation with
    /// lr 0.1, beta1 0.9, beta2 0.99, w0 = 1: step 1, g = 1: c = 0.1 -> w = 0.9, m = 0.01. Step 2, g = -0.01:
    /// c = 0.9 * 0.01 + 0.1 * (-0.01) = 0.008 > 0 -> w = 0.8 (against the gradient), m = 0.99 * 0.01 + 0.01 * (-0.01) = 0.0098.
    /// With 1 + beta1 the interpolation would be 0.009 - 0.019 &lt; 0 and w would rise to 1.0.
    /// </summary>
    [Fact]
    public void MomentumOverturnsASmallOpposingGradient()
    {
        var w = new Parameter(tensor(new[] { 1.0 }, dtype: float64));
        using var lion = new Lion([w], lr: 0.1, beta1: 0.9, beta2: 0.99);
        foreach (double g in new[] { 1.0, -0.01 })
        {
            w.grad?.zero_();
            using (var loss = (w * g).sum()) loss.backward();
            lion.step();
        }

        w.detach().data<double>()[0].Should().BeApproximately(0.8, 1e-12 * 0.8);
        ((Lion.State)lion.state_dict().State.Single()).exp_avg.data<double>()[0].Should().BeApproximately(0.0098, 1e-12);
    }
}
