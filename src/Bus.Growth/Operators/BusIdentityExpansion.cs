namespace Bus.Growth.Operators;

/// <summary>
/// Bootstrapped Up-Scaling identity expansion (seed 002, "adding one-hot vectors to each matrix"):
/// every weight matrix W_small [o, i] becomes W_big = [[W_small, 0], [0, I]] in [O, I_in] — the trained matrix in
/// the top-left block, one-hot (identity) rows/columns for the new units. Vectors are padded consistently:
/// biases and LayerNorm shifts with 0, LayerNorm gains with 1; embeddings keep their rows and get zero new
/// columns (no identity block exists there because the vocabulary does not grow). Width only (d_model, d_ff);
/// depth must match. Gains are recognised by their <see cref="ParameterKind"/> in the model's <see cref="ModelLayout"/>, so any layout
/// grows. Heads are treated as one matrix: with more than one head the per-head slices are not
/// re-aligned, exactly as the seed describes the method (use the function-preserving width operator for head-aware growth).
/// </summary>
public sealed class BusIdentityExpansion : IGrowthOperator
{
    /// <inheritdoc />
    public string Name => "bus-identity";

    /// <inheritdoc />
    public void Validate(ModelLayout layout, ModelShape from, ModelShape to)
    {
        GrowthArguments.SameLayers(from, to);
    }

    /// <inheritdoc />
    public Dictionary<string, Tensor> Grow(GrowthPlan plan, IReadOnlyDictionary<string, Tensor> weights, GrowthContext context)
    {
        plan.Require(this, weights);
        using var noGrad = no_grad();
        return plan.Layout.Parameters(plan.To).ToDictionary(p => p.Name, p => Expand(weights[p.Name], p.Shape,
            p.Rule.Kind == ParameterKind.NormGain));
    }

    /// <summary>
    /// W_big = [[W_small, 0], [0, I]] for matrices; [v_small, pad] for vectors, where pad is 1 for norm gains
    /// and 0 otherwise.
    /// </summary>
    public static Tensor Expand(Tensor small, long[] bigShape, bool padWithOnes = false)
    {
        if (small.dim() == 1)
        {
            var vector = padWithOnes ? ones(bigShape, small.dtype, small.device) : zeros(bigShape, small.dtype, small.device);
            vector.narrow(0, 0, small.shape[0]).copy_(small);
            return vector;
        }
        long o = small.shape[0], i = small.shape[1];
        var matrix = zeros(bigShape, small.dtype, small.device);
        matrix.narrow(0, 0, o).narrow(1, 0, i).copy_(small);          // top-left: the trained block
        long newDiagonal = Math.Min(bigShape[0] - o, bigShape[1] - i);
        for (long k = 0; k < newDiagonal; k++) matrix[o + k, i + k] = 1; // bottom-right: identity (one-hot) block
        return matrix;
    }
}
