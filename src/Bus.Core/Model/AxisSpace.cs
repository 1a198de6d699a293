namespace Bus.Core.Model;

/// <summary>The space a tensor axis indexes; width growth maps each space by its own unit mapping.</summary>
public enum AxisSpace
{
    /// <summary>No growable axis (size 1).</summary>
    None,

    /// <summary>The residual stream, d_model.</summary>
    Residual,

    /// <summary>Query heads x head_dim (the rows of q, the columns of o); heads are contiguous slices of head_dim.</summary>
    QueryHeads,

    /// <summary>Key/value heads x head_dim (the rows of k and v); query head h reads key/value head h / (heads / kv_heads).</summary>
    KeyValueHeads,

    /// <summary>The MLP hidden width d_ff (fc1 / gate / up rows, fc2 / down columns); one mapping per block.</summary>
    Mlp,

    /// <summary>Input symbols (rows of the token embedding); never grown.</summary>
    Vocabulary,

    /// <summary>Positions (rows of a learned position embedding); never grown.</summary>
    Positions,

    /// <summary>Outputs of the head (classes or vocabulary); never grown.</summary>
    Outputs,
}
