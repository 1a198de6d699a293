namespace Bus.Experiments.Statistics;

/// <summary>
/// Holm's step-down correction (Holm 1979) of m p-values: sort ascending, p_(i) -> max over j &lt;= i of min(1, (m - j + 1) p_(j)),
/// returned in the input order. Controls the family-wise error rate without assuming independence. NaN p-values stay NaN and do not count
/// in m.
/// </summary>
public static class Holm
{
    /// <summary>The adjusted p-values, in the order of <paramref name="pValues"/>.</summary>
    public static IReadOnlyList<double> Adjust(IReadOnlyList<double> pValues)
    {
        ArgumentNullException.ThrowIfNull(pValues);
        var order = Enumerable.Range(0, pValues.Count).Where(i => !double.IsNaN(pValues[i])).OrderBy(i => pValues[i]).ToList();
        int m = order.Count;
        var adjusted = Enumerable.Repeat(double.NaN, pValues.Count).ToArray();
        double running = 0;
        for (int k = 0; k < m; k++)
        {
            running = Math.Max(running, Math.Min(1, (m - k) * pValues[order[k]]));
            adjusted[order[k]] = running;
        }
        return adjusted;
    }
}
