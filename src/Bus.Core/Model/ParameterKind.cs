namespace Bus.Core.Model;

/// <summary>What a parameter is; decides its fresh initialisation and how it is padded.</summary>
public enum ParameterKind
{
    /// <summary>A linear weight [out, in] (fresh: normal(0, 0.02)).</summary>
    Weight,

    /// <summary>A linear bias [out] (fresh: 0).</summary>
    Bias,

    /// <summary>An embedding table [rows, d_model] (fresh: normal(0, 0.02)).</summary>
    Embedding,

    /// <summary>A LayerNorm or RMSNorm gain (fresh and padded: 1).</summary>
    NormGain,

    /// <summary>A LayerNorm shift (fresh and padded: 0).</summary>
    NormBias,
}
