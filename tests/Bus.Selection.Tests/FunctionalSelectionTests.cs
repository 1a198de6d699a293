namespace Bus.Selection.Tests;

/// <summary>RHO-LOSS and selective backprop as plain functions over a batch's per-example losses.</summary>
public class FunctionalSelectionTests
{
    [Fact]
    public void RhoLossSelectKeepsTheLargestReducibleLosses()
    {
        using var scope = NewDisposeScope();
        // reducible = [5,1,4,2,3] - [1,0,3,0,0] = [4,1,1,2,3]; fraction 0.4 of 5 keeps int(2.0) = 2: indices 0 then 4.
        var keep = RhoLoss.Select(tensor(new float[] { 5, 1, 4, 2, 3 }), tensor(new float[] { 1, 0, 3, 0, 0 }), 0.4);
        keep.data<long>().ToArray().Should().Equal(0, 4);
    }

    [Fact]
    public void RhoLossSelectNamesABadFraction()
    {
        using var scope = NewDisposeScope();
        var act = () => RhoLoss.Select(ones(4), zeros(4), 1.5);
        act.Should().Throw<ArgumentOutOfRangeException>().WithParameterName("fraction");
    }

    [Fact]
    public void SelectiveBackpropSelectAddsTheBatchToTheHistoryThenDrawsOnePerExample()
    {
        var history = new LossHistory(10);
        // After adding [1,2,3,4], strict percentiles are 0, 0.25, 0.5, 0.75; beta 1 makes them the keep probabilities.
        // Every draw is 0.3, so examples 2 and 3 (P = 0.5, 0.75) are kept.
        var random = new FixedRandom(0.3);
        var keep = SelectiveBackprop.Select(history, [1, 2, 3, 4], beta: 1, PercentileKind.Strict, random);
        keep.Should().Equal(2, 3);
        history.Values.Should().Equal(1, 2, 3, 4);
        random.Draws.Should().Be(4);
    }

    private sealed class FixedRandom(double value) : Random
    {
        public int Draws { get; private set; }

        public override double NextDouble()
        {
            Draws++;
            return value;
        }
    }
}
