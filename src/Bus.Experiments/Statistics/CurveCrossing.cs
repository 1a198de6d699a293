namespace Bus.Experiments.Statistics;

/// <summary>Where a decreasing-ish curve first reaches a target, interpolated linearly between its points.</summary>
public static class CurveCrossing
{
    /// <summary>
    /// The first x at which the curve (points in x order) is at or below <paramref name="target"/>, linearly interpolated
    /// between the last point above and the first at or below; null when it never gets there.
    /// </summary>
    public static double? FirstAtOrBelow(IReadOnlyList<(double X, double Y)> curve, double target)
    {
        ArgumentNullException.ThrowIfNull(curve);
        for (int i = 0; i < curve.Count; i++)
        {
            if (curve[i].Y > target) continue;
            if (i == 0) return curve[0].X;
            var (x0, y0) = curve[i - 1];
            var (x1, y1) = curve[i];
            return y0 == y1 ? x1 : x0 + (y0 - target) / (y0 - y1) * (x1 - x0);
        }
        return null;
    }

    /// <summary>The curve's value at <paramref name="x"/>, linearly interpolated (held constant outside its range).</summary>
    public static double At(IReadOnlyList<(double X, double Y)> curve, double x)
    {
        ArgumentNullException.ThrowIfNull(curve);
        if (curve.Count == 0) throw new ArgumentException("Empty curve.", nameof(curve));
        if (x <= curve[0].X) return curve[0].Y;
        for (int i = 1; i < curve.Count; i++)
            if (x <= curve[i].X)
            {
                var (x0, y0) = curve[i - 1];
                var (x1, y1) = curve[i];
                return x1 == x0 ? y1 : y0 + (x - x0) / (x1 - x0) * (y1 - y0);
            }
        return curve[^1].Y;
    }
}
