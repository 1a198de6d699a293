using Bus.Growth.Learned;

namespace Bus.Growth.Lstm;

/// <summary>
/// Cascade growth (seeds 000/001: "weights which come from an existing block are copied to the new block"). Each new
/// hidden unit j is a copy of an existing unit g(j) (<see cref="WidthMapping"/>): its rows in every gate block of W_ih,
/// W_hh and the bias are the rows of g(j), so the new block computes exactly what the block it came from computes.
/// The weights <em>reading</em> a duplicated unit (W_hh columns and head columns) are divided by its copy count
/// (Net2WiderNet), so with <see cref="NoiseStd"/> = 0 the grown LSTM computes the same function as the small one.
/// Noise N(0, NoiseStd²) on the new units' incoming weights breaks the symmetry between a unit and its copies.
/// </summary>
/// <param name="noiseStd">The symmetry-breaking noise on the copied rows, finite and &gt;= 0.</param>
/// <exception cref="ArgumentOutOfRangeException"><paramref name="noiseStd"/> is negative or not finite.</exception>
public sealed class CascadeLstmGrowth(double noiseStd = 1e-3) : LstmGrowthOperator("cascade")
{
    /// <summary>Standard deviation of the noise added to the new units' incoming weights.</summary>
    public double NoiseStd { get; } = Guard.NonNegative(noiseStd, nameof(noiseStd));

    private protected override (Tensor Wih, Tensor Whh, Tensor Bias, Tensor Head) Widen(CharLstm source, CharLstm grown, long seed)
    {
        int h = source.HiddenSize, hiddenSize = grown.HiddenSize;
        var random = new Random(unchecked((int)seed));
        int[] g = WidthMapping.Create(h, hiddenSize, random);
        var device = source.Device;
        // Gate rows of the big model: gate q, unit j <- gate q, unit g(j).
        using var rows = tensor(Enumerable.Range(0, 4).SelectMany(q => g.Select(u => (long)(q * h + u))).ToArray(), device: device);
        using var units = tensor(g.Select(u => (long)u).ToArray(), device: device);
        using var split = WidthMapping.Split(g, h, device).sum(1);          // 1 / count(g(k)) for every big unit k
        var wih = source.InputWeights.index_select(0, rows);
        var whh = source.RecurrentWeights.index_select(0, rows).index_select(1, units) * split;
        var bias = source.GateBias.index_select(0, rows);
        var head = source.HeadWeight.index_select(1, units) * split;
        if (NoiseStd > 0)
        {
            var fresh = Enumerable.Range(0, 4).SelectMany(_ => Enumerable.Range(0, hiddenSize).Select(j => j >= h ? 1f : 0f)).ToArray();
            using var isNew = tensor(fresh, device: device).unsqueeze(1);
            var generator = new TorchSharp.torch.Generator((ulong)seed, device);
            wih += randn(wih.shape, generator: generator, device: device) * NoiseStd * isNew;
            whh += randn(whh.shape, generator: generator, device: device) * NoiseStd * isNew;
        }
        return (wih, whh, bias, head);
    }
}
