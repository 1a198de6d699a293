namespace Bus.Core.Tests.Training;

/// <summary>
/// The non-finite guard (issue 12, item 2): gradient norm checked before the step, parameters after it; a step that
/// would leave NaN/inf is undone bit for bit; no checkpoint ever holds a non-finite value; Stop names the step the last
/// finite checkpoint holds; SkipStep with every step skipped is an error.
/// </summary>
[Collection(DeterminismCollection.Name)]
public sealed class NonFiniteGuardTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("bus-guard-").FullName;
    private static readonly TransformerConfig Config = new() { DModel = 16, Heads = 2, FeedForwardSize = 32, Layers = 1, MaxLength = 12 };

    /// <summary>
    /// AdamW with epsilon 0 divides 0 by 0 for parameters whose gradient is exactly zero (embedding rows of letters
    /// absent from the batch): the very first update is NaN although loss and gradients are finite.
    /// </summary>
    private static readonly AdamWFactory NaNUpdate = new(Epsilon: 0);

    [Fact]
    public void StopUndoesAnUpdateThatMadeWeightsNonFinite()
    {
        using var model = GrowableTransformer.Create(Config, 1);
        var before = Snapshot(model);
        var act = () => Fit(model, new TrainerOptions { BatchSize = 8, Budget = Budget.Steps(4), Seed = 1 }, NaNUpdate);
        act.Should().Throw<NonFiniteLossException>().WithMessage("The update made parameters non-finite*at step 1; the model keeps the weights of step 0; no checkpoint was written.");
        Snapshot(model).Should().BeEquivalentTo(before, o => o.WithStrictOrdering(), "the step is undone bit for bit");
    }

    [Fact]
    public void SkipStepWithEveryStepSkippedIsAnErrorAndLeavesTheWeightsUntouched()
    {
        using var model = GrowableTransformer.Create(Config, 1);
        var before = Snapshot(model);
        var act = () => Fit(model, new TrainerOptions { BatchSize = 8, Budget = Budget.Steps(4), Seed = 1, OnNonFiniteLoss = NonFiniteLossPolicy.SkipStep }, NaNUpdate);
        act.Should().Throw<NonFiniteLossException>().WithMessage("All 4 steps of this run were skipped*");
        Snapshot(model).Should().BeEquivalentTo(before, o => o.WithStrictOrdering());
    }

    [Fact]
    public void HugeLearningRateStopsAtTheFirstNonFiniteStepAndTheLastCheckpointIsFinite()
    {
        var checkpoint = new CheckpointOptions { Directory = _dir, EverySteps = 1 };
        using var model = GrowableTransformer.Create(Config, 1);
        var act = () => Fit(model, new TrainerOptions { BatchSize = 8, Budget = Budget.Steps(30), Seed = 1, LearningRate = 1e6, Checkpoint = checkpoint });
        var error = act.Should().Throw<NonFiniteLossException>().Which;
        error.Message.Should().Contain($"the last finite checkpoint '{checkpoint.LastPath}' holds step {error.Step - 1}");
        using var content = SafeTensorsFile.Load(checkpoint.LastPath);
        content.Metadata["meter"].Should().StartWith($"[{error.Step - 1},");
        foreach (var (name, t) in content.Tensors.Where(kv => kv.Value.is_floating_point()))
            isfinite(t).all().item<bool>().Should().BeTrue($"{name} in the checkpoint must be finite");
        foreach (var (name, p) in model.named_parameters())
            isfinite(p).all().item<bool>().Should().BeTrue($"{name} keeps the weights of step {error.Step - 1}");
    }

    [Fact]
    public void HugeLearningRateUnderSkipStepEndsWithFiniteWeightsAndLogsTheSkips()
    {
        var options = new TrainerOptions { BatchSize = 8, Budget = Budget.Steps(12), Seed = 1, LearningRate = 1e6, OnNonFiniteLoss = NonFiniteLossPolicy.SkipStep };
        var result = Fit(GrowableTransformer.Create(Config, 1), options);
        using var final = result.Model;
        result.Log.Should().Contain(l => l.Contains("skipped step"));
        result.Meter.Steps.Should().Be(12);
        foreach (var (name, p) in final.named_parameters()) isfinite(p).all().item<bool>().Should().BeTrue(name);
    }

    [Fact]
    public void GradientNormMatchesTheNormOfAllGradientsTogether()
    {
        // Hand value: gradients (3, 4) and (12) have norm sqrt(9 + 16 + 144) = 13.
        var a = new TorchSharp.Modules.Parameter(tensor(new float[] { 1, 1 }));
        var b = new TorchSharp.Modules.Parameter(tensor(new float[] { 1 }));
        ((a * tensor(new float[] { 3, 4 })).sum() + (b * 12).sum()).backward();
        NonFiniteGuard.GradientNorm([a, b]).Should().BeApproximately(13, 13 * 1e-6);
    }

    [Fact]
    public void GradientNormFallsBackToFloat64WhenTheFloat32SumOfSquaresOverflows()
    {
        // Hand value: gradients (3e20, 4e20) have norm 5e20; their squares (about 1e41) overflow float32 (max 3.4e38).
        var a = new TorchSharp.Modules.Parameter(tensor(new float[] { 1, 1 }));
        (a * tensor(new float[] { 3e20f, 4e20f })).sum().backward();
        NonFiniteGuard.GradientNorm([a]).Should().BeApproximately(5e20, 5e20 * 1e-6);
        a.grad!.data<float>().ToArray().Should().Equal(3e20f, 4e20f);
    }

    [Fact]
    public void SavedWeightsComeBackBitForBitAlsoForNonContiguousParameters()
    {
        // One contiguous and one transposed (non-contiguous) parameter: the flat copy takes the fallback path.
        var a = new TorchSharp.Modules.Parameter(randn(3, 5));
        var b = new TorchSharp.Modules.Parameter(randn(4, 6).t());
        b.is_contiguous().Should().BeFalse();
        var parameters = new[] { a, b };
        var before = parameters.Select(p => p.detach().clone()).ToArray();
        var guard = new NonFiniteGuard(NonFiniteLossPolicy.Stop);
        guard.SaveWeights(parameters);
        using (no_grad())
        {
            a.mul_(2);
            b[1, 2] = tensor(float.PositiveInfinity);
        }
        NonFiniteGuard.UpdateIsFinite(parameters).Should().BeFalse();
        guard.RestoreWeights(parameters);
        NonFiniteGuard.UpdateIsFinite(parameters).Should().BeTrue();
        for (int i = 0; i < 2; i++)
            parameters[i].detach().contiguous().data<float>().ToArray().Should().Equal(before[i].contiguous().data<float>().ToArray(),
                $"parameter {i} is restored bit for bit");
        guard.Release();
    }

    private static TrainingResult Fit(GrowableTransformer model, TrainerOptions options, IOptimizerFactory? optimizer = null)
    {
        using var train = TestData.LetterCounting(96, 12, seed: 1);
        using var dev = TestData.LetterCounting(16, 12, seed: 2);
        return new Trainer(options, optimizer).Fit(model, train, dev, SequenceObjective.TokenClassification);
    }

    private static List<float[]> Snapshot(GrowableTransformer model) =>
        model.parameters().Select(p => p.detach().cpu().data<float>().ToArray()).ToList();

    public void Dispose() => Directory.Delete(_dir, recursive: true);
}
