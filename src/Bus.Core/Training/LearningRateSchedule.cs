namespace Bus.Core.Training;

/// <summary>Shape of the learning-rate decay after warm-up.</summary>
public enum DecayShape
{
    /// <summary>Linear to zero at the budget end.</summary>
    Linear,
    /// <summary>Half-cosine to zero at the budget end.</summary>
    Cosine,
    /// <summary>No decay (the baseline is then NOT fully decayed: for ablations only).</summary>
    Constant,
}

/// <summary>
/// Learning-rate multiplier as a function of the budget fraction f in [0, 1]: linear warm-up over
/// <see cref="WarmupFraction"/>, then decay to exactly zero at f = 1 (NTNG's "fully decayed at the budget").
/// With warm-up 0.5 and linear decay this is NTNG's one-cycle: 2f for f &lt; 0.5, else 2 - 2f.
/// </summary>
public sealed record LearningRateSchedule
{
    private readonly double _warmup = 0.05;

    /// <summary>Fraction of the budget spent warming up linearly from 0, in [0, 1).</summary>
    public double WarmupFraction
    {
        get => _warmup;
        init => _warmup = double.IsFinite(value) && value >= 0 && value < 1
            ? value
            : throw new ArgumentOutOfRangeException(nameof(WarmupFraction), value, "Warm-up fraction must be in [0, 1).");
    }

    /// <summary>Decay after warm-up.</summary>
    public DecayShape Decay { get; init; } = DecayShape.Linear;

    /// <summary>Multiplier of the base learning rate at budget fraction <paramref name="f"/>.</summary>
    public double Multiplier(double f)
    {
        f = Math.Clamp(f, 0, 1);
        if (f < WarmupFraction) return f / WarmupFraction;
        double progress = WarmupFraction >= 1 ? 1 : (f - WarmupFraction) / (1 - WarmupFraction);
        return Decay switch
        {
            DecayShape.Linear => 1 - progress,
            DecayShape.Cosine => 0.5 * (1 + Math.Cos(Math.PI * progress)),
            _ => 1,
        };
    }
}
