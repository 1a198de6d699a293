using Bus.Testing;

namespace Bus.Core.Tests;

/// <summary>
/// Bad input everywhere in Bus.Core: every case must throw an <see cref="ArgumentException"/> (never a native
/// TorchSharp error) whose ParamName names the parameter and whose message contains the offending value.
/// </summary>
public sealed class BadInputTests
{
    private static readonly TransformerConfig Tiny = new() { DModel = 8, Heads = 2, FeedForwardSize = 16, Layers = 1, MaxLength = 12, Classes = 3 };
    private static readonly string Text = string.Join(' ', Enumerable.Repeat("the quick brown fox jumps over the lazy dog", 20));

    /// <summary>Case name -> (action, expected ParamName, text the message must contain).</summary>
    private static readonly BadInputCases Cases = new()
    {
        ["config: zero d_model"] = (() => _ = new TransformerConfig { DModel = 0 }, "DModel", "0"),
        ["config: negative heads"] = (() => _ = new TransformerConfig { Heads = -1 }, "Heads", "-1"),
        ["config: zero layers"] = (() => _ = new TransformerConfig { Layers = 0 }, "Layers", "0"),
        ["config: negative d_ff"] = (() => _ = new TransformerConfig { FeedForwardSize = -4 }, "FeedForwardSize", "-4"),
        ["config: zero vocabulary"] = (() => _ = new TransformerConfig { VocabSize = 0 }, "VocabSize", "0"),
        ["config: zero max length"] = (() => _ = new TransformerConfig { MaxLength = 0 }, "MaxLength", "0"),
        ["config: zero classes"] = (() => _ = new TransformerConfig { Classes = 0 }, "Classes", "0"),
        ["config: NaN dropout"] = (() => _ = new TransformerConfig { Dropout = double.NaN }, "Dropout", "NaN"),
        ["config: dropout 1"] = (() => _ = new TransformerConfig { Dropout = 1.0 }, "Dropout", "1"),
        ["config: heads do not divide d_model"] = (() => new TransformerConfig { DModel = 10, Heads = 3 }.Validate(), "Heads", "3"),
        ["model: heads do not divide d_model"] = (() => GrowableTransformer.Create(new TransformerConfig { DModel = 10, Heads = 4 }, 0).Dispose(), "Heads", "4"),
        ["options: zero batch"] = (() => _ = new TrainerOptions { BatchSize = 0 }, "BatchSize", "0"),
        ["options: NaN learning rate"] = (() => _ = new TrainerOptions { LearningRate = double.NaN }, "LearningRate", "NaN"),
        ["options: negative learning rate"] = (() => _ = new TrainerOptions { LearningRate = -0.5 }, "LearningRate", "-0.5"),
        ["options: negative weight decay"] = (() => _ = new TrainerOptions { WeightDecay = -0.1 }, "WeightDecay", "-0.1"),
        ["options: infinite gradient clip"] = (() => _ = new TrainerOptions { GradientClip = double.PositiveInfinity }, "GradientClip", "Infinity"),
        ["options: zero evaluations per epoch"] = (() => _ = new TrainerOptions { EvaluationsPerEpoch = 0 }, "EvaluationsPerEpoch", "0"),
        ["options: negative eval batch"] = (() => _ = new TrainerOptions { EvalBatchSize = -2 }, "EvalBatchSize", "-2"),
        ["options: warm-up fraction 1"] = (() => _ = new LearningRateSchedule { WarmupFraction = 1 }, "WarmupFraction", "1"),
        ["trainer: unknown device"] = (() => _ = new Trainer(new TrainerOptions { Device = "tpu:0" }), "name", "tpu:0"),
        ["budget: zero steps"] = (() => Budget.Steps(0), "amount", "0"),
        ["budget: NaN epochs"] = (() => Budget.Epochs(double.NaN), "amount", "NaN"),
        ["budget: reference seconds without cost model"] = (() => _ = new Trainer(new TrainerOptions { Budget = Budget.ReferenceSeconds(30) }), "options", "30 ReferenceSeconds"),
        ["checkpoint: interval 0"] = (() => _ = new CheckpointOptions { EverySteps = 0 }, "EverySteps", "0"),
        ["checkpoint: negative interval"] = (() => _ = new CheckpointOptions { EverySteps = -10 }, "EverySteps", "-10"),
        ["data: empty corpus"] = (() => LetterCountingTaskData.Build(""), "text8Text", "empty"),
        ["data: non-text8 character"] = (() => LetterCountingTaskData.Build("Hello world"), "text8Text", "'H'"),
        ["data: digit in corpus"] = (() => CharLmTaskData.Build("abc 1 def ghi jkl mno pqr stu vwx yza bcd", 4), "text", "'1'"),
        ["data: zero window length"] = (() => LetterCountingTaskData.Build(Text, windowLength: 0), "windowLength", "0"),
        ["data: dev fraction 1.5"] = (() => LetterCountingTaskData.Build(Text, devFraction: 1.5), "devFraction", "1.5"),
        ["data: zero max windows"] = (() => LetterCountingTaskData.Build(Text, maxWindows: 0), "maxWindows", "0"),
        ["data: corpus shorter than two windows"] = (() => LetterCountingTaskData.Build("abc def", windowLength: 20), "text8Text", "7 characters"),
        ["dataset: float inputs"] = (() => _ = new SequenceDataset(zeros(2, 3), zeros(2, 3, int64)), "inputs", "Float32"),
        ["dataset: shape mismatch"] = (() => _ = new SequenceDataset(zeros(2, 3, int64), zeros(2, 4, int64)), "targets", "[2,4]"),
        ["dataset: batch index out of range"] = (() => { using var d = Dataset(4, 12, 0, 2); d.Batch(tensor(new long[] { 0, 9 })); }, "indices", "9"),
        ["fit: batch larger than dataset"] = (() => Fit(new TrainerOptions { BatchSize = 64 }, train: Dataset(10, 12, 0, 2)), "train", "64"),
        ["fit: label out of range"] = (() => Fit(new TrainerOptions { BatchSize = 4 }, train: Dataset(16, 12, 0, 5)), "train", "5"),
        ["fit: dev label out of range"] = (() => Fit(new TrainerOptions { BatchSize = 4 }, dev: Dataset(8, 12, 0, 3)), "dev", "3"),
        ["fit: token id beyond vocabulary"] = (() => Fit(new TrainerOptions { BatchSize = 4 }, train: Dataset(16, 12, 27, 2)), "train", "27"),
        ["fit: sequences longer than max length"] = (() => Fit(new TrainerOptions { BatchSize = 4 }, train: Dataset(16, 30, 0, 2)), "train", "30"),
        ["fit: empty training set"] = (() => Fit(new TrainerOptions { BatchSize = 4 }, train: new SequenceDataset(zeros(0, 12, int64), zeros(0, 12, int64))), "train", "0 examples"),
        ["forward: too long"] = (() => { using var m = GrowableTransformer.Create(Tiny, 0); m.forward(zeros(1, 13, int64)); }, "tokens", "13"),
        ["vocabulary: character outside text8"] = (() => CharVocabulary.Encode("ab?"), "text", "'?'"),
        ["device: unknown name"] = (() => BusDevice.Parse("quantum"), "name", "quantum"),
    };

    public static TheoryData<string> Names => Cases.Names;

    [Theory]
    [MemberData(nameof(Names))]
    public void InvalidInputThrowsArgumentExceptionNamingParameterAndValue(string name) =>
        Cases.AssertThrowsNaming(name);

    [Fact]
    public void ThereAreAtLeastThirtyDistinctCases() => Cases.Should().HaveCountGreaterThanOrEqualTo(30);

    private static SequenceDataset Dataset(int count, int length, long token, long label) =>
        new(full(new long[] { count, length }, token, int64), full(new long[] { count, length }, label, int64));

    private static void Fit(TrainerOptions options, SequenceDataset? train = null, SequenceDataset? dev = null)
    {
        using var t = train ?? Dataset(16, 12, 1, 1);
        using var d = dev ?? Dataset(8, 12, 1, 1);
        using var model = GrowableTransformer.Create(Tiny, 0);
        new Trainer(options with { Budget = Budget.Steps(1) }).Fit(model, t, d, SequenceObjective.TokenClassification);
    }
}
