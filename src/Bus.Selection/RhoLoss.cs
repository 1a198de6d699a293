namespace Bus.Selection;

/// <summary>
/// RHO-LOSS scoring (Mindermann et al., ICML 2022, Alg. 1): reducible loss = training loss - irreducible
/// loss; train on the top n_b = max(1, int(fraction * n_B)) of a big batch of n_B candidates.
/// Pure functions, so the paper's vectors can be tested directly.
/// </summary>
public static class RhoLoss
{
    /// <summary>Reducible holdout loss, Eq. (3): L[y|x; D_t] - L[y|x; D_ho] per example.</summary>
    public static Tensor ReducibleLoss(Tensor trainLoss, Tensor irreducibleLoss)
    {
        ArgumentNullException.ThrowIfNull(trainLoss);
        ArgumentNullException.ThrowIfNull(irreducibleLoss);
        if (!trainLoss.shape.SequenceEqual(irreducibleLoss.shape))
            throw new ArgumentException(
                $"Irreducible losses have shape [{string.Join(",", irreducibleLoss.shape)}], training losses " +
                $"[{string.Join(",", trainLoss.shape)}].", nameof(irreducibleLoss));
        return trainLoss - irreducibleLoss.to(trainLoss.dtype);
    }

    /// <summary>Indices (int64) of the <paramref name="k"/> largest scores, largest first (ties: lower index first).</summary>
    public static Tensor TopK(Tensor scores, int k)
    {
        ArgumentNullException.ThrowIfNull(scores);
        if (scores.dim() != 1) throw new ArgumentException($"Scores must be 1-D, got {scores.dim()} dimensions.", nameof(scores));
        if (k <= 0 || k > scores.shape[0])
            throw new ArgumentOutOfRangeException(nameof(k), k, $"k must be in 1..{scores.shape[0]}.");
        var (values, order) = scores.sort(dim: 0, descending: true, stable: true);
        using (values)
        using (order)
            return order.narrow(0, 0, k).clone();
    }

    /// <summary>
    /// RHO-LOSS selection in any training loop (the functional form, as Composer ships beside its trainer algorithm):
    /// given per-example training losses [n_B] of a big batch and their irreducible losses [n_B], returns the indices
    /// (int64, largest reducible loss first) of the n_b = max(1, int(fraction × n_B)) examples to back-propagate (Alg. 1).
    /// </summary>
    public static Tensor Select(Tensor trainLoss, Tensor irreducibleLoss, double fraction)
    {
        ArgumentNullException.ThrowIfNull(trainLoss);
        Guard.InRange(fraction, 0, 1, nameof(fraction), minExclusive: true);
        if (trainLoss.dim() != 1)
            throw new ArgumentException($"Training losses must be 1-D [n_B], got {trainLoss.dim()} dimensions.", nameof(trainLoss));
        using var reducible = ReducibleLoss(trainLoss, irreducibleLoss);
        return TopK(reducible, SelectedCount((int)trainLoss.shape[0], fraction));
    }

    /// <summary>Examples kept from <paramref name="candidates"/>: n_b = max(1, int(fraction * n_B)) (the paper's percent_train).</summary>
    public static int SelectedCount(int candidates, double fraction)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(candidates);
        Guard.InRange(fraction, 0, 1, nameof(fraction), minExclusive: true);
        return Math.Max(1, (int)(fraction * candidates));
    }

    /// <summary>n_B = the smallest count with int(fraction * n_B) = <paramref name="batchSize"/>, i.e. batchSize / fraction (320 for 32 at
    /// 0.1, 10 for 1).</summary>
    public static int CandidateCount(int batchSize, double fraction)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(batchSize);
        Guard.InRange(fraction, 0, 1, nameof(fraction), minExclusive: true);
        int n = Math.Max(1, (int)Math.Floor(batchSize / fraction) - 1);
        while ((int)(fraction * n) < batchSize) n++;
        return n;
    }
}
