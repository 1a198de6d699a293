using Bus.Core.Growth;
using Bus.Core.Model;
using static TorchSharp.torch;

namespace Bus.Growth;

/// <summary>Which optimizer moment a state tensor holds; it decides how the tensor scales under growth.</summary>
public enum MomentKind
{
    /// <summary>A running mean of gradients (AdamW/Lion <c>exp_avg</c>): maps like a gradient.</summary>
    First,

    /// <summary>A running mean of squared gradients (AdamW <c>exp_avg_sq</c>, <c>max_exp_avg_sq</c>): maps like a squared gradient.</summary>
    Second,
}

/// <summary>
/// Optional companion of <see cref="IGrowthOperator"/>: maps the optimizer state of the small model to the
/// grown model's parameters (optimizer-state policy <c>MapMoments</c>), so training continues with
/// its moment estimates instead of zeros.
/// </summary>
public interface IMomentMappingOperator : IGrowthOperator
{
    /// <summary>
    /// The state tensor of grown parameter <paramref name="parameterName"/>, built from the small model's
    /// state tensors of the same <paramref name="kind"/>; null when the parameter is new (no small
    /// counterpart) and its fresh optimizer state (zeros, step 0) should be kept.
    /// </summary>
    /// <param name="parameterName">Canonical name of a parameter of the grown model.</param>
    /// <param name="kind">Which moment the tensors hold.</param>
    /// <param name="smallState">The small model's state tensors of this kind, by canonical parameter name.</param>
    /// <param name="source">Shape of the small model.</param>
    /// <param name="target">Shape of the grown model.</param>
    /// <param name="context">The context <see cref="IGrowthOperator.Grow"/> was called with (same seed, same unit mapping).</param>
    Tensor? MapState(string parameterName, MomentKind kind, IReadOnlyDictionary<string, Tensor> smallState,
        TransformerConfig source, TransformerConfig target, GrowthContext context);
}
