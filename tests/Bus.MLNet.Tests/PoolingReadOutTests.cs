using Bus.MLNet.Portable;

namespace Bus.MLNet.Tests;

/// <summary>
/// The saved classifier's read-out is Bus.Core's <see cref="SequenceClassificationObjective.Pool"/>: checked against
/// the per-position logits by hand for each pooling (Mean: the text's characters; First: position 0; PerToken: all T).
/// </summary>
public sealed class PoolingReadOutTests
{
    [Theory]
    [InlineData(SequencePooling.Mean, "abc", 3)]
    [InlineData(SequencePooling.Mean, "", 1)]
    [InlineData(SequencePooling.First, "abc", 1)]
    [InlineData(SequencePooling.PerToken, "abc", 8)]
    public void ClassProbabilitiesAreTheSoftmaxOfTheLogitsPooledOverTheExpectedPositions(
        SequencePooling pooling, string text, int positions)
    {
        var config = new TransformerConfig
        {
            VocabSize = CharVocabulary.Size, MaxLength = 8, DModel = 8, Heads = 2, FeedForwardSize = 16, Layers = 1,
            Mode = ModelMode.Encoder, Classes = 3,
        }.Validate();
        using var model = GrowableTransformer.Create(config, seed: 4);
        var (header, weights) = BusInferenceModel.Export(model, BusModelTask.SequenceClassification, ["a", "b", "c"], pooling);
        var inference = new BusInferenceModel(header, weights);

        float[] logits = inference.Logits(BusText.Encode(text, 8).Ids); // [T, C] row-major
        var expected = new double[3];
        for (int c = 0; c < 3; c++)
            expected[c] = Enumerable.Range(0, positions).Average(t => (double)logits[t * 3 + c]);
        double max = expected.Max(), sum = expected.Sum(z => Math.Exp(z - max));
        var probabilities = inference.ClassProbabilities(text);

        probabilities.Should().HaveCount(3);
        for (int c = 0; c < 3; c++)
        {
            double p = Math.Exp(expected[c] - max) / sum;
            ((double)probabilities[c]).Should().BeApproximately(p, 1e-4 * p, $"class {c}");
        }
    }
}
