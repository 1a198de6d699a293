namespace Bus.Growth.Operators;

/// <summary>
/// The unit mappings of Net2Net-style width growth for one (from, to) shape pair, and the axis maps of every layout
/// axis under them: a produced axis is copied, a read axis split (<see cref="LayoutAxis.Reads"/>); query rows also
/// carry the head_dim rescale. Mappings are drawn in a fixed order from the seed: residual, key/value heads, query
/// heads within a group, head_dim, then d_ff of each block.
/// </summary>
internal sealed class WidthPlan(
    ModelShape to, AxisMap residual, AxisMap queryAttention, AxisMap query, AxisMap keyValueAttention, AxisMap[] mlp)
{
    /// <summary>Draws the mappings from <paramref name="seed"/>.</summary>
    public static WidthPlan Draw(ModelShape from, ModelShape to, UnitMapping mapping, long seed)
    {
        var random = new Random(unchecked((int)(seed ^ (seed >> 32))));
        var residual = AxisMap.Units(from.DModel, to.DModel, mapping, random);
        var kvHeads = AxisMap.Units(from.KvHeads, to.KvHeads, mapping, random);
        int smallGroup = from.Heads / from.KvHeads, bigGroup = to.Heads / to.KvHeads;
        var withinGroup = AxisMap.Units(smallGroup, bigGroup, mapping, random);
        var queryHeads = AxisMap.GroupedHeads(kvHeads, withinGroup, from.Heads, smallGroup, bigGroup);
        var headDims = AxisMap.Units(from.HeadDim, to.HeadDim, mapping, random);
        var mlp = Enumerable.Range(0, to.Layers).Select(_ => AxisMap.Units(from.FeedForwardSize, to.FeedForwardSize, mapping,
            random)).ToArray();
        var queryAttention = AxisMap.Attention(queryHeads, headDims, from.HeadDim);
        // q'·k' / sqrt(hd') = q·k / sqrt(hd): each duplicated head dimension contributes c_d times, so q rows carry sqrt(hd'/hd) / c_d.
        double rescale = Math.Sqrt((double)to.HeadDim / from.HeadDim);
        var query = queryAttention.WithScale(Enumerable.Range(0, queryAttention.Length)
            .Select(u => rescale / headDims.Count[u % to.HeadDim]).ToArray());
        return new WidthPlan(to, residual, queryAttention, query, AxisMap.Attention(kvHeads, headDims, from.HeadDim), mlp);
    }

    /// <summary>(row map, column map or null) of a parameter with rule <paramref name="rule"/> in block <paramref name="layer"/>.</summary>
    public (AxisMap Rows, AxisMap? Cols) Axes(ParameterRule rule, int layer) =>
        (Map(rule.Rows, layer, rule), rule.Columns is { } c ? Map(c, layer, rule) : null);

    private AxisMap Map(LayoutAxis axis, int layer, ParameterRule rule)
    {
        if (axis.Space == AxisSpace.QueryHeads && !axis.Reads) return query;
        var map = axis.Space switch
        {
            AxisSpace.Residual => residual,
            AxisSpace.QueryHeads => queryAttention,
            AxisSpace.KeyValueHeads => keyValueAttention,
            AxisSpace.Mlp when layer >= 0 => mlp[layer],
            AxisSpace.Mlp => throw new ArgumentException($"Rule '{rule.Pattern}' puts the per-block MLP axis on a parameter outside the " +
                $"blocks.", nameof(rule)),
            _ => AxisMap.Identity(to.Size(axis.Space)),
        };
        return axis.Reads ? map.Split() : map.Copied();
    }
}
