namespace Bus.Core.Model;

/// <summary>
/// Saved weights must have their parameter's element type: <c>copy_</c> would convert an I32 tensor into an F32 parameter
/// silently (every weight truncated to an integer), so a retyped tensor in a checkpoint is refused, not converted.
/// </summary>
internal static class WeightDTypes
{
    /// <summary>The first saved tensor whose dtype differs from its parameter's, as (name, found, expected); null when all match.</summary>
    public static (string Name, string Found, string Expected)? FirstMismatch(nn.Module module, IReadOnlyDictionary<string, Tensor> weights)
    {
        foreach (var (name, parameter) in module.named_parameters())
            if (weights.TryGetValue(name, out var saved) && saved.dtype != parameter.dtype)
                return (name, Name(saved.dtype), Name(parameter.dtype));
        return null;
    }

    /// <summary>The safetensors name of a scalar type ("F32", "I32"), or TorchSharp's name for types the format lacks.</summary>
    public static string Name(ScalarType type) => SafeTensorsDTypes.TryFromScalarType(type, out var dtype) ? dtype.Name() : type.ToString();
}
