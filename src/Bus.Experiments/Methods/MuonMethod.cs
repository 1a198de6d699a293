using Bus.Core.Training;
using Bus.Optimizers;

namespace Bus.Experiments.Methods;

/// <summary>
/// Muon (Jordan et al. 2024, with Moonlight's update scaling, Liu et al. 2025) in place of AdamW: the hidden matrices
/// take Muon's orthogonalised momentum, embeddings, head, norms and biases take AdamW, all at the baseline's learning
/// rate and weight decay (Moonlight's scaling matches AdamW's update RMS, so no rate mapping is needed). Same schedule
/// as the baseline.
/// </summary>
public sealed class MuonMethod : MethodSpec
{
    /// <inheritdoc />
    public override string Name => "muon";

    /// <inheritdoc />
    public override AlgorithmTraits Traits => AlgorithmTraits.ChangesOptimizer;

    /// <inheritdoc />
    public override string Describe(ComparisonOptions options) =>
        $"muon: momentum 0.95 (Nesterov), 5 Newton-Schulz steps, AdamW (0.9, 0.95) for embeddings/head/norms/biases; lr {options.LearningRate:G3}, wd {options.WeightDecay:G3} (the baseline's)";

    /// <inheritdoc />
    public override void Configure(MethodBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Optimizer = new MuonFactory();
    }
}
