namespace Bus.Optimizers;

/// <summary>
/// Builds <see cref="Lion"/> for the trainer (name "lion"). Lion takes its own learning rate and weight decay: by
/// default the trainer's (AdamW-scale) learning rate / <see cref="LearningRateDivisor"/> (default
/// <see cref="DefaultLearningRateDivisor"/>, 3) and weight decay x <see cref="WeightDecayMultiplier"/> (default
/// <see cref="DefaultWeightDecayMultiplier"/>, 10), the mapping the equal-budget comparison uses (Lion wants a
/// 3-10x smaller learning rate and a 3-10x larger weight decay than AdamW); set <see cref="LearningRate"/> or
/// <see cref="WeightDecay"/> to choose them yourself.
/// </summary>
/// <remarks>
/// The factory is the one owner of Lion's peak rate: <see cref="Create"/> applies the divisor exactly once and writes
/// the result into each param group; the trainer then multiplies each group's peak by the schedule every step (it
/// never divides again). Give the trainer the AdamW-scale rate: with the defaults, <c>TrainerOptions.LearningRate =
/// 3e-3</c> makes Lion's peak 1e-3.
/// </remarks>
/// <param name="Beta1">Interpolation coefficient of the update direction, in [0, 1).</param>
/// <param name="Beta2">Decay of the momentum state, in [0, 1).</param>
/// <param name="LearningRate">
/// Lion's own peak learning rate (finite, &gt;= 0); null: the trainer's / <see cref="LearningRateDivisor"/>.
/// </param>
/// <param name="WeightDecay">
/// Lion's own weight decay (finite, &gt;= 0); null: the trainer's x <see cref="WeightDecayMultiplier"/>.
/// </param>
public sealed record LionFactory(double Beta1 = 0.9, double Beta2 = 0.99, double? LearningRate = null, double? WeightDecay = null)
    : IOptimizerFactory
{
    /// <summary>Default ratio of the trainer's (AdamW) learning rate to Lion's.</summary>
    public const double DefaultLearningRateDivisor = 3;

    /// <summary>Default ratio of Lion's weight decay to the trainer's (AdamW).</summary>
    public const double DefaultWeightDecayMultiplier = 10;

    // The betas are validated once, by LionOptions; the learning rate and weight decay come from the trainer unless set here.
    private readonly LionOptions _betas = new() { Beta1 = Beta1, Beta2 = Beta2 };

    /// <summary>Interpolation coefficient of the update direction, in [0, 1).</summary>
    public double Beta1 { get => _betas.Beta1; init => _betas = _betas with { Beta1 = value }; }

    /// <summary>Decay of the momentum state, in [0, 1).</summary>
    public double Beta2 { get => _betas.Beta2; init => _betas = _betas with { Beta2 = value }; }

    /// <summary>Lion's own peak learning rate; null (default) derives it from the trainer's (see <see cref="LearningRateFor"/>).</summary>
    public double? LearningRate { get; init => field = Optional(value, nameof(LearningRate)); } =
        Optional(LearningRate, nameof(LearningRate));

    /// <summary>Lion's own weight decay; null (default) derives it from the trainer's (see <see cref="WeightDecayFor"/>).</summary>
    public double? WeightDecay { get; init => field = Optional(value, nameof(WeightDecay)); } = Optional(WeightDecay, nameof(WeightDecay));

    /// <summary>
    /// Ratio of the trainer's (AdamW-scale) learning rate to Lion's when <see cref="LearningRate"/> is null
    /// (finite, &gt; 0; default 3).
    /// </summary>
    public double LearningRateDivisor { get; init => field = Guard.Positive(value, nameof(LearningRateDivisor)); } =
        DefaultLearningRateDivisor;

    /// <summary>
    /// Ratio of Lion's weight decay to the trainer's (AdamW-scale) when <see cref="WeightDecay"/> is null
    /// (finite, &gt;= 0; default 10).
    /// </summary>
    public double WeightDecayMultiplier { get; init => field = Guard.NonNegative(value, nameof(WeightDecayMultiplier)); } =
        DefaultWeightDecayMultiplier;

    /// <inheritdoc />
    public string Name => "lion";

    /// <summary>
    /// Lion's peak learning rate given the trainer's: <see cref="LearningRate"/>, else
    /// <paramref name="trainerLearningRate"/> / <see cref="LearningRateDivisor"/>.
    /// </summary>
    public double LearningRateFor(double trainerLearningRate) => LearningRate ?? trainerLearningRate / LearningRateDivisor;

    /// <summary>
    /// Lion's weight decay given the trainer's: <see cref="WeightDecay"/>, else
    /// <paramref name="trainerWeightDecay"/> x <see cref="WeightDecayMultiplier"/>.
    /// </summary>
    public double WeightDecayFor(double trainerWeightDecay) => WeightDecay ?? trainerWeightDecay * WeightDecayMultiplier;

    /// <summary>
    /// Creates Lion with <see cref="LearningRateFor"/> and <see cref="WeightDecayFor"/> of the trainer's values: each
    /// param group's peak learning rate is the trainer's rate / <see cref="LearningRateDivisor"/>, set here once.
    /// </summary>
    /// <param name="parameters">The parameters to optimise.</param>
    /// <param name="learningRate">The trainer's (AdamW-scale) peak learning rate.</param>
    /// <param name="weightDecay">The trainer's (AdamW-scale) weight decay.</param>
    public optim.Optimizer Create(IEnumerable<Parameter> parameters, double learningRate, double weightDecay) =>
        new Lion(parameters, LearningRateFor(learningRate), Beta1, Beta2, WeightDecayFor(weightDecay));

    private static double? Optional(double? value, string name) => value is { } v ? Guard.NonNegative(v, name) : null;
}
