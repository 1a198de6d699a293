using Bus.Core.Optimization;

namespace Bus.Cli.Infrastructure;

/// <summary>
/// <c>bus train</c>'s <c>--schedule linear|cosine|wsd</c> and <c>--decay-fraction</c>: the learning-rate schedule after the
/// 5% warm-up. Checked before any work; a bad value names the option and the value.
/// </summary>
internal static class ScheduleChoice
{
    /// <summary>The names <c>--schedule</c> accepts.</summary>
    public static readonly string[] Names = ["linear", "cosine", "wsd"];

    /// <summary>
    /// The schedule named <paramref name="name"/>; <paramref name="decayFraction"/> (WSD only: the final fraction of the
    /// budget that decays, in (0, 1], default <see cref="LearningRateSchedule.DefaultDecayFraction"/>).
    /// </summary>
    /// <exception cref="ArgumentException">An unknown name, a decay fraction out of range or given without wsd.</exception>
    public static LearningRateSchedule Parse(string name, double? decayFraction)
    {
        var shape = name switch
        {
            "linear" => DecayShape.Linear,
            "cosine" => DecayShape.Cosine,
            "wsd" => DecayShape.WarmupStableDecay,
            _ => throw new ArgumentException($"--schedule {name}: must be {string.Join(", ", Names[..^1])} or {Names[^1]}.", "--schedule"),
        };
        if (decayFraction is not { } fraction) return new LearningRateSchedule { Decay = shape };
        if (shape != DecayShape.WarmupStableDecay)
            throw new ArgumentException(
                Invariant($"--decay-fraction {fraction}: applies to --schedule wsd (this run's schedule is {name})."), "--decay-fraction");
        if (!(double.IsFinite(fraction) && fraction > 0 && fraction <= 1))
            throw new ArgumentException(Invariant($"--decay-fraction {fraction}: must lie in (0, 1]."), "--decay-fraction");
        return new LearningRateSchedule { Decay = shape, DecayFraction = fraction };
    }

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
