namespace Bus.Growth.Tests.Learned;

/// <summary>Tiny configs, synthetic letter-counting data and a briefly trained small model for the learned-operator tests.</summary>
internal static class LearnedGrowthFixtures
{
    public static readonly TransformerConfig Small = new() { VocabSize = 27, MaxLength = 12, DModel = 8, Heads = 2, FeedForwardSize = 16, Layers = 1 };
    public static readonly TransformerConfig Big = Small with { DModel = 16, FeedForwardSize = 32, Layers = 2 };

    /// <summary>Llama family with grouped-query attention (2 query heads on 1 key/value head, head_dim 4); untied head.</summary>
    public static readonly TransformerConfig SmallLlama = Small with { Architecture = ModelArchitecture.Llama, KvHeads = 1 };

    /// <summary>SmallLlama grown in d_model with head_dim kept (query heads 2 -> 4, key/value heads 1 -> 2), d_ff and depth.</summary>
    public static readonly TransformerConfig BigLlama = SmallLlama with { DModel = 16, Heads = 4, KvHeads = 2, FeedForwardSize = 32, Layers = 2 };

    /// <summary>Llama decoder with tied input/output embeddings (a language model over 8 symbols).</summary>
    public static readonly TransformerConfig SmallTiedLlama = SmallLlama with { VocabSize = 8, Mode = ModelMode.Decoder, TieEmbeddings = true };

    /// <summary>SmallTiedLlama grown like <see cref="BigLlama"/>.</summary>
    public static readonly TransformerConfig BigTiedLlama = SmallTiedLlama with { DModel = 16, Heads = 4, KvHeads = 2, FeedForwardSize = 32, Layers = 2 };

    /// <summary>
    /// Next-token data over 8 symbols: each window follows s_{t+1} = (3 s_t + 1) mod 8 except where a seeded coin (p = 0.2)
    /// draws a random symbol; targets are the inputs shifted by one.
    /// </summary>
    public static SequenceDataset NextSymbol(int count, int length, int seed)
    {
        var random = new Random(seed);
        var tokens = new long[count, length + 1];
        for (int i = 0; i < count; i++)
        {
            tokens[i, 0] = random.Next(8);
            for (int t = 1; t <= length; t++)
                tokens[i, t] = random.NextDouble() < 0.2 ? random.Next(8) : (3 * tokens[i, t - 1] + 1) % 8;
        }
        using var all = tensor(tokens);
        return new SequenceDataset(all[.., ..length].clone(), all[.., 1..].clone());
    }

    /// <summary>
    /// What the learned operators are initialised as, computed by the fixed operators: the Net2Net width expansion of
    /// <see cref="FunctionPreservingWidth"/> (random mapping, <paramref name="seed"/>) of the one-block small model, then
    /// stacking in depth.
    /// </summary>
    public static Dictionary<string, float[]> ExpansionReference(GrowableTransformer small, TransformerConfig big, long seed)
    {
        small.Config.Layers.Should().Be(1, "LiGO and MANGO share one d_ff mapping across blocks; the per-block FPI draws agree for one block");
        using var wide = new FunctionPreservingWidth().Grow(small, big with { Layers = 1 }, new GrowthContext(seed));
        using var deep = new StackingDepthGrowth().Grow(wide, big, new GrowthContext(seed));
        return deep.named_parameters().ToDictionary(p => p.name, p => p.parameter.data<float>().ToArray());
    }

    /// <summary>The small model of <paramref name="config"/> after a few Adam steps on <paramref name="data"/> under <paramref name="objective"/>.</summary>
    public static GrowableTransformer Trained(TransformerConfig config, SequenceDataset data, SequenceObjective objective, int steps = 40, long seed = 1)
    {
        var model = GrowableTransformer.Create(config, seed);
        using var optimizer = optim.Adam(model.parameters(), 1e-2);
        for (int s = 0; s < steps; s++)
        {
            using var scope = NewDisposeScope();
            optimizer.zero_grad();
            objective.Loss(model.forward(data.Inputs), data.Targets).backward();
            optimizer.step();
        }
        model.eval();
        return model;
    }

