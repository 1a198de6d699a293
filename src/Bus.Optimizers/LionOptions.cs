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
    private readonly double _learningRate = 1e-4;
    private readonly double _beta1 = 0.9;
    private readonly double _beta2 = 0.99;
    private readonly double _weightDecay;

    /// <summary>The default options: lr 1e-4, betas (0.9, 0.99), weight decay 0.</summary>
    public static LionOptions Default { get; } = new();

    /// <summary>Learning rate; finite and &gt;= 0. Default 1e-4.</summary>
    public double LearningRate
    {
        get => _learningRate;
        init => _learningRate = LionValidation.LearningRate(value, nameof(LearningRate));
    }

    /// <summary>Interpolation coefficient for the update direction; in [0, 1). Default 0.9.</summary>
    public double Beta1
    {
        get => _beta1;
        init => _beta1 = LionValidation.Beta(value, nameof(Beta1));
    }

    /// <summary>Decay of the momentum state (exp_avg); in [0, 1). Default 0.99.</summary>
    public double Beta2
    {
        get => _beta2;
        init => _beta2 = LionValidation.Beta(value, nameof(Beta2));
    }

    /// <summary>Decoupled weight decay coefficient; finite and &gt;= 0. Default 0.</summary>
    public double WeightDecay
    {
        get => _weightDecay;
        init => _weightDecay = LionValidation.WeightDecay(value, nameof(WeightDecay));
    }
}

/// <summary>Argument checks shared by <see cref="LionOptions"/> and <see cref="Lion"/>.</summary>
internal static class LionValidation
{
    internal static double LearningRate(double value, string name) =>
        double.IsFinite(value) && value >= 0
            ? value
            : throw new ArgumentOutOfRangeException(name, value, $"Invalid learning rate {name}={value}: must be finite and >= 0.");

    internal static double Beta(double value, string name) =>
        value >= 0 && value < 1
            ? value
            : throw new ArgumentOutOfRangeException(name, value, $"Invalid beta {name}={value}: must be in [0, 1).");

    internal static double WeightDecay(double value, string name) =>
        double.IsFinite(value) && value >= 0
            ? value
            : throw new ArgumentOutOfRangeException(name, value, $"Invalid weight decay {name}={value}: must be finite and >= 0.");
}
