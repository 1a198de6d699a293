namespace Bus.Core.Tests.Training;

/// <summary>
/// Gradient accumulation (<see cref="TrainerOptions.AccumulationSteps"/>): a step over micro-batches has the gradient of
/// the whole batch (the large-batch step), for the next-token LM and for pooled sequence classification, also when the
/// micro-batches are uneven; budgets are charged per example as before.
/// </summary>
[Collection(DeterminismCollection.Name)]
public class GradientAccumulationTests
{
    private const int Batch = 16;

    public static TheoryData<int> Splits => new() { 2, 4, 3, 16 };

    [Theory]
    [MemberData(nameof(Splits))]
    public void LanguageModelStepHasTheLargeBatchGradient(int accumulation)
    {
        var config = new TransformerConfig { Mode = ModelMode.Decoder, VocabSize = CharVocabulary.Size, MaxLength = 16, DModel = 16,
            FeedForwardSize = 32, Heads = 2, Layers = 2 };
        using var train = LmData(400, 16, seed: 1);
        using var dev = LmData(20, 16, seed: 2);
        var (whole, wholeLoss) = FirstStepGradients(config, train, dev, SequenceObjective.LanguageModel, 1);
        var (split, splitLoss) = FirstStepGradients(config, train, dev, SequenceObjective.LanguageModel, accumulation);
        AssertClose(whole, split);
        splitLoss.Should().BeApproximately(wholeLoss, 1e-5 * Math.Abs(wholeLoss));
    }

    [Theory]
    [MemberData(nameof(Splits))]
    public void PooledClassificationStepHasTheLargeBatchGradient(int accumulation)
    {
        var config = new TransformerConfig { Mode = ModelMode.Encoder, Classes = 3, VocabSize = 6, MaxLength = 12, DModel = 16,
            FeedForwardSize = 32, Heads = 2, Layers = 2 };
        using var train = ClassificationData(200, 12, seed: 1);
        using var dev = ClassificationData(20, 12, seed: 2);
        var objective = new SequenceClassificationObjective(SequencePooling.Mean);
        var (whole, wholeLoss) = FirstStepGradients(config, train, dev, objective, 1);
        var (split, splitLoss) = FirstStepGradients(config, train, dev, objective, accumulation);
        AssertClose(whole, split);
        splitLoss.Should().BeApproximately(wholeLoss, 1e-5 * Math.Abs(wholeLoss));
    }

    [Fact]
    public void BudgetIsChargedPerExampleAsWithoutAccumulation()
    {
        using var train = TestData.LetterCounting(200, 12, seed: 1);
        using var dev = TestData.LetterCounting(20, 12, seed: 2);
        BudgetMeter Meter(int k)
        {
            var options = new TrainerOptions { BatchSize = Batch, Budget = Budget.Steps(3), Seed = 1, AccumulationSteps = k };
            var result = new Trainer(options).Fit(GrowableTransformer.Create(TestData.Tiny, 1), train, dev,
                SequenceObjective.TokenClassification);
            result.Model.Dispose();
            return result.Meter;
        }

        var (one, four) = (Meter(1), Meter(4));
        four.Steps.Should().Be(3);
        four.Samples.Should().Be(3 * Batch);
        four.Tokens.Should().Be(one.Tokens);
        four.Flops.Should().Be(one.Flops);
    }

    [Fact]
    public void SelectorsSeeTheWholeBatchAndTheSelectionIsSplit()
    {
        using var train = TestData.LetterCounting(200, 12, seed: 1);
        using var dev = TestData.LetterCounting(20, 12, seed: 2);
        var selector = new KeepFirstHalf();
        var objective = new CountingObjective(SequenceObjective.TokenClassification);
        var options = new TrainerOptions { BatchSize = 8, Budget = Budget.Steps(2), Seed = 1, AccumulationSteps = 4, MaxEvalExamples = 4 };
        using var model = GrowableTransformer.Create(TestData.Tiny, 1);
        var result = new Trainer(options, selector: selector).Fit((nn.Module<Tensor, Tensor>)model, train, dev, objective);
        selector.Seen.Should().Equal(16, 16); // 2 x BatchSize candidates per step, whole
        // The 8 selected rows of each step as 4 micro-batches of 2, then the final evaluation of 4 dev rows.
        objective.Rows.Should().Equal(2, 2, 2, 2, 2, 2, 2, 2, 4);
        result.Meter.Samples.Should().Be(16);
    }

    [Fact]
    public void InvalidAccumulationIsRefusedBeforeTraining()
    {
        FluentActions.Invoking(() => new TrainerOptions { AccumulationSteps = 0 })
            .Should().Throw<ArgumentOutOfRangeException>().WithParameterName("AccumulationSteps");
        FluentActions.Invoking(() => new Trainer(new TrainerOptions { BatchSize = 4, AccumulationSteps = 5 }))
            .Should().Throw<ArgumentException>().WithMessage("*AccumulationSteps 5 exceeds BatchSize 4*");
    }

