using Bus.Core;

namespace Bus.Selection;

/// <summary>Options of <see cref="SelectiveBackpropSelector"/>; defaults follow the original repository.</summary>
public sealed record SelectiveBackpropOptions
{
    private readonly int _historyLength = 1024;
    private readonly double _beta = 3;
    private readonly int _primingEpochs = 1;
    private readonly PercentileKind _percentile = PercentileKind.Strict;

    /// <summary>Recent losses kept for the percentile (deque maxlen; 1024 originally, 5000 in NTNG).</summary>
    public int HistoryLength
    {
        get => _historyLength;
        init => _historyLength = Guard.Positive(value, nameof(HistoryLength));
    }

    /// <summary>Exponent beta of P = percentile^beta (prob_pow: 3 originally, 1 in NTNG).</summary>
    public double Beta
    {
        get => _beta;
        init => _beta = Guard.Positive(value, nameof(Beta));
    }

    /// <summary>Percentile convention (Strict originally, Rank in NTNG).</summary>
    public PercentileKind Percentile
    {
        get => _percentile;
        init => _percentile = Guard.Defined(value, nameof(Percentile));
    }

    /// <summary>Epochs at the start in which every example is back-propagated (losses still enter the history).</summary>
    public int PrimingEpochs
    {
        get => _primingEpochs;
        init => _primingEpochs = Guard.NonNegative(value, nameof(PrimingEpochs));
    }

    /// <summary>Mode of the model while scoring (no gradients either way).</summary>
    public ScoringMode Mode { get; init; } = ScoringMode.Train;
}
