namespace Bus.MLNet.Training;

/// <summary>Reads training rows out of an <see cref="IDataView"/> into encoded inputs and per-position targets.</summary>
internal static class DataReading
{
    /// <summary>
    /// Sequence classification: encoded texts, their real-character counts and the classes (key - 1); rows with a
    /// missing key are skipped.
    /// </summary>
    public static (List<long[]> Inputs, List<int> Lengths, List<long> Labels) ReadClassification(
        IDataView data, DataViewSchema.Column text, DataViewSchema.Column label, int maxLength) =>
        ReadLabelled<uint>(data, text, label, maxLength, key => key == 0 ? null : key - 1);

    /// <summary>Binary classification: encoded texts, their real-character counts and the classes (false 0, true 1).</summary>
    public static (List<long[]> Inputs, List<int> Lengths, List<long> Labels) ReadBinary(
        IDataView data, DataViewSchema.Column text, DataViewSchema.Column label, int maxLength) =>
        ReadLabelled<bool>(data, text, label, maxLength, flag => flag ? 1 : 0);

    /// <summary>One label per row, turned into a class by <paramref name="toClass"/> (null: the row is skipped).</summary>
    private static (List<long[]> Inputs, List<int> Lengths, List<long> Labels) ReadLabelled<TLabel>(
        IDataView data, DataViewSchema.Column text, DataViewSchema.Column label, int maxLength, Func<TLabel, long?> toClass)
    {
        var inputs = new List<long[]>();
        var lengths = new List<int>();
        var labels = new List<long>();
        using var cursor = data.GetRowCursor([text, label]);
        var getText = cursor.GetGetter<ReadOnlyMemory<char>>(text);
        var getLabel = cursor.GetGetter<TLabel>(label);
        ReadOnlyMemory<char> value = default;
        TLabel raw = default!;
        while (cursor.MoveNext())
        {
            getText(ref value);
            getLabel(ref raw);
            if (toClass(raw) is not { } y) continue; // missing label
            var (ids, length) = BusText.Encode(value.ToString(), maxLength);
            inputs.Add(ids);
            lengths.Add(length);
            labels.Add(y);
        }
        return (inputs, lengths, labels);
    }

    /// <summary>
    /// Per-character task: the labels vector must have one class id per character of the text8-normalised text;
    /// texts and labels are truncated to <paramref name="maxLength"/>, padded positions target class 0.
    /// Returns the rows and the class count (largest id + 1, at least 2).
    /// </summary>
    public static (List<long[]> Inputs, List<long[]> Targets, int Classes) ReadPerCharacter(
        IDataView data, DataViewSchema.Column text, DataViewSchema.Column labels, int maxLength)
    {
        var inputs = new List<long[]>();
        var targets = new List<long[]>();
        int maxClass = 1;
        using var cursor = data.GetRowCursor([text, labels]);
        var getText = cursor.GetGetter<ReadOnlyMemory<char>>(text);
        var getLabels = cursor.GetGetter<VBuffer<float>>(labels);
        ReadOnlyMemory<char> value = default;
        VBuffer<float> buffer = default;
        long row = -1;
        while (cursor.MoveNext())
        {
            row++;
            getText(ref value);
            getLabels(ref buffer);
            string normalised = BusText.Prepare(value.ToString());
            float[] values = buffer.DenseValues().ToArray();
            if (values.Length != normalised.Length)
                throw new InvalidOperationException(
                    $"Row {row}: column '{labels.Name}' has {values.Length} labels but column '{text.Name}' has {normalised.Length} "
                    + "characters as the model reads it (see BusText.Prepare); give one label per character.");
            var target = new long[maxLength];
            for (int i = 0; i < Math.Min(values.Length, maxLength); i++)
            {
                float v = values[i];
                if (!float.IsFinite(v) || v < 0 || v != MathF.Floor(v) || v >= BusTrainerOptions.MaxClasses)
                    throw new InvalidOperationException($"Row {row}: column '{labels.Name}' holds {v} at position {i}; "
                        + $"labels must be class ids 0..{BusTrainerOptions.MaxClasses - 1}.");
                target[i] = (long)v;
                maxClass = Math.Max(maxClass, (int)v);
            }
            inputs.Add(BusText.Encode(normalised, maxLength).Ids);
            targets.Add(target);
        }
        return (inputs, targets, maxClass + 1);
    }

    /// <summary>Class names from the label column's KeyValues annotation (text), or "0".."K-1" when it has none.</summary>
    public static string[] ClassNames(DataViewSchema.Column label, int classes)
    {
        var kind = label.Annotations.Schema.GetColumnOrNull(AnnotationKinds.KeyValues);
        if (kind is { Type: VectorDataViewType { ItemType: TextDataViewType } })
        {
            VBuffer<ReadOnlyMemory<char>> names = default;
            label.Annotations.GetValue(AnnotationKinds.KeyValues, ref names);
            var dense = names.DenseValues().Select(n => n.ToString()).ToArray();
            if (dense.Length == classes) return dense;
        }
        return Enumerable.Range(0, classes).Select(i => i.ToString(System.Globalization.CultureInfo.InvariantCulture)).ToArray();
    }
}

/// <summary>ML.NET annotation kinds used here.</summary>
internal static class AnnotationKinds
{
    public const string KeyValues = "KeyValues";
}
