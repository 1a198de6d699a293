namespace Bus.Core.Checkpoints.SafeTensors;

/// <summary>Validates the arguments of a save and lays the tensors out (sorted by name, contiguous offsets).</summary>
internal static class SafeTensorsSavePlan
{
    public static List<SafeTensorsTensorInfo> Build(IReadOnlyDictionary<string, torch.Tensor> tensors)
    {
        var table = new List<SafeTensorsTensorInfo>(tensors.Count);
        long offset = 0;
        foreach (var (name, tensor) in tensors.OrderBy(kv => kv.Key, StringComparer.Ordinal))
        {
            if (string.IsNullOrEmpty(name) || name == SafeTensorsHeader.MetadataKey)
            {
                throw new ArgumentException(
                    $"Tensor name '{name}' is not allowed: names must be non-empty and not '{SafeTensorsHeader.MetadataKey}'.",
                    nameof(tensors));
            }

            if (tensor is null || tensor.IsInvalid)
            {
                throw new ArgumentException($"Tensor '{name}' is null or disposed.", nameof(tensors));
            }

            if (!SafeTensorsDTypes.TryFromScalarType(tensor.dtype, out var dtype))
            {
                throw new ArgumentException(
                    $"Tensor '{name}' has dtype {tensor.dtype}, which safetensors checkpoints do not support " +
                    $"(supported: {string.Join(", ", Enum.GetNames<SafeTensorsDType>())}).",
                    nameof(tensors));
            }

            long[] shape = tensor.shape;
            long bytes = checked(tensor.numel() * dtype.ElementSize());
            table.Add(new SafeTensorsTensorInfo(name, dtype, shape, offset, offset + bytes));
            offset += bytes;
        }

        return table;
    }

    public static IReadOnlyDictionary<string, string> CheckMetadata(IReadOnlyDictionary<string, string>? metadata)
    {
        if (metadata is null)
        {
            return new Dictionary<string, string>();
        }

        foreach (var (key, value) in metadata)
        {
            if (key is null || value is null)
            {
                throw new ArgumentException($"Metadata entry '{key}' has a null key or value.", nameof(metadata));
            }
        }

        return metadata;
    }
}
