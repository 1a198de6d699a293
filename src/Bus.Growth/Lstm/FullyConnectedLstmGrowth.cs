namespace Bus.Growth.Lstm;

/// <summary>
/// Fully connected growth (seeds 000/001: "all hidden weights are modified"). The small weights are placed in the
/// old units' positions of every gate block; the new units are connected to <em>all</em> units in both directions
/// (new rows of W_ih, W_hh and bias, new columns of W_hh and the head) with fresh U(-1/√H', 1/√H') weights; then every
/// hidden weight — old and new, W_ih, W_hh, gate bias and head columns — is perturbed jointly by N(0, PerturbationStd²).
/// Unlike <see cref="CascadeLstmGrowth"/> this does not preserve the function: it trades the warm start for a
/// re-mixed recurrent matrix in which no unit is a copy of another.
/// </summary>
/// <param name="perturbationStd">The noise put on every hidden weight, finite and &gt;= 0.</param>
/// <exception cref="ArgumentOutOfRangeException"><paramref name="perturbationStd"/> is negative or not finite.</exception>
public sealed class FullyConnectedLstmGrowth(double perturbationStd = 1e-2) : LstmGrowthOperator("fully-connected")
{
    /// <summary>Standard deviation of the joint perturbation of every hidden weight.</summary>
    public double PerturbationStd { get; } = Guard.NonNegative(perturbationStd, nameof(perturbationStd));

    // The grown model's fresh U(-1/√H', 1/√H') initialisation (every new weight) comes from the seeded global generator.
    private protected override void BeforeNewModel(long seed) => random.manual_seed(seed);

    private protected override (Tensor Wih, Tensor Whh, Tensor Bias, Tensor Head) Widen(CharLstm source, CharLstm grown, long seed)
    {
        int h = source.HiddenSize, hiddenSize = grown.HiddenSize;
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
        return (wih, whh, bias, head);
    }
}
