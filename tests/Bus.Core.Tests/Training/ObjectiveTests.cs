namespace Bus.Core.Tests.Training;

/// <summary>The built-in objectives against hand-computed values.</summary>
public class ObjectiveTests
{
    [Fact]
    public void SequenceClassificationMeanPoolsOverRealTokensOnlyAndGivesOneLossPerRow()
    {
        using var scope = NewDisposeScope();
        // Row 0: logits at its two real positions [2,0] and [0,0] -> mean [1,0]; its third position is padding.
        // Row 1: all three positions real, [0,1], [0,1], [0,4] -> mean [0,2].
        var logits = tensor(new float[] { 2, 0, 0, 0, 9, -9, 0, 1, 0, 1, 0, 4 }, [2, 3, 2]);
        var targets = tensor(new long[] { 0, 0, -100, 1, 1, 1 }, [2, 3]);
        var objective = new SequenceClassificationObjective(SequencePooling.Mean);
        var perRow = objective.PerExampleLoss(logits, targets).data<float>().ToArray();
        // Cross-entropy of [1,0] with label 0: ln(1 + e^-1); of [0,2] with label 1: ln(1 + e^-2).
        double row0 = Math.Log(1 + Math.Exp(-1)), row1 = Math.Log(1 + Math.Exp(-2));
        perRow.Should().HaveCount(2);
        ((double)perRow[0]).Should().BeApproximately(row0, 1e-6 * row0);
        ((double)perRow[1]).Should().BeApproximately(row1, 1e-6 * row1);
        double mean = objective.Loss(logits, targets).item<float>();
        mean.Should().BeApproximately((row0 + row1) / 2, 1e-6);
        objective.MetricSum(logits, targets).Should().Be((2.0, 2L));
    }

    [Fact]
    public void SequenceClassificationFirstPoolingReadsPositionZeroAndAcceptsRowLabels()
    {
        using var scope = NewDisposeScope();
        var logits = tensor(new float[] { 0, 3, 5, 0, 4, 0, 0, 5 }, [2, 2, 2]);
        var labels = tensor(new long[] { 1, 1 });
        var objective = new SequenceClassificationObjective(SequencePooling.First);
        // Row 0 position 0 = [0,3] (label 1: correct); row 1 position 0 = [4,0] (label 1: wrong).
        objective.MetricSum(logits, labels).Should().Be((1.0, 2L));
        double expected = (Math.Log(1 + Math.Exp(-3)) + Math.Log(1 + Math.Exp(4))) / 2;
        ((double)objective.Loss(logits, labels).item<float>()).Should().BeApproximately(expected, 1e-6 * expected);
    }

    [Fact]
    public void SequenceClassificationNamesTheBadTargetShape()
    {
        using var scope = NewDisposeScope();
        var act = () => new SequenceClassificationObjective().Loss(zeros(2, 3, 4), zeros(2, 5, dtype: int64));
        act.Should().Throw<ArgumentException>().WithParameterName("targets").WithMessage("*[2,5]*");
    }

    [Fact]
    public void RegressionIsMeanSquaredErrorPerElementAndPerRow()
    {
        using var scope = NewDisposeScope();
        var output = tensor(new float[] { 1, 2, 3, 4 }, [2, 2]);
        var target = tensor(new float[] { 1, 0, 0, 4 }, [2, 2]);
        var objective = new RegressionObjective();
        // squared errors 0, 4, 9, 0
        ((double)objective.Loss(output, target).item<float>()).Should().BeApproximately(13.0 / 4, 1e-6);
        objective.PerExampleLoss(output, target).data<float>().ToArray().Should().Equal(2f, 4.5f);
        var (sum, count) = objective.MetricSum(output, target);
        objective.Finish(sum, count).Should().BeApproximately(13.0 / 4, 1e-9);
        objective.HigherIsBetter.Should().BeFalse();
    }

    [Fact]
    public void PerplexityIsTheExponentialOfMeanNats()
    {
        using var scope = NewDisposeScope();
        // Uniform logits over 4 classes: every position costs ln 4 nats, so perplexity 4 and 2 bits.
        var logits = zeros(1, 3, 4);
        var targets = tensor(new long[] { 0, 1, 3 }, [1, 3]);
        var (nats, count) = SequenceObjective.Perplexity.MetricSum(logits, targets);
        SequenceObjective.Perplexity.Finish(nats, count).Should().BeApproximately(4, 4e-6);
        SequenceObjective.LanguageModel.Finish(nats, count).Should().BeApproximately(2, 2e-6);
        SequenceObjective.Perplexity.MetricName.Should().Be("perplexity");
    }
}
