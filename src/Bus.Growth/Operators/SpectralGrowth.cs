namespace Bus.Growth.Operators;

/// <summary>
/// Spectral growth — NOVEL, not from the literature: the seed's own question (seed 002, "Background" and
/// "Personal Notes": if a trained small matrix shares singular values with the solution of the larger one, can we
/// build the larger matrix from them?). Every weight matrix W_small [o, i] = U S V^T (thin SVD, r = min(o, i)) becomes
/// W_big = U' S' V'^T in [O, I] with r' = min(O, I), where
/// U' = [[U], [0]] extended by r' - r seeded random orthonormal columns orthogonal to it (Gram-Schmidt then QR),
/// V' likewise, and S' = [S, s_new, ..., s_new] with s_new = <see cref="SpectralGrowthOptions.NewSingularValue"/>
/// (default 0.1 x min S). The trained spectrum is therefore the top of the grown spectrum and the trained singular
/// directions are embedded in the old coordinates. Because the thin SVD's shorter side spans the whole old space,
/// the new directions on that side live in new coordinates only: for i &lt;= o, W_big[:, :i] = [[W_small], [0]] (the
/// transpose statement holds for i &gt; o), so the top-left block is W_small, while the new columns (rows) mix old and
/// new units, unlike BUS identity's zero blocks. The grown model is not function preserving. Vectors (biases, LayerNorms) and the
/// embeddings are padded exactly as
/// <see cref="BusIdentityExpansion.Expand"/> does (norm gains with 1, the rest with 0). Width only.
/// </summary>
public sealed class SpectralGrowth : IGrowthOperator
{
    /// <summary>Creates the operator.</summary>
    /// <param name="options">New singular values; <see cref="SpectralGrowthOptions.Default"/> when null.</param>
    public SpectralGrowth(SpectralGrowthOptions? options = null) => Options = options ?? SpectralGrowthOptions.Default;

    /// <summary>The operator's options.</summary>
    public SpectralGrowthOptions Options { get; }

    /// <inheritdoc />
    public string Name => "spectral";

    /// <inheritdoc />
    public void Validate(ModelLayout layout, ModelShape from, ModelShape to)
    {
        GrowthArguments.SameLayers(from, to);
    }

    /// <summary>Weight matrices (not embeddings) grow spectrally; embeddings and vectors are padded as <see
    /// cref="BusIdentityExpansion.Expand"/> does.</summary>
    public Dictionary<string, Tensor> Grow(GrowthPlan plan, IReadOnlyDictionary<string, Tensor> weights, GrowthContext context)
    {
        plan.Require(this, weights, context);
        using var noGrad = no_grad();
        using var generator = new Generator(unchecked((ulong)context.Seed), weights.Values.First().device);
        var grown = new Dictionary<string, Tensor>();
        foreach (var (name, rule, _, shape) in plan.Layout.Parameters(plan.To))
        {
            var w = weights[name];
            grown[name] = rule.Kind == ParameterKind.Weight && rule.Columns is not null
                ? ExpandMatrix(w, shape[0], shape[1], generator)
                : BusIdentityExpansion.Expand(w, shape, rule.Kind == ParameterKind.NormGain);
        }
        return grown;
    }

    /// <summary>W_big = U' S' V'^T for one matrix (computed in float64, returned in the input's dtype).</summary>
    /// <param name="small">The trained matrix [o, i].</param>
    /// <param name="rows">O &gt;= o.</param>
    /// <param name="cols">I &gt;= i.</param>
    /// <param name="generator">Source of the random complement directions.</param>
    public Tensor ExpandMatrix(Tensor small, long rows, long cols, Generator generator)
    {
        ArgumentNullException.ThrowIfNull(small);
        if (small.dim() != 2) throw new ArgumentException($"Expected a matrix, got rank {small.dim()}.", nameof(small));
        ArgumentOutOfRangeException.ThrowIfLessThan(rows, small.shape[0]);
        ArgumentOutOfRangeException.ThrowIfLessThan(cols, small.shape[1]);
        using var scope = NewDisposeScope();
        var (u, s, vh) = linalg.svd(small.to_type(float64), fullMatrices: false);
        long rank = Math.Min(rows, cols);
        double fresh = Options.NewSingularValue ?? Options.NewSingularValueFactor * (s.numel() > 0 ? s.min().item<double>() : 0);
        var uBig = OrthonormalExtension(u, rows, rank, generator);
        var vBig = OrthonormalExtension(vh.t(), cols, rank, generator);
        var sBig = cat([s, full(rank - s.shape[0], fresh, dtype: float64, device: s.device)]);
        return uBig.mul(sBig.unsqueeze(0)).matmul(vBig.t()).to_type(small.dtype).MoveToOuterDisposeScope(); // U' diag(S') V'^T
    }

    /// <summary>
    /// [[B], [0]] in [n, r] followed by <paramref name="columns"/> - r seeded random orthonormal columns orthogonal to it:
    /// an orthonormal basis [n, columns] whose first r columns are <paramref name="basis"/> padded with zero rows.
    /// </summary>
    /// <param name="basis">Orthonormal columns [m, r], m &lt;= n.</param>
    /// <param name="rows">n, the height of the result.</param>
    /// <param name="columns">Width of the result, r &lt;= columns &lt;= n.</param>
    /// <param name="generator">Source of the random directions.</param>
    public static Tensor OrthonormalExtension(Tensor basis, long rows, long columns, Generator generator)
    {
        ArgumentNullException.ThrowIfNull(basis);
        long m = basis.shape[0], r = basis.shape[1];
        ArgumentOutOfRangeException.ThrowIfLessThan(rows, m);
        if (columns < r || columns > rows)
            throw new ArgumentOutOfRangeException(nameof(columns), columns, $"Must be in [{r}, {rows}].");
        using var scope = NewDisposeScope();
        var padded = nn.functional.pad(basis.to_type(float64), [0, 0, 0, rows - m]); // [[B], [0]]
        if (columns == r) return padded.MoveToOuterDisposeScope();
        var g = randn([rows, columns - r], dtype: float64, device: basis.device, generator: generator);
        for (int pass = 0; pass < 2; pass++) g = g - padded.matmul(padded.t().matmul(g)); // Gram-Schmidt against B (twice for stability)
        var (q, _) = linalg.qr(g);
        q = q - padded.matmul(padded.t().matmul(q));
        return cat([padded, q], 1).MoveToOuterDisposeScope();
    }

    /// <summary>Singular values of a matrix in descending order (for spectra in reports).</summary>
    /// <param name="matrix">A rank-2 tensor.</param>
    public static double[] SingularValues(Tensor matrix)
    {
        ArgumentNullException.ThrowIfNull(matrix);
        if (matrix.dim() != 2) throw new ArgumentException($"Expected a matrix, got rank {matrix.dim()}.", nameof(matrix));
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        return linalg.svdvals(matrix.detach().to_type(float64)).cpu().data<double>().ToArray();
    }
}
