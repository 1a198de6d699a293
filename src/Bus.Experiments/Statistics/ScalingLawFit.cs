namespace Bus.Experiments.Statistics;

/// <summary>
/// A fitted scaling law L(N, D) = E + A / N^a + B / D^b (Hoffmann et al. 2022, eq. 2) over (N, D, L) points: for each
/// (a, b) on a grid the model is linear in (E, A, B) and solved by least squares (variable projection); the pair with the
/// smallest squared error whose E, A, B are non-negative wins.
/// </summary>
/// <param name="E">Irreducible loss.</param>
/// <param name="A">Parameter term coefficient.</param>
/// <param name="Alpha">Parameter exponent a.</param>
/// <param name="B">Data term coefficient.</param>
/// <param name="Beta">Data exponent b.</param>
/// <param name="Rmse">Root-mean-square error on the fitted points.</param>
public sealed record ScalingLawFit(double E, double A, double Alpha, double B, double Beta, double Rmse)
{
    /// <summary>The law's value at N parameters and D tokens.</summary>
    public double Predict(double n, double d) => E + A / Math.Pow(n, Alpha) + B / Math.Pow(d, Beta);

    /// <summary>Root-mean-square error of the law on <paramref name="points"/>; NaN when there are none.</summary>
    public double RmseOn(IReadOnlyList<(double N, double D, double L)> points)
    {
        ArgumentNullException.ThrowIfNull(points);
        return points.Count == 0 ? double.NaN : Math.Sqrt(points.Average(p => Math.Pow(Predict(p.N, p.D) - p.L, 2)));
    }

    /// <summary>Fits the law; null when fewer than 4 points or no non-negative solution exists on the grid.</summary>
    public static ScalingLawFit? Fit(IReadOnlyList<(double N, double D, double L)> points, double minExponent = 0.05,
        double maxExponent = 1.5, double step = 0.01)
    {
        ArgumentNullException.ThrowIfNull(points);
        if (points.Count < 4 || points.Any(p => !(p.N > 0 && p.D > 0 && double.IsFinite(p.L)))) return null;
        ScalingLawFit? best = null;
        for (double a = minExponent; a <= maxExponent + 1e-12; a += step)
            for (double b = minExponent; b <= maxExponent + 1e-12; b += step)
            {
                var x = points.Select(p => new[] { 1, Math.Pow(p.N, -a), Math.Pow(p.D, -b) }).ToArray();
                var coef = LeastSquares3(x, points.Select(p => p.L).ToArray());
                if (coef is null || coef.Any(c => c < 0)) continue;
                var fit = new ScalingLawFit(coef[0], coef[1], a, coef[2], b, 0);
                double rmse = fit.RmseOn(points);
                if (best is null || rmse < best.Rmse) best = fit with { Rmse = rmse };
            }
        return best;
    }

    /// <summary>Least squares for three unknowns by the normal equations (Cramer's rule); null when singular.</summary>
    private static double[]? LeastSquares3(double[][] x, double[] y)
    {
        var m = new double[3, 3];
        var v = new double[3];
        for (int r = 0; r < x.Length; r++)
            for (int i = 0; i < 3; i++)
            {
                v[i] += x[r][i] * y[r];
                for (int j = 0; j < 3; j++) m[i, j] += x[r][i] * x[r][j];
            }
        double det = Det(m);
        if (Math.Abs(det) < 1e-300) return null;
        var result = new double[3];
        for (int k = 0; k < 3; k++)
        {
            var mk = (double[,])m.Clone();
            for (int i = 0; i < 3; i++) mk[i, k] = v[i];
            result[k] = Det(mk) / det;
        }
        return result;
    }

    private static double Det(double[,] m) =>
        m[0, 0] * (m[1, 1] * m[2, 2] - m[1, 2] * m[2, 1]) - m[0, 1] * (m[1, 0] * m[2, 2] - m[1, 2] * m[2, 0])
            + m[0, 2] * (m[1, 0] * m[2, 1] - m[1, 1] * m[2, 0]);
}
