namespace Bus.Growth.Learned;

/// <summary>
/// Net2WiderNet unit mappings g: [0, big) -> [0, small) and the matrices that apply them. The first
/// <c>small</c> units map to themselves; new unit j maps to <c>perm[(j - small) mod small]</c> for one random
/// permutation, so when big is a multiple of small every old unit is duplicated the same number of times
/// (LayerNorm statistics are then preserved).
/// </summary>
public static class WidthMapping
{
    /// <summary>The mapping g for growing <paramref name="small"/> units to <paramref name="big"/> units.</summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="small"/> is not positive or <paramref name="big"/> is
    /// smaller.</exception>
    public static int[] Create(int small, int big, Random random)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(small);
        ArgumentOutOfRangeException.ThrowIfLessThan(big, small);
        ArgumentNullException.ThrowIfNull(random);
        var permutation = Enumerable.Range(0, small).ToArray();
        random.Shuffle(permutation);
        return Enumerable.Range(0, big).Select(j => j < small ? j : permutation[(j - small) % small]).ToArray();
    }

    /// <summary>Copy matrix A [big, small], A[j, g(j)] = 1: (A w)_j = w_{g(j)} (outputs duplicated, Net2Net).</summary>
    public static Tensor Copy(int[] mapping, int small, Device? device = null)
    {
        ArgumentNullException.ThrowIfNull(mapping);
        var data = new float[mapping.Length * small];
        for (int j = 0; j < mapping.Length; j++) data[j * small + mapping[j]] = 1f;
        return tensor(data, [mapping.Length, small], float32, device);
    }

    /// <summary>
    /// Split matrix B [big, small], B[j, g(j)] = 1 / |{k: g(k) = g(j)}|: for a layer reading the grown units,
    /// W_big = W B^T divides each incoming column by its copy count, so W_big (A x) = W x (Net2Net / bert2BERT FPI).
    /// </summary>
    public static Tensor Split(int[] mapping, int small, Device? device = null)
    {
        ArgumentNullException.ThrowIfNull(mapping);
        var counts = new int[small];
        foreach (int g in mapping) counts[g]++;
        var data = new float[mapping.Length * small];
        for (int j = 0; j < mapping.Length; j++) data[j * small + mapping[j]] = 1f / counts[mapping[j]];
        return tensor(data, [mapping.Length, small], float32, device);
    }

    /// <summary>Depth stacking (StackBERT / G_stack) as a [big, small] one-hot matrix: big layer l takes small layer l mod small.</summary>
    public static Tensor Stacking(int smallLayers, int bigLayers, Device? device = null)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(smallLayers);
        ArgumentOutOfRangeException.ThrowIfLessThan(bigLayers, smallLayers);
        return Copy(Enumerable.Range(0, bigLayers).Select(l => l % smallLayers).ToArray(), smallLayers, device);
    }
}
