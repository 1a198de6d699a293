namespace Bus.Growth.Operators;

/// <summary>
/// One tensor axis under a unit mapping g (Net2WiderNet): for every new index j, the old index g(j), the
/// number of copies |{k: g(k) = g(j)}| of that old unit, the factor the weight is multiplied by on this
/// axis (1 for copied units, 1/count for split ones) and whether j is a new unit.
/// </summary>
/// <param name="Source">g(j) for every new index j.</param>
/// <param name="Count">|{k: g(k) = g(j)}| for every new index j.</param>
/// <param name="Scale">Multiplier of the weight on this axis.</param>
/// <param name="IsNew">True where j is not one of the original units.</param>
internal sealed record AxisMap(long[] Source, double[] Count, double[] Scale, bool[] IsNew)
{
    /// <summary>Number of new indices.</summary>
    public int Length => Source.Length;

    /// <summary>Unchanged axis (vocabulary, positions, classes).</summary>
    public static AxisMap Identity(int n) =>
        new(Enumerable.Range(0, n).Select(i => (long)i).ToArray(), Filled(n, 1), Filled(n, 1), new bool[n]);

    /// <summary>
    /// g from <paramref name="big"/> new units to <paramref name="small"/> old ones: identity first, then random or round-robin.
    /// </summary>
    public static AxisMap Units(int small, int big, UnitMapping mapping, Random random)
    {
        var source = new long[big];
        for (int j = 0; j < big; j++)
            source[j] = j < small ? j : mapping == UnitMapping.RoundRobin ? j % small : random.Next(small);
        return FromSource(source, Enumerable.Range(0, big).Select(j => j >= small).ToArray(), small);
    }

    /// <summary>
    /// Query heads under grouped-query attention: query head h' of the grown model sits in key/value group
    /// h' / <paramref name="bigGroup"/> at place h' mod <paramref name="bigGroup"/>, and copies the old head in the mapped
    /// group at the mapped place, g(h') = g_kv(h' / r') r + g_in(h' mod r'), so it reads the copy of the key/value head its
    /// source read (r = heads / kv_heads). Without GQA (r = r' = 1) this is <paramref name="kvHeads"/> itself.
    /// </summary>
    public static AxisMap GroupedHeads(AxisMap kvHeads, AxisMap withinGroup, int smallHeads, int smallGroup, int bigGroup)
    {
        int n = kvHeads.Length * bigGroup;
        var source = new long[n];
        var isNew = new bool[n];
        for (int h = 0; h < n; h++)
        {
            int group = h / bigGroup, place = h % bigGroup;
            source[h] = kvHeads.Source[group] * smallGroup + withinGroup.Source[place];
            isNew[h] = kvHeads.IsNew[group] || withinGroup.IsNew[place];
        }
        return FromSource(source, isNew, smallHeads);
    }

    /// <summary>
    /// The attention axis of width heads x head_dim: whole heads map by <paramref name="heads"/>, dimensions
    /// inside a head by <paramref name="headDims"/>; unit (h, i) -> (g_h(h), g_d(i)), count c_h * c_d.
    /// </summary>
    public static AxisMap Attention(AxisMap heads, AxisMap headDims, int smallHeadDim)
    {
        int hd = headDims.Length;
        var source = new long[heads.Length * hd];
        var count = new double[source.Length];
        var isNew = new bool[source.Length];
        for (int h = 0; h < heads.Length; h++)
            for (int i = 0; i < hd; i++)
            {
                int u = h * hd + i;
                source[u] = heads.Source[h] * smallHeadDim + headDims.Source[i];
                count[u] = heads.Count[h] * headDims.Count[i];
                isNew[u] = heads.IsNew[h] || headDims.IsNew[i];
            }
        return new AxisMap(source, count, Filled(source.Length, 1), isNew);
    }

    /// <summary>The same mapping with incoming-side (copy) factor 1.</summary>
    public AxisMap Copied() => new(Source, Count, Filled(Length, 1), IsNew);

    /// <summary>The same mapping with outgoing-side (split) factor 1/count.</summary>
    public AxisMap Split() => new(Source, Count, Count.Select(c => 1.0 / c).ToArray(), IsNew);

    /// <summary>The same mapping with an explicit factor per new index.</summary>
    public AxisMap WithScale(double[] scale) => new(Source, Count, scale, IsNew);

    /// <summary>W'[.., j, ..] = W[.., g(j), ..] * factor[j] along <paramref name="dim"/>.</summary>
    public Tensor Apply(Tensor values, int dim, double[] factor)
    {
        using var index = tensor(Source, dtype: int64, device: values.device);
        using var gathered = values.index_select(dim, index);
        using var f = Broadcast(factor, dim, (int)values.dim(), values.dtype, values.device);
        return gathered * f;
    }

    /// <summary>Factor reshaped to broadcast along <paramref name="dim"/> of a rank-<paramref name="rank"/> tensor.</summary>
    public static Tensor Broadcast(double[] factor, int dim, int rank, ScalarType dtype, Device device)
    {
        var shape = Enumerable.Repeat(1L, rank).ToArray();
        shape[dim] = factor.Length;
        return tensor(factor, dtype: float64, device: device).to_type(dtype).reshape(shape);
    }

    private static AxisMap FromSource(long[] source, bool[] isNew, int small)
    {
        var copies = new double[small];
        foreach (var s in source) copies[s]++;
        var count = source.Select(s => copies[s]).ToArray();
        return new AxisMap(source, count, Filled(source.Length, 1), isNew);
    }

    private static double[] Filled(int n, double value) => Enumerable.Repeat(value, n).ToArray();
}
