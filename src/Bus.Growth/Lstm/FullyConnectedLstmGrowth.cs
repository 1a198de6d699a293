using static TorchSharp.torch;

namespace Bus.Growth.Lstm;

/// <summary>
/// Fully connected growth (seeds 000/001: "all hidden weights are modified"). The small weights are placed in the
/// old units' positions of every gate block; the new units are connected to <em>all</em> units in both directions
/// (new rows of W_ih, W_hh and bias, new columns of W_hh and the head) with fresh U(-1/√H', 1/√H') weights; then every
/// hidden weight — old and new, W_ih, W_hh, gate bias and head columns — is perturbed jointly by N(0, PerturbationStd²).
/// Unlike <see cref="CascadeLstmGrowth"/> this does not preserve the function: it trades the warm start for a
/// re-mixed recurrent matrix in which no unit is a copy of another.
/// </summary>
public sealed class FullyConnectedLstmGrowth : ILstmGrowthOperator
{
    /// <summary>Creates the operator; <paramref name="perturbationStd"/> is the noise put on every hidden weight.</summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="perturbationStd"/> is negative or not finite.</exception>
    public FullyConnectedLstmGrowth(double perturbationStd = 1e-2)
    {
        if (!double.IsFinite(perturbationStd) || perturbationStd < 0)
            throw new ArgumentOutOfRangeException(nameof(perturbationStd), perturbationStd, $"perturbationStd must be finite and non-negative, got {perturbationStd}.");
        PerturbationStd = perturbationStd;
    }

    /// <summary>Standard deviation of the joint perturbation of every hidden weight.</summary>
    public double PerturbationStd { get; }

    /// <inheritdoc />
    public string Name => "fully-connected";

    /// <inheritdoc />
    public CharLstm Grow(CharLstm source, int hiddenSize, long seed)
    {
        ArgumentNullException.ThrowIfNull(source);
        int h = source.HiddenSize;
        ArgumentOutOfRangeException.ThrowIfLessThan(hiddenSize, h);
        random.manual_seed(seed);
        var grown = new CharLstm(source.VocabSize, source.EmbeddingSize, hiddenSize, source.Device);  // fresh U(-1/√H', 1/√H') everywhere
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        var wih = grown.InputWeights.clone();
        var whh = grown.RecurrentWeights.clone();
        var bias = grown.GateBias.clone();
        var head = grown.HeadWeight.clone();
        for (int q = 0; q < 4; q++)
        {
            // Place the small weights in the old units' rows (and old columns) of gate block q.
            wih.narrow(0, q * hiddenSize, h).copy_(source.InputWeights.narrow(0, q * h, h));
            whh.narrow(0, q * hiddenSize, h).narrow(1, 0, h).copy_(source.RecurrentWeights.narrow(0, q * h, h));
            bias.narrow(0, q * hiddenSize, h).copy_(source.GateBias.narrow(0, q * h, h));
        }
        head.narrow(1, 0, h).copy_(source.HeadWeight);
        foreach (var w in new[] { wih, whh, bias, head })
            w.add_(randn(w.shape, device: w.device) * PerturbationStd);          // every hidden weight modified
        grown.LoadWeights(source.Embedding, wih, whh, bias, head, source.HeadBias);
        return grown;
    }
}
