namespace Bus.Core.Training.CostModel;

/// <summary>One (optimizer, forward-only) group of a <see cref="CostTable"/> as a batch-size x layers grid, with bilinear
/// interpolation.</summary>
internal sealed class CostGrid
{
    private readonly double[,] _seconds;

    private CostGrid(int[] batches, int[] layers, double[,] seconds, List<string> problems, string kind)
    {
        Batches = batches;
        Layers = layers;
        _seconds = seconds;
        Problems = problems;
        Kind = kind;
    }

    public int[] Batches { get; }
    public int[] Layers { get; }
    public List<string> Problems { get; }
    public string Kind { get; }

    public static CostGrid From(IEnumerable<CostTableEntry> group)
    {
        var entries = group.ToList();
        var batches = entries.Select(e => e.BatchSize).Distinct().Order().ToArray();
        var layers = entries.Select(e => e.ActiveLayers).Distinct().Order().ToArray();
        var seconds = new double[batches.Length, layers.Length];
        var filled = new bool[batches.Length, layers.Length];
        var problems = new List<string>();
        foreach (var e in entries)
        {
            int b = Array.IndexOf(batches, e.BatchSize), l = Array.IndexOf(layers, e.ActiveLayers);
            if (filled[b, l]) problems.Add($"duplicate entry: {e}");
            filled[b, l] = true;
            seconds[b, l] = e.Seconds;
        }
        string kind = entries[0].Kind;
        for (int b = 0; b < batches.Length; b++)
            for (int l = 0; l < layers.Length; l++)
                if (!filled[b, l])
                    problems.Add($"missing entry: {kind} batch={batches[b]} layers={layers[l]} (each group must be a full grid)");
        return new CostGrid(batches, layers, seconds, problems, kind);
    }

    /// <summary>Pairs of neighbouring entries where cost decreases as layers or batch size grow.</summary>
    public IEnumerable<string> MonotonicityViolations()
    {
        for (int b = 0; b < Batches.Length; b++)
            for (int l = 1; l < Layers.Length; l++)
                if (_seconds[b, l] < _seconds[b, l - 1])
                    yield return $"cost falls with layers: {Kind} batch={Batches[b]} layers={Layers[l - 1]}: {_seconds[b, l - 1]:G6} s > " +
                        $"layers={Layers[l]}: {_seconds[b, l]:G6} s";
        for (int l = 0; l < Layers.Length; l++)
            for (int b = 1; b < Batches.Length; b++)
                if (_seconds[b, l] < _seconds[b - 1, l])
                    yield return $"cost falls with batch size: {Kind} layers={Layers[l]} batch={Batches[b - 1]}: {_seconds[b - 1, l]:G6} " +
                        $"s > batch={Batches[b]}: {_seconds[b, l]:G6} s";
    }

    /// <summary>
    /// Bilinear interpolation in (batch size, layers); outside the grid, linear extrapolation from the two
    /// nearest grid lines (proportional scaling when a dimension has one value), never below zero.
    /// </summary>
    public double Interpolate(int batchSize, int activeLayers)
    {
        var (b0, b1, wb) = Bracket(Batches, batchSize);
        var (l0, l1, wl) = Bracket(Layers, activeLayers);
        double at(int b, int l) => _seconds[b, l];
        double low = Lerp(at(b0, l0), at(b0, l1), wl), high = Lerp(at(b1, l0), at(b1, l1), wl);
        double value = Lerp(low, high, wb);
        if (Batches.Length == 1) value *= (double)batchSize / Batches[0];
        if (Layers.Length == 1 && Layers[0] > 0) value *= (double)activeLayers / Layers[0];
        return Math.Max(0, value);
    }

    private static double Lerp(double a, double b, double w) => a + (b - a) * w;

    /// <summary>Indices of the grid values around x and x's weight between them (outside: the two nearest, weight beyond [0,1]).</summary>
    private static (int Low, int High, double Weight) Bracket(int[] grid, int x)
    {
        if (grid.Length == 1) return (0, 0, 0);
        int hi = 1;
        while (hi < grid.Length - 1 && grid[hi] < x) hi++;
        int lo = hi - 1;
        return (lo, hi, (double)(x - grid[lo]) / (grid[hi] - grid[lo]));
    }
}
