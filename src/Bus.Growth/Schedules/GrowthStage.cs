namespace Bus.Growth.Schedules;

/// <summary>One growth of a <see cref="GrowableTransformer"/>: when it fires, to what config, with which operator.</summary>
/// <param name="Trigger">When to grow.</param>
/// <param name="Target">Config after growth.</param>
/// <param name="Operator">How to map the weights.</param>
public sealed record GrowthStage(GrowthTrigger Trigger, TransformerConfig Target, IGrowthOperator Operator);

/// <summary>One growth of any module described by a <see cref="ModelLayout"/>: when it fires, to what shape, with which operator.</summary>
/// <param name="Trigger">When to grow.</param>
/// <param name="Target">Shape after growth (the schedule's factory builds the grown module from it).</param>
/// <param name="Operator">How to map the weights.</param>
public sealed record ModuleGrowthStage(GrowthTrigger Trigger, ModelShape Target, IGrowthOperator Operator);

/// <summary>When a <see cref="GrowthStage"/> fires.</summary>
public abstract record GrowthTrigger
{
    /// <summary>Fires at the end of the step where this many optimizer steps have been taken.</summary>
    public static GrowthTrigger AtStep(long step) => step > 0 ? new StepTrigger(step) : throw new ArgumentOutOfRangeException(nameof(step),
        step, "Growth step must be positive.");

    /// <summary>Fires once this many epochs have been completed (may be fractional).</summary>
    public static GrowthTrigger AtEpoch(double epoch) => epoch > 0 && double.IsFinite(epoch) ? new EpochTrigger(epoch)
        : throw new ArgumentOutOfRangeException(nameof(epoch), epoch, "Growth epoch must be positive.");

    /// <summary>Fires once this fraction of the budget is spent, in (0, 1).</summary>
    public static GrowthTrigger AtBudgetFraction(double fraction) => fraction > 0 && fraction < 1 ? new FractionTrigger(fraction)
        : throw new ArgumentOutOfRangeException(nameof(fraction), fraction, "Growth fraction must be in (0, 1).");

    /// <summary>Fires at an evaluation when the dev loss improved by less than <paramref name="minImprovement"/> (relative) over the last
    /// <paramref name="patience"/> evaluations.</summary>
    public static GrowthTrigger OnPlateau(int patience = 2, double minImprovement = 0.01) =>
        patience > 0 ? (minImprovement >= 0 ? new PlateauTrigger(patience,
            minImprovement) : throw new ArgumentOutOfRangeException(nameof(minImprovement), minImprovement, "Must be non-negative."))
                     : throw new ArgumentOutOfRangeException(nameof(patience), patience, "Patience must be positive.");
}

/// <summary>Grow after a number of steps.</summary>
public sealed record StepTrigger(long Step) : GrowthTrigger;

/// <summary>Grow after a number of epochs.</summary>
public sealed record EpochTrigger(double Epoch) : GrowthTrigger;

/// <summary>Grow at a budget fraction.</summary>
public sealed record FractionTrigger(double Fraction) : GrowthTrigger;

/// <summary>Grow when the dev loss plateaus.</summary>
public sealed record PlateauTrigger(int Patience, double MinImprovement) : GrowthTrigger;
