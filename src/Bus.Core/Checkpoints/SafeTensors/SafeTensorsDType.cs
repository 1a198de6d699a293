namespace Bus.Core.Checkpoints.SafeTensors;

/// <summary>The element types a Bus safetensors file may hold; names match the format's "dtype" strings.</summary>
public enum SafeTensorsDType
{
    /// <summary>32-bit IEEE float ("F32").</summary>
    F32,
    /// <summary>64-bit IEEE float ("F64").</summary>
    F64,
    /// <summary>16-bit IEEE half float ("F16").</summary>
    F16,
    /// <summary>16-bit brain float ("BF16").</summary>
    BF16,
    /// <summary>Signed 64-bit integer ("I64").</summary>
    I64,
    /// <summary>Signed 32-bit integer ("I32").</summary>
    I32,
    /// <summary>Signed 16-bit integer ("I16").</summary>
    I16,
    /// <summary>Signed 8-bit integer ("I8").</summary>
    I8,
    /// <summary>Unsigned 8-bit integer ("U8").</summary>
    U8,
    /// <summary>Boolean stored as one byte, 0 or 1 ("BOOL").</summary>
    BOOL,
}
