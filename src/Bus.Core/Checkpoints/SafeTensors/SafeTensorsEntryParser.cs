namespace Bus.Core.Checkpoints.SafeTensors;

/// <summary>Validates one tensor entry: {"dtype": ..., "shape": [...], "data_offsets": [begin, end]}.</summary>
internal static class SafeTensorsEntryParser
{
    public static SafeTensorsTensorInfo Parse(string name, JsonElement value, long dataLength, string label)
    {
        if (value.ValueKind != JsonValueKind.Object)
        {
            throw Fail(label, name, $"entry must be a JSON object, found a JSON {value.ValueKind}.");
        }

        JsonElement? dtypeElement = null, shapeElement = null, offsetsElement = null;
        foreach (var property in value.EnumerateObject())
        {
            switch (property.Name)
            {
                case "dtype" when dtypeElement is null: dtypeElement = property.Value; break;
                case "shape" when shapeElement is null: shapeElement = property.Value; break;
                case "data_offsets" when offsetsElement is null: offsetsElement = property.Value; break;
                case "dtype" or "shape" or "data_offsets":
                    throw Fail(label, name, $"key '{property.Name}' appears more than once.");
                default:
                    throw Fail(label, name, $"unexpected key '{property.Name}' (allowed: dtype, shape, data_offsets).");
            }
        }

        var dtype = ParseDType(name, dtypeElement ?? throw Fail(label, name, "missing 'dtype'."), label);
        var shape = ParseShape(name, shapeElement ?? throw Fail(label, name, "missing 'shape'."), label);
        var (begin, end) = ParseOffsets(name, offsetsElement ?? throw Fail(label, name, "missing 'data_offsets'."), label);

        long expectedBytes = ByteLength(name, dtype, shape, label);
        if (end > dataLength)
        {
            throw Fail(label, name,
                $"data_offsets end {end} is beyond the data section of {dataLength} bytes (truncated file?).");
        }

        if (end - begin != expectedBytes)
        {
            throw Fail(label, name,
                $"data_offsets [{begin}, {end}] span {end - begin} bytes but shape [{string.Join(", ", shape)}] of {dtype.Name()} needs " +
                $"{expectedBytes}.");
        }

        return new SafeTensorsTensorInfo(name, dtype, shape, begin, end);
    }

    private static SafeTensorsDType ParseDType(string name, JsonElement element, string label)
    {
        if (element.ValueKind != JsonValueKind.String)
        {
            throw Fail(label, name, $"'dtype' must be a string, found a JSON {element.ValueKind}.");
        }

        string text = element.GetString()!;
        return SafeTensorsDTypes.TryParse(text, out var dtype)
            ? dtype
            : throw Fail(label, name,
                $"unknown dtype '{text}' (supported: {string.Join(", ", Enum.GetNames<SafeTensorsDType>())}).");
    }

    private static long[] ParseShape(string name, JsonElement element, string label)
    {
        if (element.ValueKind != JsonValueKind.Array)
        {
            throw Fail(label, name, $"'shape' must be an array of non-negative integers, found a JSON {element.ValueKind}.");
        }

        int rank = element.GetArrayLength();
        if (rank > SafeTensorsHeaderParser.MaxRank)
        {
            throw Fail(label, name, $"'shape' has {rank} dimensions; at most {SafeTensorsHeaderParser.MaxRank} are supported.");
        }

        var shape = new long[rank];
        int i = 0;
        foreach (var dim in element.EnumerateArray())
        {
            if (dim.ValueKind != JsonValueKind.Number || !dim.TryGetInt64(out long size) || size < 0)
            {
                throw Fail(label, name, $"'shape' element {i} is '{dim.GetRawText()}', not a non-negative integer.");
            }

            shape[i++] = size;
        }

        return shape;
    }

    private static (long Begin, long End) ParseOffsets(string name, JsonElement element, string label)
    {
        if (element.ValueKind != JsonValueKind.Array || element.GetArrayLength() != 2)
        {
            throw Fail(label, name, $"'data_offsets' must be an array of two integers, found '{Truncate(element.GetRawText())}'.");
        }

        long begin = OffsetAt(element[0], "begin");
        long end = OffsetAt(element[1], "end");
        if (begin > end)
        {
            throw Fail(label, name, $"data_offsets begin {begin} is greater than end {end}.");
        }

        return (begin, end);

        long OffsetAt(JsonElement e, string which) =>
            e.ValueKind == JsonValueKind.Number && e.TryGetInt64(out long v) && v >= 0
                ? v
                : throw Fail(label, name, $"data_offsets {which} '{Truncate(e.GetRawText())}' is not a non-negative integer.");
    }

    private static long ByteLength(string name, SafeTensorsDType dtype, long[] shape, string label)
    {
        try
        {
            if (shape.Contains(0))
            {
                return 0;
            }

            long count = 1;
            foreach (long dim in shape)
            {
                count = checked(count * dim);
            }

            return checked(count * dtype.ElementSize());
        }
        catch (OverflowException)
        {
            throw Fail(label, name, $"shape [{string.Join(", ", shape)}] overflows the element count.");
        }
    }

    private static string Truncate(string text) => text.Length <= 64 ? text : text[..64] + "...";

    private static SafeTensorsFormatException Fail(string label, string name, string problem) => new(label, name, problem);
}
