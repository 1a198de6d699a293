namespace Bus.Core.Tests.Generation;

public class TokenGeneratorTests
{
    private static readonly int[] Prompt = [4, 9, 1];

    [Theory]
    [MemberData(nameof(GenerationModels.Both), MemberType = typeof(GenerationModels))]
    public void GreedyEqualsTheArgmaxOfTheUncachedForwardStepByStep(string family)
    {
        using var model = GenerationModels.Create(family, seed: 21);
        var generated = model.Generate(Prompt, new GenerationOptions { Temperature = 0, MaxNewTokens = 12 }).ToList();
        generated.Should().HaveCount(12);
        for (int i = 0; i < generated.Count; i++)
        {
            using var logits = GenerationModels.FullForward(model, Prompt.Concat(generated.Take(i)).Select(t => (long)t));
            using var argmax = logits[-1].argmax();
            generated[i].Should().Be((int)argmax.item<long>(), $"{family}: step {i}");
        }
        generated.Distinct().Count().Should().BeGreaterThan(1, "a constant sequence would make the check weak");
    }

    [Theory]
    [MemberData(nameof(GenerationModels.Both), MemberType = typeof(GenerationModels))]
    public void TheCachedAndUncachedPathsGiveTheSameTokens(string family)
    {
        using var model = GenerationModels.Create(family, seed: 22);
        foreach (var options in new[] { new GenerationOptions { Temperature = 0, MaxNewTokens = 12 }, new GenerationOptions { Seed = 4,
            MaxNewTokens = 12 } })
            model.Generate(Prompt, options with { UseKeyValueCache = false }).Should().Equal(model.Generate(Prompt, options),
                $"{family}, temperature {options.Temperature}");
    }

    [Theory]
    [MemberData(nameof(GenerationModels.Both), MemberType = typeof(GenerationModels))]
    public void TopKOneEqualsGreedy(string family)
    {
        using var model = GenerationModels.Create(family, seed: 23);
        var greedy = model.Generate(Prompt, new GenerationOptions { Temperature = 0, MaxNewTokens = 12 }).ToList();
        foreach (long seed in new long[] { 1, 2, 3 })
            model.Generate(Prompt, new GenerationOptions { Temperature = 1.5, TopK = 1, Seed = seed,
                MaxNewTokens = 12 }).Should().Equal(greedy);
    }

    [Theory]
    [MemberData(nameof(GenerationModels.Both), MemberType = typeof(GenerationModels))]
    public void SamplingIsDeterministicUnderASeed(string family)
    {
        using var model = GenerationModels.Create(family, seed: 24);
        var options = new GenerationOptions { Temperature = 1.0, Seed = 7, MaxNewTokens = 13 };
        var first = model.Generate(Prompt, options).ToList();
        model.Generate(Prompt, options).Should().Equal(first);
        var others = Enumerable.Range(100, 5).Select(s => model.Generate(Prompt, options with { Seed = s }).ToList()).ToList();
        others.Should().Contain(o => !o.SequenceEqual(first), "another seed draws other tokens");
    }

    [Fact]
    public void ThePromptAndNewTokensMustFitTheContext()
    {
        using var model = GenerationModels.Create(nameof(GenerationModels.Gpt), seed: 25);
        int[] prompt = [1, 2, 3, 4, 5];
        var tooMany = () => model.Generate(prompt, new GenerationOptions { MaxNewTokens = 12 });
        tooMany.Should().Throw<ArgumentException>()
            .WithMessage("MaxNewTokens 12 after a prompt of 5 tokens exceeds the model's context of 16 tokens*at most 11*");
        model.Generate(prompt, new GenerationOptions { Temperature = 0, MaxNewTokens = 11 }).Should().HaveCount(11);
    }

    [Theory]
    [MemberData(nameof(GenerationModels.Both), MemberType = typeof(GenerationModels))]
    public void AStopTokenEndsGenerationBeforeItIsYielded(string family)
    {
        using var model = GenerationModels.Create(family, seed: 26);
        var options = new GenerationOptions { Temperature = 0, MaxNewTokens = 12 };
        var full = model.Generate(Prompt, options).ToList();
        int stop = full[4];
        int first = full.IndexOf(stop);
        model.Generate(Prompt, options with { StopTokens = [stop] }).Should().Equal(full.Take(first));
    }

    [Fact]
    public void BadArgumentsAreRefusedWhenCalled()
    {
        using var model = GenerationModels.Create(nameof(GenerationModels.Llama), seed: 27);
        var options = new GenerationOptions();
        FluentActions.Invoking(() => model.Generate([], options)).Should().Throw<ArgumentException>().WithMessage("*at least one token*");
        FluentActions.Invoking(() => model.Generate([1, 13],
            options)).Should().Throw<ArgumentException>().WithMessage("Prompt token 13 at position 1*0..12*");
        FluentActions.Invoking(() => model.Generate([1],
            options with { StopTokens = [13] })).Should().Throw<ArgumentException>().WithMessage("Stop token 13*");
        using var encoder = new GrowableTransformer(GenerationModels.Gpt with { Mode = ModelMode.Encoder });
        FluentActions.Invoking(() => encoder.Generate([1], options)).Should().Throw<ArgumentException>().WithMessage("*decoder*");
    }

    [Fact]
    public void CancellationStopsTheStream()
    {
        using var model = GenerationModels.Create(nameof(GenerationModels.Gpt), seed: 28);
        using var cts = new CancellationTokenSource();
        var produced = new List<int>();
        var act = () =>
        {
            foreach (int t in model.Generate(Prompt, new GenerationOptions { MaxNewTokens = 10 }, cts.Token))
            {
                produced.Add(t);
                if (produced.Count == 3) cts.Cancel();
            }
        };
        act.Should().Throw<OperationCanceledException>();
        produced.Should().HaveCount(3);
    }
}
