using static TorchSharp.torch;

namespace Bus.Cli.Tests;

/// <summary>Checkpoint copies with one entry changed and a valid checksum (the corruption passes the file's own checks).</summary>
internal static class CheckpointFixtures
{
    /// <summary>Copies <paramref name="from"/>/last.safetensors to <paramref name="to"/>/last.safetensors, changed by <paramref name="change"/>.</summary>
    public static void Rewrite(string from, string to, Action<Dictionary<string, Tensor>, Dictionary<string, string>> change)
    {
        Dictionary<string, Tensor> tensors;
        Dictionary<string, string> metadata;
        using (var content = SafeTensorsFile.Load(Path.Combine(from, "last.safetensors")))
        {
            tensors = content.Tensors.ToDictionary(kv => kv.Key, kv => kv.Value.clone());
            metadata = content.Metadata.Where(kv => kv.Key != "bus.sha256").ToDictionary();
        }

        change(tensors, metadata);
        Directory.CreateDirectory(to);
        SafeTensorsFile.Save(Path.Combine(to, "last.safetensors"), tensors, metadata, checksum: true);
        foreach (var t in tensors.Values) t.Dispose();
    }

    /// <summary>Retypes the first model weight (by name) to I32.</summary>
    public static void RetypeFirstWeight(Dictionary<string, Tensor> tensors, Dictionary<string, string> metadata)
    {
        string weight = tensors.Keys.Where(k => k.StartsWith("model/", StringComparison.Ordinal)).Order(StringComparer.Ordinal).First();
        var retyped = tensors[weight].to(ScalarType.Int32);
        tensors[weight].Dispose();
        tensors[weight] = retyped;
    }
}
