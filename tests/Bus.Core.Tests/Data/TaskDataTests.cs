namespace Bus.Core.Tests.Data;

public class LetterCountingTaskDataTests
{
    private const string Text = "we propose a new simple model of counting letters in windows of text";   // 69 chars

    [Fact]
    public void SplitsNonOverlappingWindowsContiguously()
    {
        // 69 / 10 = 6 windows (9 trailing characters dropped); dev = round(6 * 0.34) = 2.
        var (train, dev) = LetterCountingTaskData.Build(Text, windowLength: 10, devFraction: 0.34);
        using (train) using (dev)
        {
            train.Count.Should().Be(4);
            dev.Count.Should().Be(2);
            train.SequenceLength.Should().Be(10);
            CharVocabulary.Decode(train.Inputs[0].data<long>().ToArray()).Should().Be(Text[..10]);
            CharVocabulary.Decode(dev.Inputs[0].data<long>().ToArray()).Should().Be(Text[40..50]);
            CharVocabulary.Decode(dev.Inputs[1].data<long>().ToArray()).Should().Be(Text[50..60]);
        }
    }

    [Fact]
    public void TargetsAreTheLetterCountingLabelsOfEachWindow()
    {
        var (train, dev) = LetterCountingTaskData.Build("we propose a new simpmen love the downfall", windowLength: 21, devFraction: 0.5);
        using (train) using (dev)
        {
            string.Concat(train.Targets[0].data<long>().ToArray()).Should().Be("000000110110202121002");
            string.Concat(dev.Targets[0].data<long>().ToArray()).Should().Be("000000011002201010012");
        }
    }

    [Fact]
    public void VariantAndMaxWindowsAreApplied()
    {
        var (train, dev) = LetterCountingTaskData.Build(Text, windowLength: 5, devFraction: 0.25, maxWindows: 4, variant: LetterCountingVariant.BeforeAndAfter);
        using (train) using (dev)
        {
            (train.Count + dev.Count).Should().Be(4);
            dev.Count.Should().Be(1);
            // "we pr": every character is unique -> all zeros; "opose" -> o,p,o,s,e: o twice.
            string.Concat(train.Targets[1].data<long>().ToArray()).Should().Be("10100");
        }
    }

    [Fact]
    public void BuiltInCorpusGivesTheDefaultSplit()
    {
        string text = BuiltInCorpus.BrownSlice();
        var (train, dev) = LetterCountingTaskData.Build(text);
        using (train) using (dev)
        {
            int windows = text.Length / 20;
            (train.Count + dev.Count).Should().Be(windows);
            dev.Count.Should().Be((int)Math.Round(windows * 0.1));
            train.Targets.max().ToInt64().Should().Be(2);
            train.Inputs.max().ToInt64().Should().BeLessThan(CharVocabulary.Size);
        }
    }

    [Theory]
    [InlineData("", 20, 0.1, null, "text8Text")]
    [InlineData("short text", 20, 0.1, null, "text8Text")]   // fewer than 2 windows
    [InlineData("Not text8", 2, 0.1, null, "text8Text")]
    [InlineData("abcdefgh", 0, 0.1, null, "windowLength")]
    [InlineData("abcdefgh", 2, 0.0, null, "devFraction")]
    [InlineData("abcdefgh", 2, 1.0, null, "devFraction")]
    [InlineData("abcdefgh", 2, double.NaN, null, "devFraction")]
    [InlineData("abcdefgh", 2, 0.5, 0, "maxWindows")]
    public void InvalidArgumentsNameTheParameter(string text, int window, double devFraction, int? maxWindows, string param) =>
        FluentActions.Invoking(() => LetterCountingTaskData.Build(text, window, devFraction, maxWindows))
            .Should().Throw<ArgumentException>().Where(e => e.ParamName == param);

    [Fact]
    public void NonText8CharacterIsNamedWithItsPosition() =>
        FluentActions.Invoking(() => LetterCountingTaskData.Build("abc, def ghi", 3))
            .Should().Throw<ArgumentException>().Where(e => e.Message.Contains("','") && e.Message.Contains("position 3"));
}