    /// <summary>Task loss of <paramref name="model"/> on the whole of <paramref name="data"/> under <paramref name="objective"/> (evaluation mode).</summary>
    public static double Loss(GrowableTransformer model, SequenceDataset data, SequenceObjective objective)
    {
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        model.eval();
        return objective.Loss(model.forward(data.Inputs), data.Targets).item<float>();
    }

    /// <summary>Random windows over a small alphabet, labelled by earlier-occurrence counts capped at 2.</summary>
    public static SequenceDataset LetterCounting(int count, int length, int seed, int alphabet = 6) =>
        Bus.Testing.SyntheticLetterCounting.Create(count, length, seed, alphabet);

    /// <summary>The small model after a few Adam steps on <paramref name="data"/> (so growth starts from trained weights).</summary>
    public static GrowableTransformer TrainedSmall(SequenceDataset data, int steps = 40, long seed = 1)
    {
        var model = GrowableTransformer.Create(Small, seed);
        using var optimizer = optim.Adam(model.parameters(), 1e-2);
        for (int s = 0; s < steps; s++)
        {
            using var scope = NewDisposeScope();
            optimizer.zero_grad();
            SequenceObjective.TokenClassification.Loss(model.forward(data.Inputs), data.Targets).backward();
            optimizer.step();
        }
        model.eval();
        return model;
    }

    /// <summary>Task loss of <paramref name="model"/> on the whole of <paramref name="data"/> (evaluation mode).</summary>
    public static double Loss(GrowableTransformer model, SequenceDataset data)
    {
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        model.eval();
        return SequenceObjective.TokenClassification.Loss(model.forward(data.Inputs), data.Targets).item<float>();
    }

    /// <summary>
    /// For each seed s: letter-counting data (32 windows, seed s + 1) and a small model trained on it (seed s), grown by
    /// <paramref name="create"/>(0) (the operator's initialisation) and by <paramref name="create"/>(<paramref name="steps"/>)
    /// with context seed s + 2 and batch 32 (so the operator's evaluation batch is the whole data set); the task loss of
    /// both grown models on that data.
    /// </summary>
    public static List<(double Initial, double Trained)> InitialAndTrainedLosses(Func<int, Bus.Growth.Learned.LearnedGrowthOperator> create, int steps, params int[] seeds)
    {
        var losses = new List<(double, double)>();
        foreach (int seed in seeds)
        {
            using var data = LetterCounting(32, 12, seed: seed + 1);
            using var small = TrainedSmall(data, seed: seed);
            var context = new GrowthContext(seed + 2, data, SequenceObjective.TokenClassification, BatchSize: 32);
            using var initial = create(0).Grow(small, Big, context);
            using var trained = create(steps).Grow(small, Big, context);
            losses.Add((Loss(initial, data), Loss(trained, data)));
        }
        return losses;
    }

    /// <summary>
    /// Each trained operator's loss no higher than its initialisation's (the relative 1e-4 covers the module forward against
    /// the functional one), and on average at least 3% lower.
    /// </summary>
    public static void ShouldEndBelowInitialisation(List<(double Initial, double Trained)> losses)
    {
        foreach (var (initial, trained) in losses)
            trained.Should().BeLessThanOrEqualTo(initial * (1 + 1e-4), "training never ends above the operator's initialisation");
        losses.Average(l => l.Trained / l.Initial).Should().BeLessThan(0.97, string.Join(", ", losses));
    }

    /// <summary>A growth context over <paramref name="data"/>: classification objective, batch 32.</summary>
    public static GrowthContext Context(SequenceDataset data, long seed = 3, Bus.Core.Training.BudgetMeter? meter = null) =>
        new(seed, data, SequenceObjective.TokenClassification, BatchSize: 32, Meter: meter);

    /// <summary>Largest absolute difference over every parameter of two models with the same config.</summary>
    public static double MaxDifference(GrowableTransformer a, GrowableTransformer b)
    {
        var wb = b.named_parameters().ToDictionary(p => p.name, p => p.parameter);
        double max = 0;
        foreach (var (name, p) in a.named_parameters())
        {
            using var diff = (p - wb[name]).abs().max();
            max = Math.Max(max, diff.item<float>());
        }
        return max;
    }
}
