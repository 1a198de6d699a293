namespace Bus.MLNet.Tests;

public sealed class PerCharacterMetricsTests
{
    public sealed class Scored
    {
        [VectorType]
        public float[] Labels { get; set; } = [];

        [VectorType(4)]
        public float[] PredictedLabels { get; set; } = [];
    }

    [Fact]
    public void AccuracyPrecisionRecallAndMacroF1MatchAHandCount()
    {
        var ml = new MLContext(1);
        var data = ml.Data.LoadFromEnumerable(new[]
        {
            new Scored { Labels = [0, 1, 1, 2], PredictedLabels = [0, 1, 2, 2] },
            new Scored { Labels = [1, 0], PredictedLabels = [1, 1, float.NaN, float.NaN] },
            new Scored { Labels = [0, 0, 0], PredictedLabels = [0, float.NaN, float.NaN, float.NaN] }, // text longer than MaxLength
        });
        var m = ml.MulticlassClassification.EvaluatePerCharacter(data);

        // Pairs (label, predicted): (0,0) (1,1) (1,2) (2,2) (1,1) (0,1) (0,0); 5 of 7 correct; 2 characters unpredicted.
        m.CharacterCount.Should().Be(7);
        m.SkippedCharacters.Should().Be(2);
        m.Accuracy.Should().BeApproximately(5.0 / 7, 1e-12);
        // class 0: TP 2, FP 0, FN 1; class 1: TP 2, FP 1, FN 1; class 2: TP 1, FP 1, FN 0.
        m.PerClassPrecision.Should().Equal([1.0, 2.0 / 3, 0.5], (a, b) => Math.Abs(a - b) <= 1e-12);
        m.PerClassRecall.Should().Equal([2.0 / 3, 2.0 / 3, 1.0], (a, b) => Math.Abs(a - b) <= 1e-12);
        m.PerClassF1.Should().Equal([0.8, 2.0 / 3, 2.0 / 3], (a, b) => Math.Abs(a - b) <= 1e-12);
        m.MacroF1.Should().BeApproximately((0.8 + 2.0 / 3 + 2.0 / 3) / 3, 1e-12);
        m.PerClassSupport.Should().Equal(3L, 3L, 1L);
        m.Counts[1].Should().Equal(0L, 2L, 1L);
    }

    [Fact]
    public void APredictionColumnOfTheWrongTypeIsNamed()
    {
        var ml = new MLContext(1);
        var data = ml.Data.LoadFromEnumerable(new[] { new Scored { Labels = [0], PredictedLabels = [0, 0, 0, 0] } });
        var evaluate = () => ml.MulticlassClassification.EvaluatePerCharacter(data, predictedColumnName: "Missing");
        evaluate.Should().Throw<ArgumentOutOfRangeException>().WithMessage("*prediction column 'Missing'*");
    }
}
