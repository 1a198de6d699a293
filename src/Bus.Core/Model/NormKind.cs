namespace Bus.Core.Model;

/// <summary>Which normalisation a model family uses.</summary>
public enum NormKind
{
    /// <summary>LayerNorm: (x - mean) / std * gain + shift; exact under cloning when every unit has the same number of copies.</summary>
    LayerNorm,

    /// <summary>RMSNorm: x / rms(x) * gain; exact under cloning when every unit has the same number of copies.</summary>
    RmsNorm,
}
