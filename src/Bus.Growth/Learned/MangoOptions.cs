namespace Bus.Growth.Learned;

/// <summary>
/// Options of <see cref="MangoOperator"/>: the operator's training (<see cref="LearnedGrowthOptions"/>) and its tensor ring;
/// every property validates its value when set.
/// </summary>
public sealed record MangoOptions : LearnedGrowthOptions
{
    /// <summary>Tensor-ring rank R (bond dimension of the four cores), 1..4 (the paper uses small ranks).</summary>
    public int Rank { get; init => field = Guard.InRange(value, 1, 4, nameof(Rank)); } = 1;

    /// <summary>
    /// Standard deviation of the noise put on the ring entries other than (0, 0) when <see cref="Rank"/> &gt; 1, so
    /// the extra channels receive gradient; the initial operator then deviates from the expansion by O(noise^2).
    /// </summary>
    public double RingNoise { get; init => field = Guard.NonNegative(value, nameof(RingNoise)); } = 1e-2;
}
