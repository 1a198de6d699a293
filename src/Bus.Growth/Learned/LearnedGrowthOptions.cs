namespace Bus.Growth.Learned;

/// <summary>
/// What the options of both learned growth operators (<see cref="LigoOptions"/>, <see cref="MangoOptions"/>) hold: the
/// operator's training; every property validates its value when set.
/// </summary>
public abstract record LearnedGrowthOptions
{
    private protected LearnedGrowthOptions()
    {
    }

    /// <summary>
    /// Adam steps spent training the growth operator on the task loss (LiGO uses ~100); default 100. 0 keeps the initial
    /// expansion.
    /// </summary>
    public int Steps { get; init => field = Guard.NonNegative(value, nameof(Steps)); } = 100;

    /// <summary>Adam learning rate for the operator parameters; default 1e-3.</summary>
    public double LearningRate { get; init => field = Guard.Positive(value, nameof(LearningRate)); } = 1e-3;

    /// <summary>Seed for the operator's initialisation and the batch order; null uses the <c>GrowthContext</c> seed.</summary>
    public long? Seed { get; init; }
}
