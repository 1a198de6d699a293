namespace Bus.Optimizers;

/// <summary>
/// Immutable hyperparameters for <see cref="Muon"/> (Moonlight's defaults, Liu et al. 2025); every value is validated
/// when it is set.
/// </summary>
public sealed record MuonOptions
{
    /// <summary>The default options: lr 1e-3, momentum 0.95 (Nesterov), 5 Newton-Schulz steps, weight decay 0.1, AdamW
    /// (0.9, 0.95) with eps 1e-8.</summary>
    public static MuonOptions Default { get; } = new();

    /// <summary>Learning rate of every group; finite and &gt;= 0. Default 1e-3.</summary>
    public double LearningRate { get; init => field = Guard.NonNegative(value, nameof(LearningRate)); } = 1e-3;

    /// <summary>Muon momentum; in [0, 1). Default 0.95.</summary>
    public double Momentum { get; init => field = Guard.InRange(value, 0, 1, nameof(Momentum), maxExclusive: true); } = 0.95;

    /// <summary>Nesterov momentum for Muon. Default true.</summary>
    public bool Nesterov { get; init; } = true;

    /// <summary>Newton-Schulz iterations; 1..100. Default 5.</summary>
    public int NewtonSchulzSteps { get; init => field = Guard.InRange(value, 1, 100, nameof(NewtonSchulzSteps)); } = 5;

    /// <summary>Decoupled weight decay of every group; finite and &gt;= 0. Default 0.1.</summary>
    public double WeightDecay { get; init => field = Guard.NonNegative(value, nameof(WeightDecay)); } = 0.1;

    /// <summary>AdamW beta1 of the non-Muon groups; in [0, 1). Default 0.9.</summary>
    public double AdamWBeta1 { get; init => field = Guard.InRange(value, 0, 1, nameof(AdamWBeta1), maxExclusive: true); } = 0.9;

    /// <summary>AdamW beta2 of the non-Muon groups; in [0, 1). Default 0.95.</summary>
    public double AdamWBeta2 { get; init => field = Guard.InRange(value, 0, 1, nameof(AdamWBeta2), maxExclusive: true); } = 0.95;

    /// <summary>AdamW epsilon; finite and &gt;= 0. Default 1e-8.</summary>
    public double AdamWEps { get; init => field = Guard.NonNegative(value, nameof(AdamWEps)); } = 1e-8;
}
