namespace Bus.Experiments.Methods;

/// <summary>
/// Muon (Jordan et al. 2024, with Moonlight's update scaling, Liu et al. 2025) in place of AdamW: the hidden matrices
/// take Muon's orthogonalised momentum, embeddings, head, norms and biases take AdamW, all at the baseline's learning
/// rate and weight decay (Moonlight's scaling matches AdamW's update RMS, so no rate mapping is needed). Same schedule
/// as the baseline.
/// </summary>
public sealed class MuonMethod() : OptimizerMethod("muon",
    options => "muon: momentum 0.95 (Nesterov), 5 Newton-Schulz steps, AdamW (0.9, 0.95) for embeddings/head/norms/biases; " +
        $"lr {options.LearningRate:G3}, wd {options.WeightDecay:G3} (the baseline's)",
    _ => new MuonFactory());
