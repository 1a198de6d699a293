namespace Bus.Growth.Schedules;

/// <summary>What happens to the optimizer state when a <see cref="GrowthSchedule"/> replaces the model.</summary>
public enum OptimizerStatePolicy
{
    /// <summary>A fresh optimizer for the grown model: zero moments, step 0 (the default; what the BUS seed does).</summary>
    Reset,

    /// <summary>
    /// A fresh optimizer whose moments (AdamW exp_avg / exp_avg_sq / max_exp_avg_sq, Lion exp_avg) and step count are
    /// mapped from the old one by the operator (<see cref="Bus.Core.Growth.IGrowthOperator.MapMoments"/>, see <see cref="MomentMapper"/>);
    /// every stage's operator must map moments.
    /// </summary>
    MapMoments,
}
