using Bus.Core;

namespace Bus.Growth.Learned;

/// <summary>Options of <see cref="LigoOperator"/>; every property validates its value when set.</summary>
public sealed record LigoOptions
{
    private readonly int _steps = 100;
    private readonly double _learningRate = 1e-3;

    /// <summary>Adam steps spent training the growth operator on the task loss (LiGO uses ~100). 0 keeps the initial expansion.</summary>
    public int Steps { get => _steps; init => _steps = Guard.NonNegative(value, nameof(Steps)); }

    /// <summary>Adam learning rate for the operator parameters.</summary>
    public double LearningRate { get => _learningRate; init => _learningRate = Guard.Positive(value, nameof(LearningRate)); }

    /// <summary>Seed for the initial unit mapping and the batch order; null uses the <c>GrowthContext</c> seed.</summary>
    public long? Seed { get; init; }
}
