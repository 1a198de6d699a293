using System.Text.Unicode;

namespace Bus.Core.Checkpoints.SafeTensors;

/// <summary>Validates the JSON header of a safetensors file; every failure is a <see cref="SafeTensorsFormatException"/>.</summary>
internal static class SafeTensorsHeaderParser
{
    /// <summary>Root object, tensor object, shape array: 3 levels; anything deeper is malformed.</summary>
    private const int MaxJsonDepth = 3;

    /// <summary>Upper bound on tensor rank, far above any real model and below native limits.</summary>
    internal const int MaxRank = 64;

    private static readonly JsonDocumentOptions Options = new()
    {
        MaxDepth = MaxJsonDepth,
        AllowTrailingCommas = false,
        CommentHandling = JsonCommentHandling.Disallow,
    };

    public static SafeTensorsHeader Parse(ReadOnlySpan<byte> json, long headerLength, long dataLength, string label)
    {
        if (!Utf8.IsValid(json))
        {
            throw new SafeTensorsFormatException(label, null, "header is not valid UTF-8.");
        }

        if (json[0] != (byte)'{')
        {
            throw new SafeTensorsFormatException(label, null, "header does not start with '{'.");
        }

        try
        {
            using var document = JsonDocument.Parse(json.ToArray(), Options);
            return ParseRoot(document.RootElement, headerLength, dataLength, label);
        }
        catch (Exception e) when (e is JsonException or InvalidOperationException or FormatException or ArgumentException)
        {
            throw new SafeTensorsFormatException(label, null, $"header is not valid JSON: {e.Message}", e);
        }
    }

    private static SafeTensorsHeader ParseRoot(JsonElement root, long headerLength, long dataLength, string label)
    {
        if (root.ValueKind != JsonValueKind.Object)
        {
            throw new SafeTensorsFormatException(label, null, $"header is a JSON {root.ValueKind}, not an object.");
        }

        var names = new HashSet<string>(StringComparer.Ordinal);
        var tensors = new List<SafeTensorsTensorInfo>();
        IReadOnlyDictionary<string, string> metadata = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var property in root.EnumerateObject())
        {
            if (!names.Add(property.Name))
            {
                throw new SafeTensorsFormatException(label, property.Name, "name appears more than once in the header.");
            }

            if (property.Name == SafeTensorsHeader.MetadataKey)
            {
                metadata = ParseMetadata(property.Value, label);
            }
            else
            {
                tensors.Add(SafeTensorsEntryParser.Parse(property.Name, property.Value, dataLength, label));
            }
        }

        CheckLayout(tensors, dataLength, label);
        tensors.Sort((a, b) => string.CompareOrdinal(a.Name, b.Name));
        return new SafeTensorsHeader(headerLength, dataLength, tensors, metadata);
    }

    private static Dictionary<string, string> ParseMetadata(JsonElement value, string label)
    {
        const string key = SafeTensorsHeader.MetadataKey;
        if (value.ValueKind != JsonValueKind.Object)
        {
            throw new SafeTensorsFormatException(label, key, $"must be a string-to-string object, found a JSON {value.ValueKind}.");
        }

        var metadata = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var entry in value.EnumerateObject())
        {
            if (entry.Value.ValueKind != JsonValueKind.String)
            {
                throw new SafeTensorsFormatException(label, key,
                    $"entry '{entry.Name}' must be a string, found a JSON {entry.Value.ValueKind}.");
            }

            if (!metadata.TryAdd(entry.Name, entry.Value.GetString()!))
            {
                throw new SafeTensorsFormatException(label, key, $"entry '{entry.Name}' appears more than once.");
            }
        }

        return metadata;
    }

    /// <summary>The tensor byte ranges must tile the data section exactly: no overlap, no gap, no trailing bytes.</summary>
    private static void CheckLayout(List<SafeTensorsTensorInfo> tensors, long dataLength, string label)
    {
        var byOffset = tensors.OrderBy(t => t.DataBegin).ThenBy(t => t.DataEnd).ToList();
        long expected = 0;
        SafeTensorsTensorInfo? previous = null;
        foreach (var tensor in byOffset)
        {
            if (tensor.DataBegin < expected)
            {
                throw new SafeTensorsFormatException(label, tensor.Name,
                    $"data_offsets [{tensor.DataBegin}, {tensor.DataEnd}] overlap tensor '{previous!.Name}' [{previous.DataBegin}, " +
                    $"{previous.DataEnd}].");
            }

            if (tensor.DataBegin > expected)
            {
                throw new SafeTensorsFormatException(label, tensor.Name,
                    $"data_offsets begin at {tensor.DataBegin}, leaving a gap after byte {expected} of the data section.");
            }

            expected = tensor.DataEnd;
            previous = tensor;
        }

        if (expected != dataLength)
        {
            throw new SafeTensorsFormatException(label, null,
                $"data section is {dataLength} bytes but the tensors cover only {expected}; trailing bytes are not allowed.");
        }
    }
}
