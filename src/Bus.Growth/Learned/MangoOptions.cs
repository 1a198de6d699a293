using Bus.Core;

namespace Bus.Growth.Learned;

/// <summary>Options of <see cref="MangoOperator"/>; every property validates its value when set.</summary>
public sealed record MangoOptions
{
    private readonly int _steps = 100;
    private readonly double _learningRate = 1e-3;
    private readonly int _rank = 1;
    private readonly double _ringNoise = 1e-2;

    /// <summary>Adam steps spent training the growth operator on the task loss. 0 keeps the initial expansion.</summary>
    public int Steps { get => _steps; init => _steps = Guard.NonNegative(value, nameof(Steps)); }

    /// <summary>Adam learning rate for the four cores.</summary>
    public double LearningRate { get => _learningRate; init => _learningRate = Guard.Positive(value, nameof(LearningRate)); }

    /// <summary>Tensor-ring rank R (bond dimension of the four cores), 1..4 (the paper uses small ranks).</summary>
    public int Rank
    {
        get => _rank;
        init => _rank = Guard.InRange(value, 1, 4, nameof(Rank));
    }

    /// <summary>
    /// Standard deviation of the noise put on the ring entries other than (0, 0) when <see cref="Rank"/> &gt; 1, so
    /// the extra channels receive gradient; the initial operator then deviates from the expansion by O(noise^2).
    /// </summary>
    public double RingNoise
    {
        get => _ringNoise;
        init => _ringNoise = Guard.NonNegative(value, nameof(RingNoise));
    }

    /// <summary>Seed for the initial unit mapping, ring noise and batch order; null uses the <c>GrowthContext</c> seed.</summary>
    public long? Seed { get; init; }
}
