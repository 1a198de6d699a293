namespace Bus.Core.Interop;

/// <summary>One tensor of a Hugging Face folder as its safetensors header describes it.</summary>
/// <param name="StoredName">The name in the file (before the architecture prefix is added).</param>
/// <param name="File">The safetensors file that holds it.</param>
/// <param name="Info">Its dtype, shape and byte range.</param>
internal sealed record HfStoredTensor(string StoredName, string File, SafeTensorsTensorInfo Info);

/// <summary>
/// The weights of a Hugging Face folder read header first: <c>model.safetensors</c>, or the shards listed by
/// <c>model.safetensors.index.json</c> (transformers' <c>save_pretrained</c> above <c>max_shard_size</c>). Names are keyed
/// with the architecture's prefix (<c>transformer.</c>, <c>model.</c>) whether or not the file stores it, as transformers
/// loads a base-model checkpoint (the Hub's original GPT-2: <c>h.0.attn.c_attn.weight</c>, <c>wte.weight</c>). Nothing is
/// allocated until <see cref="Load"/>.
/// </summary>
internal sealed class HfWeightFiles
{
    /// <summary>The index transformers writes next to sharded weights.</summary>
    public const string IndexFile = "model.safetensors.index.json";

    private HfWeightFiles(IReadOnlyDictionary<string, HfStoredTensor> tensors, string label)
    {
        Tensors = tensors;
        Label = label;
    }

    /// <summary>Every tensor by its prefixed name.</summary>
    public IReadOnlyDictionary<string, HfStoredTensor> Tensors { get; }

    /// <summary>The weights file (or the index of the shards), for messages.</summary>
    public string Label { get; }

    /// <summary>Reads and cross-checks the header(s) of the folder's weights.</summary>
    /// <param name="directory">The model folder.</param>
    /// <param name="prefix">The architecture's name prefix; names without it (other than <paramref name="unprefixed"/>) get it.</param>
    /// <param name="unprefixed">Names that never carry the prefix (<c>lm_head.weight</c>).</param>
    /// <exception cref="FileNotFoundException">Neither model.safetensors nor a shard index is present, or a shard is missing.</exception>
    /// <exception cref="InvalidDataException">
    /// The index and the shards disagree, or a name is stored both with and without the prefix.
    /// </exception>
    public static HfWeightFiles Open(string directory, string prefix, IReadOnlySet<string> unprefixed)
    {
        string single = Path.Combine(directory, HuggingFaceCheckpoint.WeightsFile), index = Path.Combine(directory, IndexFile);
        bool sharded = !File.Exists(single);
        if (sharded && !File.Exists(index))
            throw new FileNotFoundException(
                $"'{single}' does not exist (nor a shard index {IndexFile}); Bus reads safetensors weights " +
                "(convert a pytorch_model.bin first).", single);
        var weightMap = sharded ? ReadWeightMap(index) : null;
        string[] files = weightMap is null ? [single] : Shards(directory, index, weightMap);
        string label = sharded ? index : single;
        var tensors = new Dictionary<string, HfStoredTensor>(StringComparer.Ordinal);
        foreach (var file in files)
        {
            foreach (var info in SafeTensorsFile.ReadHeader(file).Tensors)
            {
                if (weightMap is not null && (!weightMap.TryGetValue(info.Name, out var listed) || listed != Path.GetFileName(file)))
                    throw new InvalidDataException(
                        $"'{index}' does not list tensor '{info.Name}' under '{Path.GetFileName(file)}', which stores it.");
                bool keep = unprefixed.Contains(info.Name) || info.Name.StartsWith(prefix, StringComparison.Ordinal);
                string key = keep ? info.Name : prefix + info.Name;
                if (!tensors.TryAdd(key, new HfStoredTensor(info.Name, file, info)))
                    throw new InvalidDataException(
                        $"'{label}' stores '{tensors[key].StoredName}' and '{info.Name}', both read as '{key}'; " +
                        "which one holds the weights is unclear.");
            }
        }
        var stored = tensors.Values.Select(t => t.StoredName).ToHashSet(StringComparer.Ordinal);
        if (weightMap?.Keys.FirstOrDefault(n => !stored.Contains(n)) is { } absent)
            throw new InvalidDataException($"'{index}' lists tensor '{absent}' under '{weightMap[absent]}', which does not store it.");
        return new HfWeightFiles(tensors, label);
    }

    /// <summary>Loads <paramref name="names"/> (prefixed) as float32 CPU tensors, file by file; the caller disposes them.</summary>
    public Dictionary<string, Tensor> Load(IReadOnlySet<string> names)
    {
        var result = new Dictionary<string, Tensor>(StringComparer.Ordinal);
        try
        {
            foreach (var group in Tensors.Where(t => names.Contains(t.Key)).GroupBy(t => t.Value.File))
            {
                using var content = SafeTensorsFile.Load(group.Key);
                foreach (var (key, stored) in group)
                    result[key] = content.Tensors[stored.StoredName].to_type(ScalarType.Float32, copy: true);
            }
            return result;
        }
        catch
        {
            foreach (var t in result.Values) t.Dispose();
            throw;
        }
    }

    private static string[] Shards(string directory, string index, Dictionary<string, string> weightMap)
    {
        var files = new List<string>();
        foreach (var shard in weightMap.Values.Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal))
        {
            if (shard.Length == 0 || Path.GetFileName(shard) != shard || shard is "." or "..")
                throw new InvalidDataException($"'{index}': shard '{shard}' is not a file name in the model folder.");
            string path = Path.Combine(directory, shard);
            if (!File.Exists(path)) throw new FileNotFoundException($"'{index}' lists shard '{shard}', which does not exist.", path);
            files.Add(path);
        }
        return [.. files];
    }

    private static Dictionary<string, string> ReadWeightMap(string index)
    {
        try
        {
            using var document = JsonDocument.Parse(File.ReadAllText(index));
            if (document.RootElement.ValueKind != JsonValueKind.Object
                || !document.RootElement.TryGetProperty("weight_map", out var map) || map.ValueKind != JsonValueKind.Object)
                throw new InvalidDataException($"'{index}' has no 'weight_map' object (tensor name -> shard file).");
            var result = new Dictionary<string, string>(StringComparer.Ordinal);
            foreach (var entry in map.EnumerateObject())
            {
                if (entry.Value.ValueKind != JsonValueKind.String)
                    throw new InvalidDataException($"'{index}': weight_map entry '{entry.Name}' must be a shard file name (a string).");
                if (!result.TryAdd(entry.Name, entry.Value.GetString()!))
                    throw new InvalidDataException($"'{index}': weight_map lists '{entry.Name}' more than once.");
            }
            if (result.Count == 0) throw new InvalidDataException($"'{index}': weight_map is empty.");
            return result;
        }
        catch (JsonException e)
        {
            throw new InvalidDataException($"'{index}' is not valid JSON: {e.Message}", e);
        }
    }
}
