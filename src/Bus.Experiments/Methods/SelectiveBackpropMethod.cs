using Bus.Selection;

namespace Bus.Experiments.Methods;

/// <summary>
/// Selective backprop (Jiang et al. 2019) with NTNG's settings (pretrain_bert_sb.py): history 5000, beta 1,
/// scipy 'rank' percentiles (keeps about half), no priming epoch. Every scoring forward is charged to the budget.
/// </summary>
public sealed class SelectiveBackpropMethod : MethodSpec
{
    /// <summary>The selector's options.</summary>
    public static SelectiveBackpropOptions SelectorOptions { get; } = new() { HistoryLength = 5000, Beta = 1,
        Percentile = PercentileKind.Rank, PrimingEpochs = 0 };

    /// <inheritdoc />
    public override string Name => "selective-backprop";

    /// <inheritdoc />
    public override AlgorithmTraits Traits => AlgorithmTraits.SelectsBatches;

    /// <inheritdoc />
    public override string Describe(ComparisonOptions options) =>
        "selective-backprop: keep P = percentile^1 (rank percentiles over the last 5000 losses, NTNG), no priming; " +
        "scoring forwards charged";

    /// <inheritdoc />
    public override void Configure(MethodBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Selector = new SelectiveBackpropSelector(SelectorOptions);
    }
}
