namespace Bus.Core.Optimization;

/// <summary>Shape of the learning-rate decay after warm-up.</summary>
public enum DecayShape
{
    /// <summary>Linear to zero at the budget end.</summary>
    Linear,
    /// <summary>Half-cosine to zero at the budget end.</summary>
    Cosine,
    /// <summary>No decay (the baseline is then NOT fully decayed: for ablations only).</summary>
    Constant,
    /// <summary>
    /// Warmup-stable-decay (WSD): after warm-up the rate stays at its peak until the last
    /// <see cref="LearningRateSchedule.DecayFraction"/> of the budget, then falls linearly to zero at the budget end.
    /// A run may be extended while it is still in the stable phase.
    /// </summary>
    WarmupStableDecay,
}

/// <summary>
/// Learning-rate multiplier as a function of the budget fraction f in [0, 1]: linear warm-up over
/// <see cref="WarmupFraction"/>, then decay to exactly zero at f = 1 (NTNG's "fully decayed at the budget").
/// With warm-up 0.5 and linear decay this is NTNG's one-cycle: 2f for f &lt; 0.5, else 2 - 2f.
/// </summary>
public sealed record LearningRateSchedule
{
    /// <summary>Default <see cref="DecayFraction"/> of a WSD schedule: the last 20% of the budget decays.</summary>
    public const double DefaultDecayFraction = 0.2;

    private readonly double _warmup = 0.05;
    private readonly double _decayFraction = DefaultDecayFraction;

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

    /// <summary>
    /// <see cref="DecayShape.WarmupStableDecay"/> only: the final fraction of the budget over which the rate decays
    /// linearly to zero, in (0, 1] (default <see cref="DefaultDecayFraction"/>). When the warm-up reaches past
    /// 1 - DecayFraction, the decay starts where the warm-up ends.
    /// </summary>
    public double DecayFraction
    {
        get => _decayFraction;
        init => _decayFraction = double.IsFinite(value) && value > 0 && value <= 1
            ? value
            : throw new ArgumentOutOfRangeException(nameof(DecayFraction), value, "Decay fraction must be in (0, 1].");
    }

    /// <summary>
    /// Budget fraction at which the rate starts to fall: the end of the warm-up for linear and cosine decay,
    /// max(warm-up, 1 - <see cref="DecayFraction"/>) for WSD, 1 for a constant rate. A run whose spent fraction is
    /// past it has begun its decay and cannot be extended (<see cref="Extended"/>).
    /// </summary>
    public double DecayStart => Decay switch
    {
        DecayShape.WarmupStableDecay => Math.Max(WarmupFraction, 1 - DecayFraction),
        DecayShape.Constant => 1,
        _ => WarmupFraction,
    };

    /// <summary>Multiplier of the base learning rate at budget fraction <paramref name="f"/>.</summary>
    public double Multiplier(double f)
    {
        f = Math.Clamp(f, 0, 1);
        if (f < WarmupFraction) return f / WarmupFraction;
        if (Decay == DecayShape.WarmupStableDecay)
        {
            double start = DecayStart;
            return f < start ? 1 : (1 - f) / (1 - start);
        }
        double progress = WarmupFraction >= 1 ? 1 : (f - WarmupFraction) / (1 - WarmupFraction);
        return Decay switch
        {
            DecayShape.Linear => 1 - progress,
            DecayShape.Cosine => 0.5 * (1 + Math.Cos(Math.PI * progress)),
            _ => 1,
        };
    }

    /// <summary>
    /// This schedule continued over a larger budget (run extension): the warm-up keeps its length in budget units
    /// (its fraction scales by <paramref name="plannedAmount"/> / <paramref name="newAmount"/>), the decay is keyed to
    /// the new budget. So the rate at every amount already spent is unchanged, and the continued run follows the curve
    /// of a run planned for <paramref name="newAmount"/> with that warm-up.
    /// </summary>
    /// <param name="plannedAmount">The budget the run was planned with (its unit's amount).</param>
    /// <param name="newAmount">The larger budget.</param>
    /// <param name="spentAmount">What the run has spent so far, in the same unit.</param>
    /// <exception cref="ScheduleExtensionException">
    /// The new budget is not larger, or the run has begun its decay (spent past <see cref="DecayStart"/> of the planned budget).
    /// </exception>
    public LearningRateSchedule Extended(double plannedAmount, double newAmount, double spentAmount)
    {
        if (!(newAmount > plannedAmount))
            throw new ScheduleExtensionException(string.Create(CultureInfo.InvariantCulture,
                $"an extension needs a budget larger than the planned {plannedAmount:G6}; got {newAmount:G6}."));
        double spent = spentAmount / plannedAmount;
        if (spent > DecayStart + 1e-12)
        {
            string state = spent >= 1 ? "its decay is complete" : "the decay cannot be undone";
            string began = string.Create(CultureInfo.InvariantCulture,
                $"the {Name} schedule began its decay at {DecayStart:P1} of the planned budget {plannedAmount:G6}");
            string ran = string.Create(CultureInfo.InvariantCulture, $"the run has spent {spent:P1} ({spentAmount:G6})");
            throw new ScheduleExtensionException(
                $"{began} and {ran}; {state}, so it cannot be extended (a WSD schedule can be extended until its decay begins).");
        }
        return this with { WarmupFraction = WarmupFraction * plannedAmount / newAmount };
    }

    /// <summary>The schedule's CLI name: linear, cosine, constant or wsd.</summary>
    public string Name => Decay switch
    {
        DecayShape.WarmupStableDecay => "wsd",
        _ => Decay.ToString().ToLowerInvariant(),
    };

    // Run fingerprints print the schedule: DecayFraction only for WSD, so existing linear/cosine fingerprints stay as they were.
    private bool PrintMembers(StringBuilder builder)
    {
        builder.Append(string.Create(CultureInfo.InvariantCulture, $"WarmupFraction = {WarmupFraction}, Decay = {Decay}"));
        if (Decay == DecayShape.WarmupStableDecay)
            builder.Append(string.Create(CultureInfo.InvariantCulture, $", DecayFraction = {DecayFraction}"));
        return true;
    }
}

/// <summary>A run extension (<see cref="Checkpoints.CheckpointOptions.Extend"/>) was refused; the message says why.</summary>
public sealed class ScheduleExtensionException : IOException
{
    /// <summary>Creates the exception with the reason.</summary>
    public ScheduleExtensionException(string message) : base(message) { }
}