    /// <summary>The gradients after step 1 (clipping off, so they are the raw ones) and that step's loss.</summary>
    private static (List<float[]> Gradients, double Loss) FirstStepGradients(TransformerConfig config, SequenceDataset train,
        SequenceDataset dev, ITrainingObjective objective, int accumulation)
    {
        var options = new TrainerOptions
        {
            BatchSize = Batch, Budget = Budget.Steps(1), Seed = 3, GradientClip = 0, AccumulationSteps = accumulation, MaxEvalExamples = 4,
        };
        var capture = new CaptureGradients();
        using var model = GrowableTransformer.Create(config, 3);
        var result = new Trainer(options, algorithms: [capture]).Fit((nn.Module<Tensor, Tensor>)model, train, dev, objective);
        return (capture.Gradients, result.History[^1].TrainLoss);
    }

    /// <summary>
    /// allclose, relative: |a - e| &lt;= 1e-4 (|e| + the model's largest gradient), float32 sums in another order (some
    /// gradients, e.g. of a bias before a LayerNorm, are zero up to rounding, so each is compared on the gradient's scale).
    /// </summary>
    private static void AssertClose(List<float[]> expected, List<float[]> actual)
    {
        actual.Should().HaveCount(expected.Count);
        double scale = expected.Max(g => g.Max(v => Math.Abs(v)));
        scale.Should().BeGreaterThan(0);
        for (int i = 0; i < expected.Count; i++)
        {
            for (int j = 0; j < expected[i].Length; j++)
                ((double)Math.Abs(actual[i][j] - expected[i][j])).Should().BeLessThanOrEqualTo(1e-4 * (scale + Math.Abs(expected[i][j])),
                    $"gradient {i}[{j}] of the accumulated step must equal the large batch's");
        }
    }

    private static SequenceDataset LmData(int rows, int length, int seed)
    {
        var rng = new Random(seed);
        var text = new string(Enumerable.Range(0, rows * length + 1).Select(_ => (char)('a' + rng.Next(8))).ToArray());
        var ids = text.Select(c => (long)(c - 'a' + 1)).ToArray();
        var inputs = new long[rows, length];
        var targets = new long[rows, length];
        for (int r = 0; r < rows; r++)
            for (int t = 0; t < length; t++)
                (inputs[r, t], targets[r, t]) = (ids[r * length + t], ids[r * length + t + 1]);
        return new SequenceDataset(tensor(inputs), tensor(targets));
    }

    /// <summary>Rows labelled by their count of token 0 mod 3; targets [B, T] with the label at real positions and padding at the last
    /// two of odd rows.</summary>
    private static SequenceDataset ClassificationData(int rows, int length, int seed)
    {
        var rng = new Random(seed);
        var inputs = new long[rows, length];
        var targets = new long[rows, length];
        for (int r = 0; r < rows; r++)
        {
            for (int t = 0; t < length; t++) inputs[r, t] = rng.Next(6);
            long label = Enumerable.Range(0, length).Count(t => inputs[r, t] == 0) % 3;
            for (int t = 0; t < length; t++) targets[r, t] = r % 2 == 1 && t >= length - 2 ? -100 : label;
        }
        return new SequenceDataset(tensor(inputs), tensor(targets));
    }

    /// <summary>Draws 2 x the batch and keeps the first half, recording how many candidates it saw.</summary>
    private sealed class KeepFirstHalf : IBatchSelector
    {
        public List<long> Seen { get; } = [];
        public string Name => "keep-first-half";
        public int CandidateCount(int batchSize) => 2 * batchSize;
        public void Prepare(ITrainingData train, ITrainingObjective objective) { }

        public SelectedBatch? Select(CandidateBatch candidates, SelectionContext context)
        {
            Seen.Add(candidates.Inputs.shape[0]);
            return new SelectedBatch(candidates.Inputs[..context.BatchSize].clone(), candidates.Targets[..context.BatchSize].clone(), 0);
        }
    }

    /// <summary>The objective, recording the rows of every loss it computes (training micro-batches, then evaluation chunks).</summary>
    private sealed class CountingObjective(ITrainingObjective inner) : ITrainingObjective
    {
        public List<long> Rows { get; } = [];
        public string MetricName => inner.MetricName;
        public bool HigherIsBetter => inner.HigherIsBetter;

        public Tensor Loss(Tensor output, Tensor targets)
        {
            Rows.Add(targets.shape[0]);
            return inner.Loss(output, targets);
        }

        public Tensor PerExampleLoss(Tensor output, Tensor targets) => inner.PerExampleLoss(output, targets);
        public (double Sum, long Count) MetricSum(Tensor output, Tensor targets) => inner.MetricSum(output, targets);
        public double Finish(double sum, long count) => inner.Finish(sum, count);
    }

    private sealed class CaptureGradients : TrainingCallback
    {
        public List<float[]> Gradients { get; } = [];

        public override void OnEvent(TrainingEvent e, TrainingState state)
        {
            if (e != TrainingEvent.StepEnd || state.Meter.Steps != 1) return;
            foreach (var p in state.Module.parameters())
                Gradients.Add(p.grad is { } g ? g.cpu().data<float>().ToArray() : new float[p.numel()]);
        }
    }
}
