using Bus.Core.Training;
using Bus.Optimizers;

namespace Bus.Experiments.Methods;

/// <summary>
/// Lion (Chen et al. 2023) in place of AdamW: lr = AdamW lr / <see cref="ComparisonOptions.LionLrDivisor"/> and
/// weight decay = AdamW wd x <see cref="ComparisonOptions.LionWdMultiplier"/> (the note: 3-10x smaller lr, 3-10x
/// larger wd; NTNG's BERT used 1e-4 / 0.1 against AdamW's 1e-3 / 0.01). Same schedule as the baseline.
/// </summary>
public sealed class LionMethod : MethodSpec
{
    /// <inheritdoc />
    public override string Name => "lion";

    /// <inheritdoc />
    public override AlgorithmTraits Traits => AlgorithmTraits.ChangesOptimizer;

    /// <inheritdoc />
    public override string Describe(ComparisonOptions options) =>
        $"lion: betas (0.9, 0.99), lr {options.LearningRate / options.LionLrDivisor:G3} (AdamW / {options.LionLrDivisor:G3}), wd {options.WeightDecay * options.LionWdMultiplier:G3} (AdamW x {options.LionWdMultiplier:G3})";

    /// <inheritdoc />
    public override void Configure(MethodBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.LearningRate = builder.Options.LearningRate / builder.Options.LionLrDivisor;
        builder.WeightDecay = builder.Options.WeightDecay * builder.Options.LionWdMultiplier;
        // Lion's own rate and decay are given explicitly, so the factory uses exactly these (not the trainer's / 3, x 10 again).
        builder.Optimizer = new LionFactory(LearningRate: builder.LearningRate, WeightDecay: builder.WeightDecay);
    }
}
