namespace Bus.Core.Checkpoints.SafeTensors;

/// <summary>Conversions between <see cref="SafeTensorsDType"/>, its JSON name, its byte size and TorchSharp scalar types.</summary>
internal static class SafeTensorsDTypes
{
    /// <summary>Parses an exact (case-sensitive) dtype name such as "F32".</summary>
    public static bool TryParse(string? name, out SafeTensorsDType dtype)
    {
        switch (name)
        {
            case "F32": dtype = SafeTensorsDType.F32; return true;
            case "F64": dtype = SafeTensorsDType.F64; return true;
            case "F16": dtype = SafeTensorsDType.F16; return true;
            case "BF16": dtype = SafeTensorsDType.BF16; return true;
            case "I64": dtype = SafeTensorsDType.I64; return true;
            case "I32": dtype = SafeTensorsDType.I32; return true;
            case "I16": dtype = SafeTensorsDType.I16; return true;
            case "I8": dtype = SafeTensorsDType.I8; return true;
            case "U8": dtype = SafeTensorsDType.U8; return true;
            case "BOOL": dtype = SafeTensorsDType.BOOL; return true;
            default: dtype = default; return false;
        }
    }

    /// <summary>The JSON name of <paramref name="dtype"/>.</summary>
    public static string Name(this SafeTensorsDType dtype) => dtype.ToString();

    /// <summary>Bytes per element.</summary>
    public static int ElementSize(this SafeTensorsDType dtype) => dtype switch
    {
        SafeTensorsDType.F64 or SafeTensorsDType.I64 => 8,
        SafeTensorsDType.F32 or SafeTensorsDType.I32 => 4,
        SafeTensorsDType.F16 or SafeTensorsDType.BF16 or SafeTensorsDType.I16 => 2,
        SafeTensorsDType.I8 or SafeTensorsDType.U8 or SafeTensorsDType.BOOL => 1,
        _ => throw new ArgumentOutOfRangeException(nameof(dtype), dtype, "Unknown safetensors dtype."),
    };

    /// <summary>The TorchSharp scalar type holding <paramref name="dtype"/>.</summary>
    public static torch.ScalarType ToScalarType(this SafeTensorsDType dtype) => dtype switch
    {
        SafeTensorsDType.F32 => torch.ScalarType.Float32,
        SafeTensorsDType.F64 => torch.ScalarType.Float64,
        SafeTensorsDType.F16 => torch.ScalarType.Float16,
        SafeTensorsDType.BF16 => torch.ScalarType.BFloat16,
        SafeTensorsDType.I64 => torch.ScalarType.Int64,
        SafeTensorsDType.I32 => torch.ScalarType.Int32,
        SafeTensorsDType.I16 => torch.ScalarType.Int16,
        SafeTensorsDType.I8 => torch.ScalarType.Int8,
        SafeTensorsDType.U8 => torch.ScalarType.Byte,
        SafeTensorsDType.BOOL => torch.ScalarType.Bool,
        _ => throw new ArgumentOutOfRangeException(nameof(dtype), dtype, "Unknown safetensors dtype."),
    };

    /// <summary>Maps a TorchSharp scalar type to its safetensors dtype; false for unsupported types (complex, etc.).</summary>
    public static bool TryFromScalarType(torch.ScalarType type, out SafeTensorsDType dtype)
    {
        switch (type)
        {
            case torch.ScalarType.Float32: dtype = SafeTensorsDType.F32; return true;
            case torch.ScalarType.Float64: dtype = SafeTensorsDType.F64; return true;
            case torch.ScalarType.Float16: dtype = SafeTensorsDType.F16; return true;
            case torch.ScalarType.BFloat16: dtype = SafeTensorsDType.BF16; return true;
            case torch.ScalarType.Int64: dtype = SafeTensorsDType.I64; return true;
            case torch.ScalarType.Int32: dtype = SafeTensorsDType.I32; return true;
            case torch.ScalarType.Int16: dtype = SafeTensorsDType.I16; return true;
            case torch.ScalarType.Int8: dtype = SafeTensorsDType.I8; return true;
            case torch.ScalarType.Byte: dtype = SafeTensorsDType.U8; return true;
            case torch.ScalarType.Bool: dtype = SafeTensorsDType.BOOL; return true;
            default: dtype = default; return false;
        }
    }
}
