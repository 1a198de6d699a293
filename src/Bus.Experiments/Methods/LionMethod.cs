namespace Bus.Experiments.Methods;

/// <summary>
/// Lion (Chen et al. 2023) in place of AdamW: lr = AdamW lr / <see cref="ComparisonOptions.LionLrDivisor"/> and
/// weight decay = AdamW wd x <see cref="ComparisonOptions.LionWdMultiplier"/> (the note: 3-10x smaller lr, 3-10x
/// larger wd; NTNG's BERT used 1e-4 / 0.1 against AdamW's 1e-3 / 0.01). Same schedule as the baseline. The trainer
/// keeps the AdamW rate and decay; <see cref="LionFactory"/> (the one owner of Lion's rate) applies the divisor and
/// multiplier once when it creates the optimizer.
/// </summary>
public sealed class LionMethod() : OptimizerMethod("lion",
    options => $"lion: betas (0.9, 0.99), lr {options.LearningRate / options.LionLrDivisor:G3} (AdamW / {options.LionLrDivisor:G3}), " +
        $"wd {options.WeightDecay * options.LionWdMultiplier:G3} (AdamW x {options.LionWdMultiplier:G3})",
    options => new LionFactory { LearningRateDivisor = options.LionLrDivisor, WeightDecayMultiplier = options.LionWdMultiplier });
