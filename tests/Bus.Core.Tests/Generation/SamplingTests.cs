namespace Bus.Core.Tests.Generation;

public class SamplingTests
{
    // probabilities 0.15, 0.5, 0.1, 0.25 (ranked: 1, 3, 0, 2; mass of the tokens ranked above each: 0, 0.5, 0.75, 0.9)
    private static readonly double[] Probabilities = [0.15, 0.5, 0.1, 0.25];

    private static Tensor HandLogits() => tensor(Probabilities.Select(q => Math.Log(q)).ToArray(), dtype: float32);

    private static bool[] Kept(Tensor filtered) => filtered.data<float>().ToArray().Select(float.IsFinite).ToArray();

    [Fact]
    public void TemperatureDividesTheLogitsAndRefusesNonPositiveValues()
    {
        using var logits = tensor(new[] { 2f, -4f, 1f });
        using var scaled = Temperature.Scale(logits, 2);
        scaled.data<float>().ToArray().Should().Equal(1f, -2f, 0.5f);
        foreach (double bad in new[] { 0, -1, double.NaN, double.PositiveInfinity })
            FluentActions.Invoking(() => Temperature.Scale(logits,
                bad))
                .Should().Throw<ArgumentOutOfRangeException>().WithParameterName("temperature");
    }

    [Fact]
    public void TopKKeepsTheKLargestLogits()
    {
        using var logits = tensor(new[] { 1f, 4f, 2f, 3f });
        using var two = TopK.Filter(logits, 2);
        two.data<float>().ToArray().Should().Equal(float.NegativeInfinity, 4f, float.NegativeInfinity, 3f);
        using var all = TopK.Filter(logits, 9);
        all.data<float>().ToArray().Should().Equal(1f, 4f, 2f, 3f);
        FluentActions.Invoking(() => TopK.Filter(logits, 0))
                .Should().Throw<ArgumentOutOfRangeException>().WithParameterName("k");
    }

    [Theory]
    [InlineData(0.3, new[] { false, true, false, false })]
    [InlineData(0.6, new[] { false, true, false, true })]
    [InlineData(0.8, new[] { true, true, false, true })]
    [InlineData(0.95, new[] { true, true, true, true })]
    [InlineData(1.0, new[] { true, true, true, true })]
    public void TopPKeepsTheHandDerivedNucleus(double p, bool[] expected)
    {
        using var logits = HandLogits();
        using var filtered = TopP.Filter(logits, p);
        Kept(filtered).Should().Equal(expected);
    }

    [Theory]
    [InlineData(0.3)]
    [InlineData(0.6)]
    [InlineData(0.8)]
    public void TopPSamplingOnlyPicksTokensInsideTheNucleus(double p)
    {
        // the nucleus by hand: a token is inside when the tokens more likely than it hold less than p
        var inside = Enumerable.Range(0, 4).Where(i => Probabilities.Where(q => q > Probabilities[i]).Sum() < p).ToHashSet();
        using var logits = HandLogits();
        var options = new GenerationOptions { Temperature = 1, TopP = p };
        using var generator = new Generator(3);
        var drawn = Enumerable.Range(0, 400).Select(_ => TokenSampling.Pick(logits, options, generator)).ToList();
        drawn.Should().OnlyContain(t => inside.Contains(t));
        drawn.Distinct().Should().BeEquivalentTo(inside, "400 draws reach every token of a nucleus whose smallest share is 0.25 / 0.9");
    }

    [Fact]
    public void TopPKeepsTheSmallestMostLikelyPrefixReachingP()
    {
        using var generator = new Generator(17);
        for (int trial = 0; trial < 50; trial++)
        {
            using var logits = randn([12], generator: generator) * 2;
            double p = 0.05 + 0.9 * trial / 49.0;
            using var filtered = TopP.Filter(logits, p);
            var probabilities = logits.softmax(0).to_type(float64).data<double>().ToArray();
            var kept = Kept(filtered);
            var keptMass = probabilities.Where((_, i) => kept[i]).Sum();
            keptMass.Should().BeGreaterThanOrEqualTo(p * (1 - 1e-6), $"trial {trial}: the nucleus holds at least p");
            (keptMass - probabilities.Where((_, i) => kept[i]).Min())
                .Should().BeLessThan(p * (1 + 1e-6), $"trial {trial}: without its least likely token the nucleus holds less than p");
            probabilities.Where((_, i) => kept[i]).Min().Should().BeGreaterThanOrEqualTo(
                probabilities.Where((_, i) => !kept[i]).DefaultIfEmpty(0).Max(), $"trial {trial}: kept tokens are the most likely ones");
        }
    }

    [Fact]
    public void SampleNeverDrawsMaskedTokensAndGreedyTakesTheFirstMaximum()
    {
        using var logits = tensor(new[] { float.NegativeInfinity, 0f, float.NegativeInfinity, 0f });
        using var generator = new Generator(5);
        var drawn = Enumerable.Range(0, 200).Select(_ => TokenSampling.Sample(logits, generator)).ToHashSet();
        drawn.Should().BeEquivalentTo(new[] { 1, 3 });
        TokenSampling.Greedy(logits).Should().Be(1);
    }

    [Fact]
    public void OptionsValidateEveryField()
    {
        new GenerationOptions { Temperature = 0 }.IsGreedy.Should().BeTrue();
        foreach (double bad in new[] { -0.5, double.NaN, double.PositiveInfinity })
            FluentActions.Invoking(() => new GenerationOptions { Temperature = bad })
                .Should().Throw<ArgumentOutOfRangeException>().WithParameterName("Temperature");
        foreach (double bad in new[] { 0, -0.1, 1.5, double.NaN })
            FluentActions.Invoking(() => new GenerationOptions { TopP = bad })
                .Should().Throw<ArgumentOutOfRangeException>().WithParameterName("TopP");
        FluentActions.Invoking(() => new GenerationOptions { TopK = 0 })
                .Should().Throw<ArgumentOutOfRangeException>().WithParameterName("TopK");
        FluentActions.Invoking(() => new GenerationOptions { MaxNewTokens = 0 })
                .Should().Throw<ArgumentOutOfRangeException>().WithParameterName("MaxNewTokens");
        FluentActions.Invoking(() => new GenerationOptions { StopTokens = [3,
            -1] })
                .Should().Throw<ArgumentOutOfRangeException>().WithParameterName("StopTokens");
        new GenerationOptions { TopP = 1, TopK = 1 }.TopK.Should().Be(1);
    }
}
