namespace Bus.Selection;

/// <summary>How selective backprop turns a loss into its percentile among the recent losses.</summary>
public enum PercentileKind
{
    /// <summary>#{h in history : h &lt; loss} / |history| (angelajiang/SelectiveBackprop, lib/hist.py). History [1,2,3,4] gives 0, .25, .5,
    /// .75.</summary>
    Strict,
    /// <summary>scipy.stats.percentileofscore(kind='rank') / 100, ties averaged (NTNG's SBForward). History [1,2,3,4] gives .25, .5, .75,
    /// 1.</summary>
    Rank,
}
