namespace Bus.Optimizers.Tests;

public class LionFactoryTests
{
    /// <summary>w after one step from w0 = [1, -2] with gradient [0.5, -1] (sign of the update direction: [1, -1]).</summary>
    private static double[] OneStep(LionFactory factory, double lr, double wd)
    {
        using var scope = NewDisposeScope();
        var p = new Parameter(tensor(new double[] { 1, -2 }, dtype: float64));
        using var optimizer = factory.Create([p], lr, wd);
        p.grad = tensor(new double[] { 0.5, -1 }, dtype: float64);
        optimizer.step();
        return p.detach().data<double>().ToArray();
    }

    [Fact]
    public void ByDefaultLionTakesAThirdOfTheTrainersLearningRateAndTenTimesItsWeightDecay()
    {
        // Lion: w -= lr * (sign(c) + wd * w) with lr = 3e-3 / 3 = 1e-3 and wd = 0.01 x 10 = 0.1.
        OneStep(new LionFactory(), 3e-3, 0.01).Should().Equal([1 - 1e-3 * (1 + 0.1 * 1), -2 - 1e-3 * (-1 + 0.1 * -2)], (a, b) => Math.Abs(a - b) <= 1e-12 * Math.Abs(b));
    }

    [Fact]
    public void ItsOwnLearningRateAndWeightDecayReplaceTheTrainers()
    {
        // lr = 2e-4 and wd = 0.5 whatever the trainer passes.
        OneStep(new LionFactory(LearningRate: 2e-4, WeightDecay: 0.5), 3e-3, 0.01).Should().Equal([1 - 2e-4 * (1 + 0.5 * 1), -2 - 2e-4 * (-1 + 0.5 * -2)], (a, b) => Math.Abs(a - b) <= 1e-12 * Math.Abs(b));
    }

    [Fact]
    public void ANegativeLearningRateIsRefusedNamingIt()
    {
        var make = () => new LionFactory(LearningRate: -1);
        make.Should().Throw<ArgumentOutOfRangeException>().Which.ParamName.Should().Be("LearningRate");
    }
}
