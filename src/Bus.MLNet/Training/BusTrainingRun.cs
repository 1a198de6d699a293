using Bus.Core.Data;
using Bus.Core.Model;
using Bus.Core.Tasks;
using Bus.Core.Training;
using Bus.Growth.Schedules;
using Bus.MLNet.Components;
using static TorchSharp.torch;

namespace Bus.MLNet.Training;

/// <summary>
/// Trains a (growing) encoder <see cref="GrowableTransformer"/> on per-position targets with Bus.Core's
/// <see cref="Trainer"/>: builds the start and final configs from <see cref="BusTrainerOptions"/>, holds out a
/// seeded validation split, and adds a one-stage <see cref="GrowthSchedule"/> when the options ask for growth.
/// </summary>
internal static class BusTrainingRun
{
    public static (GrowableTransformer Model, TrainingResult Result) Train(
        IReadOnlyList<long[]> inputs, IReadOnlyList<long[]> targets, int classes, BusTrainerOptions options, IBusComponents components)
    {
        options.Validate();
        int n = inputs.Count;
        if (n < 2)
            throw new InvalidOperationException($"Bus needs at least 2 labelled rows (one to train, one to validate); the data has {n}.");
        var finalConfig = new TransformerConfig
        {
            VocabSize = CharVocabulary.Size, MaxLength = options.MaxLength, DModel = options.DModel, Heads = options.Heads,
            DFf = options.DFf, Layers = options.Layers, Dropout = options.Dropout, Mode = ModelMode.Encoder, Classes = classes,
        }.Validate();
        var startConfig = options.Grows
            ? (finalConfig with { DModel = options.StartDModel!.Value, DFf = options.EffectiveStartDFf }).Validate()
            : finalConfig;

        // Seeded shuffle, then the last ValidationFraction of it is the dev split.
        var order = Enumerable.Range(0, n).ToArray();
        new Random(unchecked((int)options.Seed) ^ 0x0B05).Shuffle(order);
        int devCount = Math.Clamp((int)Math.Round(n * options.ValidationFraction), 1, n - 1);
        using var train = Dataset(order[..^devCount], inputs, targets, options.MaxLength);
        using var dev = Dataset(order[^devCount..], inputs, targets, options.MaxLength);

        var algorithms = new List<ITrainingAlgorithm>();
        if (options.Grows)
        {
            var growth = components.GetGrowthOperator(options.GrowthOperator);
            algorithms.Add(new GrowthSchedule(startConfig, [new GrowthStage(GrowthTrigger.AtEpoch(options.GrowthEpoch), finalConfig, growth)], options.Seed));
        }
        var trainerOptions = new TrainerOptions
        {
            BatchSize = Math.Min(options.BatchSize, train.Count),
            Budget = Budget.Epochs(options.Epochs),
            LearningRate = options.LearningRate,
            WeightDecay = options.WeightDecay,
            Seed = options.Seed,
            Device = options.Device,
        };
        var selector = options.Selector is null ? null : components.CreateSelector(options.Selector);
        var trainer = new Trainer(trainerOptions, components.GetOptimizer(options.Optimizer), selector, algorithms);
        var model = GrowableTransformer.Create(startConfig, options.Seed);
        var result = trainer.Fit(model, train, dev, SequenceObjective.Classification);
        return (result.Model, result);
    }

    private static SequenceDataset Dataset(int[] rows, IReadOnlyList<long[]> inputs, IReadOnlyList<long[]> targets, int length)
    {
        var x = new long[rows.Length * length];
        var y = new long[x.Length];
        for (int r = 0; r < rows.Length; r++)
        {
            Array.Copy(inputs[rows[r]], 0, x, r * length, length);
            Array.Copy(targets[rows[r]], 0, y, r * length, length);
        }
        return new SequenceDataset(tensor(x, [rows.Length, length], ScalarType.Int64), tensor(y, [rows.Length, length], ScalarType.Int64));
    }
}
