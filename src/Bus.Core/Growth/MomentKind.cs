namespace Bus.Core.Growth;

/// <summary>Which optimizer moment a state tensor holds; it decides how the tensor scales under growth.</summary>
public enum MomentKind
{
    /// <summary>A running mean of gradients (AdamW/Lion <c>exp_avg</c>): maps like a gradient.</summary>
    First,

    /// <summary>A running mean of squared gradients (AdamW <c>exp_avg_sq</c>, <c>max_exp_avg_sq</c>): maps like a squared
    /// gradient.</summary>
    Second,
}
