namespace Bus.Core.Training.CostModel;

/// <summary>
/// Reference-system costs (NTNG's RST tables, but measured, validated and stored with results): seconds per
/// pass keyed by (batch size, active layers, optimizer, forward-only vs forward+backward), for one sequence
/// length. Each (optimizer, forward-only) group must be a full grid of its batch sizes times its layer counts,
/// every cost positive and finite, and (unless <see cref="Validate"/> is told otherwise) non-decreasing in
/// layers and in batch size.
/// </summary>
public sealed record CostTable
{
    /// <summary>Creates a table; call <see cref="Validate"/> (or build a <see cref="CalibratedCostModel"/>) to check it.</summary>
    public CostTable(int sequenceLength, IReadOnlyList<CostTableEntry> entries, string? reference = null)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(sequenceLength);
        ArgumentNullException.ThrowIfNull(entries);
        SequenceLength = sequenceLength;
        Entries = entries.ToArray();
        Reference = reference;
    }

    /// <summary>Tokens per example the costs were measured at.</summary>
    public int SequenceLength { get; }

    /// <summary>Every measured cost.</summary>
    public IReadOnlyList<CostTableEntry> Entries { get; }

    /// <summary>Free text naming the reference system and model (device, config, date).</summary>
    public string? Reference { get; }

    /// <summary>
    /// Checks the table: at least one entry, positive finite costs, a full grid per group, and (when
    /// <paramref name="requireMonotone"/>) cost non-decreasing in layers at each batch size and in batch size
    /// at each layer count. Returns this table for chaining.
    /// </summary>
    /// <exception cref="InvalidDataException">A rule is broken; the message names the offending entries.</exception>
    public CostTable Validate(bool requireMonotone = true)
    {
        if (Entries.Count == 0) throw new InvalidDataException("The cost table has no entries.");
        var problems = new List<string>();
        foreach (var e in Entries)
        {
            if (e.BatchSize <= 0 || e.ActiveLayers < 0) problems.Add($"bad key: {e}");
            if (!double.IsFinite(e.Seconds) || e.Seconds <= 0) problems.Add($"cost not positive and finite: {e}");
            if (!e.ForwardOnly && string.IsNullOrWhiteSpace(e.Optimizer)) problems.Add($"forward+backward entry without an optimizer: {e}");
        }
        foreach (var group in Groups())
        {
            var grid = CostGrid.From(group);
            problems.AddRange(grid.Problems);
            if (requireMonotone && grid.Problems.Count == 0) problems.AddRange(grid.MonotonicityViolations());
        }
        if (problems.Count > 0)
            throw new InvalidDataException($"Invalid cost table ({problems.Count} problem(s)):{Environment.NewLine}  "
                + string.Join(Environment.NewLine + "  ", problems));
        return this;
    }

    /// <summary>The table as indented JSON.</summary>
    public string ToJson() => JsonSerializer.Serialize(new Stored(SequenceLength, Reference, Entries.ToArray()), JsonOptions);

    /// <summary>Reads and validates a table written by <see cref="ToJson"/>.</summary>
    /// <exception cref="InvalidDataException">The JSON is not a cost table, or the table is invalid.</exception>
    public static CostTable FromJson(string json, bool requireMonotone = true)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(json);
        Stored? stored;
        try { stored = JsonSerializer.Deserialize<Stored>(json, JsonOptions); }
        catch (JsonException e) { throw new InvalidDataException($"Not a cost table: {e.Message}", e); }
        if (stored?.Entries is null || stored.SequenceLength <= 0)
            throw new InvalidDataException("Not a cost table: the sequence length or the entries are missing.");
        return new CostTable(stored.SequenceLength, stored.Entries, stored.Reference).Validate(requireMonotone);
    }

    /// <summary>Writes <see cref="ToJson"/> to <paramref name="path"/> (stored with results).</summary>
    public void Save(string path)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        File.WriteAllText(path, ToJson());
    }

    /// <summary>Reads and validates a table saved with <see cref="Save"/>.</summary>
    public static CostTable Load(string path, bool requireMonotone = true)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        return FromJson(File.ReadAllText(path), requireMonotone);
    }

    internal IEnumerable<IGrouping<(string? Optimizer, bool ForwardOnly), CostTableEntry>> Groups() =>
        Entries.GroupBy(e => (e.ForwardOnly ? null : e.Optimizer, e.ForwardOnly));

    private static readonly JsonSerializerOptions JsonOptions =
        new() { WriteIndented = true, PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower };

    private sealed record Stored(int SequenceLength, string? Reference, CostTableEntry[] Entries);
}
