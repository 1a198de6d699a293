using Bus.Core.Data;
using Bus.Core.Model;
using Bus.Core.Tasks;
using static TorchSharp.torch;

namespace Bus.Growth.Tests.Learned;

/// <summary>Tiny configs, synthetic letter-counting data and a briefly trained small model for the learned-operator tests.</summary>
internal static class LearnedGrowthFixtures
{
    public static readonly TransformerConfig Small = new() { VocabSize = 27, MaxLength = 12, DModel = 8, Heads = 2, DFf = 16, Layers = 1 };
    public static readonly TransformerConfig Big = Small with { DModel = 16, DFf = 32, Layers = 2 };

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
            SequenceObjective.Classification.Loss(model.forward(data.Inputs), data.Targets).backward();
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
        return SequenceObjective.Classification.Loss(model.forward(data.Inputs), data.Targets).item<float>();
    }

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
