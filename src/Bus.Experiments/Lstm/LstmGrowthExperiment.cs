using Bus.Growth.Lstm;

namespace Bus.Experiments.Lstm;

/// <summary>Sizes and lengths of <see cref="LstmGrowthExperiment"/>; every property validates its value when set.</summary>
public sealed record LstmGrowthExperimentOptions
{
    private readonly int _smallHidden = 32, _largeHidden = 64, _embedding = 16, _context = 64, _batch = 32;
    private readonly int _smallSteps = 200, _largeSteps = 200;
    private readonly double _learningRate = 3e-3;
    private readonly int? _maxWindows;

    /// <summary>Hidden units before growth.</summary>
    public int SmallHidden { get => _smallHidden; init => _smallHidden = Guard.Positive(value, nameof(SmallHidden)); }

    /// <summary>Hidden units after growth (and of the scratch arm); at least <see cref="SmallHidden"/>.</summary>
    public int LargeHidden { get => _largeHidden; init => _largeHidden = Guard.Positive(value, nameof(LargeHidden)); }

    /// <summary>Embedding width.</summary>
    public int EmbeddingSize { get => _embedding; init => _embedding = Guard.Positive(value, nameof(EmbeddingSize)); }

    /// <summary>Characters per training window.</summary>
    public int ContextLength { get => _context; init => _context = Guard.Positive(value, nameof(ContextLength)); }

    /// <summary>Windows per step.</summary>
    public int BatchSize { get => _batch; init => _batch = Guard.Positive(value, nameof(BatchSize)); }

    /// <summary>Steps of the small model before growth.</summary>
    public int SmallSteps { get => _smallSteps; init => _smallSteps = Guard.Positive(value, nameof(SmallSteps)); }

    /// <summary>Steps after growth; the scratch arm trains the large model for SmallSteps + LargeSteps.</summary>
    public int LargeSteps { get => _largeSteps; init => _largeSteps = Guard.Positive(value, nameof(LargeSteps)); }

    /// <summary>Adam learning rate (all arms).</summary>
    public double LearningRate
    {
        get => _learningRate;
        init => _learningRate = double.IsFinite(value) && value > 0 ? value
            : throw new ArgumentOutOfRangeException(nameof(LearningRate), value, $"LearningRate must be positive, got {value}.");
    }

    /// <summary>Cap on the number of windows cut from the text (null: all).</summary>
    public int? MaxWindows
    {
        get => _maxWindows;
        init => _maxWindows = value is null ? null : Guard.Positive(value.Value, nameof(MaxWindows));
    }

    /// <summary>Seed of every random choice.</summary>
    public long Seed { get; init; }

}

/// <summary>One arm of the experiment.</summary>
/// <param name="Arm">"cascade", "fully-connected" or "scratch".</param>
/// <param name="DevBpc">Dev bits per character at the end.</param>
/// <param name="BpcAfterGrowth">Dev bpc right after growth, before further training (NaN for scratch).</param>
/// <param name="SmallSteps">Steps taken by the small model (0 for scratch).</param>
/// <param name="LargeSteps">Steps taken by the large model.</param>
public sealed record LstmArmResult(string Arm, double DevBpc, double BpcAfterGrowth, int SmallSteps, int LargeSteps);

/// <summary>
/// Seeds 000/001's growing-LSTM comparison on the char-LM task: train a small <see cref="CharLstm"/>, grow it with each
/// operator (cascade, fully connected), keep training, and compare with a large model trained from scratch for the
/// same number of steps (the grown arms are cheaper per step before growth). Reports dev bits per character per arm.
/// </summary>
public static class LstmGrowthExperiment
{
    /// <summary>Runs every arm on <paramref name="text"/> (text8-style; the built-in Brown slice when null).</summary>
    /// <exception cref="ArgumentOutOfRangeException">LargeHidden is smaller than SmallHidden.</exception>
    public static IReadOnlyList<LstmArmResult> Run(LstmGrowthExperimentOptions options, string? text = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (options.LargeHidden < options.SmallHidden)
            throw new ArgumentOutOfRangeException(nameof(options), options.LargeHidden,
                $"LargeHidden {options.LargeHidden} is smaller than SmallHidden {options.SmallHidden}.");
        var (train, dev) = CharLmTaskData.Build(text ?? BuiltInCorpus.BrownSlice(), options.ContextLength, maxWindows: options.MaxWindows);
        using (train)
        using (dev)
        {
            var results = new List<LstmArmResult>();
            using var small = CharLstm.Create(CharVocabulary.Size, options.EmbeddingSize, options.SmallHidden, options.Seed);
            CharLstmTraining.Train(small, train, options.SmallSteps, options.BatchSize, options.LearningRate, options.Seed);
            foreach (ILstmGrowthOperator op in new ILstmGrowthOperator[] { new CascadeLstmGrowth(), new FullyConnectedLstmGrowth() })
            {
                using var grown = op.Grow(small, options.LargeHidden, options.Seed);
                double afterGrowth = CharLstmTraining.BitsPerCharacter(grown, dev);
                CharLstmTraining.Train(grown, train, options.LargeSteps, options.BatchSize, options.LearningRate, options.Seed + 1);
                results.Add(
                    new(op.Name, CharLstmTraining.BitsPerCharacter(grown, dev), afterGrowth, options.SmallSteps, options.LargeSteps));
            }
            using var scratch = CharLstm.Create(CharVocabulary.Size, options.EmbeddingSize, options.LargeHidden, options.Seed);
            int total = options.SmallSteps + options.LargeSteps;
            CharLstmTraining.Train(scratch, train, total, options.BatchSize, options.LearningRate, options.Seed);
            results.Add(new("scratch", CharLstmTraining.BitsPerCharacter(scratch, dev), double.NaN, 0, total));
            return results;
        }
    }
}
