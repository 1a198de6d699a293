namespace Bus.Optimizers;

/// <summary>
/// Immutable hyperparameters for <see cref="Lion"/> (Chen et al. 2023, "Symbolic Discovery of
/// Optimization Algorithms", Alg. 2). Every value is validated when it is set.
/// </summary>
/// <remarks>
/// Lion usually wants a learning rate 3-10x smaller and a weight decay 3-10x larger than AdamW.
/// Weight decay is the paper's (and timm's, automl's) convention: <c>w -= lr * wd * w</c>, i.e. it
/// scales with the current (scheduled) learning rate.
/// </remarks>
public sealed record LionOptions
{
    /// <summary>The default options: lr 1e-4, betas (0.9, 0.99), weight decay 0.</summary>
    public static LionOptions Default { get; } = new();

    /// <summary>Learning rate; finite and &gt;= 0. Default 1e-4.</summary>
    public double LearningRate { get; init => field = Guard.NonNegative(value, nameof(LearningRate)); } = 1e-4;

    /// <summary>Interpolation coefficient for the update direction; in [0, 1). Default 0.9.</summary>
    public double Beta1 { get; init => field = Guard.InRange(value, 0, 1, nameof(Beta1), maxExclusive: true); } = 0.9;

    /// <summary>Decay of the momentum state (exp_avg); in [0, 1). Default 0.99.</summary>
    public double Beta2 { get; init => field = Guard.InRange(value, 0, 1, nameof(Beta2), maxExclusive: true); } = 0.99;

    /// <summary>Decoupled weight decay coefficient; finite and &gt;= 0. Default 0.</summary>
    public double WeightDecay { get; init => field = Guard.NonNegative(value, nameof(WeightDecay)); }
}
