namespace Bus.Selection;

/// <summary>Options of <see cref="RhoLossSelector"/>: an immutable record with validated defaults.</summary>
public sealed record RhoLossOptions
{
    /// <summary>
    /// Fraction of each big batch that is trained on (the paper's percent_train, default 0.1). For a
    /// training batch of n_b the trainer draws n_B = the smallest count with max(1, int(fraction * n_B)) = n_b
    /// candidates, i.e. n_B = n_b / fraction (320 candidates for a batch of 32).
    /// </summary>
    public double SelectionFraction
    {
        get; init => field = Guard.InRange(value, 0, 1, nameof(SelectionFraction), minExclusive: true);
    } = 0.1;

    /// <summary>Mode of the model while scoring (no gradients either way); train() is the paper's default.</summary>
    public ScoringMode Mode { get; init; } = ScoringMode.Train;
}
