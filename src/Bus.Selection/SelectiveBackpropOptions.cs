namespace Bus.Selection;

/// <summary>Options of <see cref="SelectiveBackpropSelector"/>; defaults follow the original repository.</summary>
public sealed record SelectiveBackpropOptions
{
    /// <summary>Recent losses kept for the percentile (deque maxlen; 1024 originally, 5000 in NTNG).</summary>
    public int HistoryLength { get; init => field = Guard.Positive(value, nameof(HistoryLength)); } = 1024;

    /// <summary>Exponent beta of P = percentile^beta (prob_pow: 3 originally, 1 in NTNG).</summary>
    public double Beta { get; init => field = Guard.Positive(value, nameof(Beta)); } = 3;

    /// <summary>Percentile convention (Strict originally, Rank in NTNG).</summary>
    public PercentileKind Percentile { get; init => field = Guard.Defined(value, nameof(Percentile)); } = PercentileKind.Strict;

    /// <summary>Epochs at the start in which every example is back-propagated (losses still enter the history).</summary>
    public int PrimingEpochs { get; init => field = Guard.NonNegative(value, nameof(PrimingEpochs)); } = 1;

    /// <summary>Mode of the model while scoring (no gradients either way).</summary>
    public ScoringMode Mode { get; init; } = ScoringMode.Train;
}
