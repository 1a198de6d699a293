namespace Bus.Experiments.Methods;

/// <summary>NTNG's baseline: the full model from scratch with AdamW, learning rate fully decayed exactly at the budget.</summary>
public sealed class BaselineMethod() : OptimizerMethod("baseline", options =>
    $"baseline: d={options.Model.DModel}, {options.Model.Layers} layer(s) from scratch, AdamW lr {options.LearningRate:G3}, " +
    $"wd {options.WeightDecay:G3}, 5% warm-up then linear decay to 0 at the budget");
