using System.Text.Json;
using Bus.Core.Model;

namespace Bus.Selection;

/// <summary>
/// Irreducible losses IL[i] of every training example (RHO-LOSS, Sec. 3: computed ONCE with the
/// irreducible-loss model), stored by the example's index in the training set together with the
/// <see cref="DatasetFingerprint"/> of that set. Lookups by global index are therefore independent of the
/// order in which examples are drawn; a cache used with another dataset fails loudly.
/// </summary>
public sealed class IrreducibleLossCache
{
    private readonly double[] _losses;

    /// <summary>Wraps precomputed losses (one per training example, finite).</summary>
    /// <exception cref="ArgumentException">The count differs from the fingerprint's, or a loss is not finite.</exception>
    public IrreducibleLossCache(IReadOnlyList<double> losses, DatasetFingerprint fingerprint)
    {
        ArgumentNullException.ThrowIfNull(losses);
        ArgumentNullException.ThrowIfNull(fingerprint);
        if (losses.Count != fingerprint.Count)
            throw new ArgumentException($"{losses.Count} losses for a dataset of {fingerprint.Count} examples.", nameof(losses));
        for (int i = 0; i < losses.Count; i++)
            if (!double.IsFinite(losses[i]))
                throw new ArgumentException($"Irreducible loss of example {i} is {losses[i]}.", nameof(losses));
        _losses = losses.ToArray();
        Fingerprint = fingerprint;
    }

    /// <summary>The dataset the losses belong to.</summary>
    public DatasetFingerprint Fingerprint { get; }

    /// <summary>IL[i] for every training example i.</summary>
    public IReadOnlyList<double> Losses => _losses;

    /// <summary>Number of examples covered.</summary>
    public int Count => _losses.Length;

    /// <summary>
    /// Computes IL[i] = per-example loss of <paramref name="irreducibleModel"/> (eval mode, no gradients) for
    /// every example of <paramref name="train"/>, once.
    /// </summary>
    public static IrreducibleLossCache Compute(GrowableTransformer irreducibleModel, SequenceDataset train, SequenceObjective objective,
        int batchSize = 512)
    {
        ArgumentNullException.ThrowIfNull(irreducibleModel);
        ArgumentNullException.ThrowIfNull(train);
        ArgumentNullException.ThrowIfNull(objective);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(batchSize);
        var losses = new double[train.Count];
        var device = irreducibleModel.Device;
        for (int start = 0; start < train.Count; start += batchSize)
        {
            using var scope = NewDisposeScope();
            int count = Math.Min(batchSize, train.Count - start);
            var x = train.Inputs.narrow(0, start, count).to(device);
            var y = train.Targets.narrow(0, start, count).to(device);
            var batch = CandidateScoring.ToDoubles(CandidateScoring.PerExampleLoss(irreducibleModel, objective, x, y, ScoringMode.Eval));
            batch.CopyTo(losses, start);
        }
        return new IrreducibleLossCache(losses, DatasetFingerprint.Of(train));
    }

    /// <summary>Throws unless <paramref name="train"/> is the dataset this cache was built for.</summary>
    /// <exception cref="InvalidOperationException">The fingerprints differ (both are named in the message).</exception>
    public void RequireMatches(SequenceDataset train)
    {
        ArgumentNullException.ThrowIfNull(train);
        var actual = DatasetFingerprint.Of(train);
        if (actual != Fingerprint)
            throw new InvalidOperationException(
                $"The irreducible-loss cache was built for dataset {Fingerprint} but the training set is {actual}; " +
                "rebuild the cache for this training set (same examples in the same order).");
    }

    /// <summary>The losses as a float32 tensor [N] on <paramref name="device"/> (caller disposes).</summary>
    public Tensor ToTensor(Device device) => tensor(_losses.Select(l => (float)l).ToArray(), float32, device);

    /// <summary>Writes the cache (fingerprint and losses) as JSON, to be stored with results.</summary>
    public void Save(string path)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        File.WriteAllText(
            path, JsonSerializer.Serialize(new Stored(Fingerprint.Count, Fingerprint.SequenceLength, Fingerprint.Hash, _losses)));
    }

    /// <summary>Reads a cache written by <see cref="Save"/>.</summary>
    /// <exception cref="InvalidDataException">The file is not a valid cache.</exception>
    public static IrreducibleLossCache Load(string path)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        Stored stored;
        try
        {
            stored = JsonSerializer.Deserialize<Stored>(File.ReadAllText(path)) ?? throw new InvalidDataException($"'{path}' holds null.");
        }
        catch (JsonException e)
        {
            throw new InvalidDataException($"'{path}' is not an irreducible-loss cache: {e.Message}", e);
        }
        if (stored.Hash is null || stored.Losses is null)
            throw new InvalidDataException($"'{path}' lacks the hash or the losses.");
        try
        {
            return new IrreducibleLossCache(stored.Losses, new DatasetFingerprint(stored.Count, stored.SequenceLength, stored.Hash));
        }
        catch (ArgumentException e)
        {
            throw new InvalidDataException($"'{path}' is not a valid irreducible-loss cache: {e.Message}", e);
        }
    }

    private sealed record Stored(int Count, int SequenceLength, string Hash, double[] Losses);
}
