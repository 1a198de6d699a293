namespace Bus.Growth.Schedules;

/// <summary>What the learning rate does after a growth.</summary>
public enum PostGrowthSchedule
{
    /// <summary>The run's schedule continues unchanged (the default of every growth run).</summary>
    Continue,
    /// <summary>
    /// Re-warm-up: the rate ramps linearly from 0 back to the scheduled value over <see cref="PostGrowthLearningRate.RewarmFraction"/>
    /// of the budget after the growth, as at the start of a run (the fresh optimizer's moments are empty).
    /// </summary>
    Rewarm,
    /// <summary>
    /// LEMON's recipe (Wang et al., ICLR 2024, section 5): keep the peak rate after growth but decay faster — the rate
    /// restarts at the peak at the growth fraction g and decays linearly to 0 at the budget end, lr(f) = peak (1 - f) / (1 - g),
    /// a steeper slope than the run's own decay.
    /// </summary>
    Lemon,
}

/// <summary>
/// The learning rate after growth as a trainer plug-in: scales the scheduled rate (<see cref="TrainingState.LearningRateScale"/>)
/// from the step after the last growth on, by <see cref="Schedule"/>. The budget fraction of the last growth is kept
/// in checkpoints, so a resumed run continues the same curve. As a plain function: <see cref="Scale"/>.
/// </summary>
public sealed class PostGrowthLearningRate : ITrainingAlgorithm, ICheckpointable, IFingerprinted
{
    private int _growthsSeen;
    private double? _grownAt;

    /// <summary>Creates the plug-in.</summary>
    /// <param name="schedule">What the rate does after growth.</param>
    /// <param name="rewarmFraction">Length of the re-warm-up in budget fraction, in (0, 1) (only for
    /// <see cref="PostGrowthSchedule.Rewarm"/>).</param>
    /// <exception cref="ArgumentOutOfRangeException">Unknown schedule, or a fraction outside (0, 1).</exception>
    public PostGrowthLearningRate(PostGrowthSchedule schedule, double rewarmFraction = 0.05)
    {
        if (!Enum.IsDefined(schedule)) throw new ArgumentOutOfRangeException(nameof(schedule), schedule,
            $"Unknown post-growth schedule {schedule}.");
        Schedule = schedule;
        RewarmFraction = Guard.InRange(rewarmFraction, 0, 1, nameof(rewarmFraction), minExclusive: true, maxExclusive: true);
    }

    /// <summary>What the rate does after growth.</summary>
    public PostGrowthSchedule Schedule { get; }

    /// <summary>Length of the re-warm-up, in budget fraction.</summary>
    public double RewarmFraction { get; }

    /// <inheritdoc />
    public string Name => "post-growth-lr:" + Schedule.ToString().ToLowerInvariant();

    /// <inheritdoc />
    public AlgorithmTraits Traits => AlgorithmTraits.ScalesLearningRate;

    /// <inheritdoc />
    public string Fingerprint => $"{Schedule} rewarm {RewarmFraction.ToString("R", CultureInfo.InvariantCulture)}";

    /// <inheritdoc />
    public string CheckpointKey => "post-growth-lr";

    /// <inheritdoc />
    public void SaveState(CheckpointState state)
    {
        ArgumentNullException.ThrowIfNull(state);
        state.SetString(CheckpointKey + "/growths", _growthsSeen.ToString(CultureInfo.InvariantCulture));
        state.SetString(CheckpointKey + "/at", _grownAt is { } g ? g.ToString("R", CultureInfo.InvariantCulture) : "");
    }

    /// <inheritdoc />
    public void LoadState(CheckpointState state)
    {
        ArgumentNullException.ThrowIfNull(state);
        _growthsSeen = int.Parse(state.GetString(CheckpointKey + "/growths"), CultureInfo.InvariantCulture);
        string at = state.GetString(CheckpointKey + "/at");
        _grownAt = at.Length == 0 ? null : double.Parse(at, CultureInfo.InvariantCulture);
    }

    /// <inheritdoc />
    public void OnEvent(TrainingEvent trainingEvent, TrainingState state)
    {
        ArgumentNullException.ThrowIfNull(state);
        if (trainingEvent != TrainingEvent.StepStart) return;
        double f = state.Meter.Fraction;
        if (state.Growths.Count > _growthsSeen) { _growthsSeen = state.Growths.Count; _grownAt = f; }
        state.LearningRateScale = _grownAt is { } g ? Scale(Schedule, state.Options.Schedule, g, f, RewarmFraction) : 1;
    }

    /// <summary>
    /// The factor on <paramref name="schedule"/>'s multiplier at budget fraction <paramref name="f"/> after a growth at
    /// <paramref name="grownAt"/>: 1 for <see cref="PostGrowthSchedule.Continue"/>; min(1, (f - g) / w) for a re-warm-up of
    /// length w; LEMON's ((1 - f) / (1 - g)) / m(f), so the product is the restarted, faster decay (0 where m(f) is 0).
    /// </summary>
    public static double Scale(PostGrowthSchedule kind, LearningRateSchedule schedule, double grownAt, double f,
        double rewarmFraction = 0.05)
    {
        ArgumentNullException.ThrowIfNull(schedule);
        if (f < grownAt) return 1;
        switch (kind)
        {
            case PostGrowthSchedule.Rewarm:
                return Math.Min(1, (f - grownAt) / rewarmFraction);
            case PostGrowthSchedule.Lemon:
                double m = schedule.Multiplier(f);
                return m <= 0 || grownAt >= 1 ? 0 : Math.Max(0, (1 - f) / (1 - grownAt)) / m;
            default:
                return 1;
        }
    }
}