public class CharLmTaskDataTests
{
    [Fact]
    public void TargetsAreInputsShiftedByOne()
    {
        string text = "the quick brown fox jumps over the lazy dog";   // 43 chars -> (43-1)/8 = 5 windows
        var (train, dev) = CharLmTaskData.Build(text, contextLength: 8, devFraction: 0.2);
        using (train) using (dev)
        {
            train.Count.Should().Be(4);
            dev.Count.Should().Be(1);
            for (int w = 0; w < 4; w++)
            {
                CharVocabulary.Decode(train.Inputs[w].data<long>().ToArray()).Should().Be(text.Substring(w * 8, 8));
                CharVocabulary.Decode(train.Targets[w].data<long>().ToArray()).Should().Be(text.Substring(w * 8 + 1, 8));
            }
            CharVocabulary.Decode(dev.Targets[0].data<long>().ToArray()).Should().Be(text.Substring(33, 8));
        }
    }

    [Fact]
    public void ThreeSplitsAreContiguousDisjointAndInOrder()
    {
        // 43 chars -> 5 windows of 8: test round(5 * 0.2) = 1 (the last), dev round(5 * 0.2) = 1 (before it), train 3.
        string text = "the quick brown fox jumps over the lazy dog";
        var (train, dev, test) = CharLmTaskData.BuildSplits(text, contextLength: 8, devFraction: 0.2, testFraction: 0.2);
        using (train) using (dev) using (test)
        {
            train.Count.Should().Be(3);
            dev.Count.Should().Be(1);
            test.Count.Should().Be(1);
            CharVocabulary.Decode(train.Inputs[2].data<long>().ToArray()).Should().Be(text.Substring(16, 8));
            CharVocabulary.Decode(dev.Inputs[0].data<long>().ToArray()).Should().Be(text.Substring(24, 8));
            CharVocabulary.Decode(test.Inputs[0].data<long>().ToArray()).Should().Be(text.Substring(32, 8));
            CharVocabulary.Decode(test.Targets[0].data<long>().ToArray()).Should().Be(text.Substring(33, 8));
        }
        FluentActions.Invoking(() => CharLmTaskData.BuildSplits(text, 8, 0.6, 0.4)).Should().Throw<ArgumentOutOfRangeException>().WithParameterName("testFraction");
        FluentActions.Invoking(() => CharLmTaskData.BuildSplits("abcdefghij", 4, 0.1, 0.1)).Should().Throw<ArgumentException>().WithParameterName("text");
    }

    [Fact]
    public void ShiftPropertyHoldsOnTheBuiltInCorpus()
    {
        var (train, dev) = CharLmTaskData.Build(BuiltInCorpus.BrownSlice(), contextLength: 64, maxWindows: 100);
        using (train) using (dev)
        {
            using var scope = torch.NewDisposeScope();
            // Within a window: target[t] == input[t+1]; across windows: last target == next window's first input.
            train.Targets[.., ..^1].eq(train.Inputs[.., 1..]).all().item<bool>().Should().BeTrue();
            train.Targets[..^1, ^1].eq(train.Inputs[1.., 0]).all().item<bool>().Should().BeTrue();
            (train.Count + dev.Count).Should().Be(100);
        }
    }

    [Theory]
    [InlineData("", 4, 0.1, "text")]
    [InlineData("abcd", 4, 0.1, "text")]       // needs T+1 chars per window, 2 windows
    [InlineData("abc d!", 1, 0.1, "text")]
    [InlineData("abcdefgh", 0, 0.1, "contextLength")]
    [InlineData("abcdefgh", 2, 1.5, "devFraction")]
    public void InvalidArgumentsNameTheParameter(string text, int contextLength, double devFraction, string param) =>
        FluentActions.Invoking(() => CharLmTaskData.Build(text, contextLength, devFraction))
            .Should().Throw<ArgumentException>().Where(e => e.ParamName == param);

    [Fact]
    public void BitsPerCharacterIsNatsOverLnTwo()
    {
        BitsPerCharacter.FromCrossEntropy(Math.Log(2)).Should().BeApproximately(1.0, 1e-12);
        BitsPerCharacter.FromCrossEntropy(Math.Log(27)).Should().BeApproximately(Math.Log2(27), 1e-12);
        BitsPerCharacter.FromCrossEntropy(0).Should().Be(0);
        FluentActions.Invoking(() => BitsPerCharacter.FromCrossEntropy(-0.1)).Should().Throw<ArgumentException>().Where(e => e.ParamName == "natsPerChar");
    }
}
