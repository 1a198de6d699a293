using System.Runtime.InteropServices;

namespace Bus.Core.Checkpoints;

/// <summary>
/// What a run is: the initial model (family and shape), task, data (SHA-256 of the training and dev tensors),
/// optimizer, batch, learning rate, schedule, budget, seed, selector and algorithms (growth plan). Stored in every
/// checkpoint; a resume whose request has a different fingerprint is refused with the differing fields named. The
/// model's CURRENT shape is not part of it, so a checkpoint taken after a growth stage of the same plan resumes.
/// </summary>
internal sealed class RunFingerprint
{
    /// <summary>Checkpoint metadata key.</summary>
    public const string MetadataKey = "run/fingerprint";

    private RunFingerprint(SortedDictionary<string, string> fields) => Fields = fields;

    /// <summary>Field name to value.</summary>
    public IReadOnlyDictionary<string, string> Fields { get; }

    /// <summary>The fingerprint of a request.</summary>
    public static RunFingerprint Of(nn.Module<Tensor, Tensor> initialModel, string task, ITrainingData train, ITrainingData dev,
        TrainerOptions options, string optimizer, object? selector, IEnumerable<ITrainingAlgorithm> algorithms)
    {
        var fields = new SortedDictionary<string, string>(StringComparer.Ordinal);
        if (initialModel is GrowableTransformer transformer)
        {
            using var config = JsonDocument.Parse(transformer.Config.ToJson());
            foreach (var property in config.RootElement.EnumerateObject()) fields["model." + property.Name] = property.Value.ToString();
        }
        else
            fields["model"] = initialModel.GetType().Name + " "
                + string.Join(", ", initialModel.named_parameters().Select(p => $"{p.name} [{string.Join('x', p.parameter.shape)}]"));
        fields["task"] = task;
        fields["data.train"] = Describe(train);
        fields["data.dev"] = Describe(dev);
        fields["optimizer"] = optimizer;
        fields["batch"] = options.BatchSize.ToString(CultureInfo.InvariantCulture);
        fields["learningRate"] = options.LearningRate.ToString("R", CultureInfo.InvariantCulture);
        fields["weightDecay"] = options.WeightDecay.ToString("R", CultureInfo.InvariantCulture);
        fields["gradientClip"] = options.GradientClip.ToString("R", CultureInfo.InvariantCulture);
        fields["schedule"] = options.Schedule.ToString();
        fields["budget"] = options.Budget.ToString();
        fields["seed"] = options.Seed.ToString(CultureInfo.InvariantCulture);
        // absent for fp32: older checkpoints still match
        if (options.Precision != Precision.Fp32) fields["precision"] = options.Precision.Name();
        fields["selector"] = selector is null ? "none" : Describe(selector);
        // Algorithms that change training (a trait, checkpointed state or a fingerprint); pure callbacks (logging,
        // a test's cancel-at-step) may differ between a run and its resume.
        fields["algorithms"] = string.Join("; ", algorithms
            .Where(a => a.Traits != AlgorithmTraits.None || a is ICheckpointable or IFingerprinted)
            .Select(a => a.Name + (a is IFingerprinted f ? " " + f.Fingerprint : "")));
        return new RunFingerprint(fields);
    }

    /// <summary>Serialises for checkpoint metadata.</summary>
    public string ToJson() => JsonSerializer.Serialize(Fields);

    /// <summary>Reads a stored fingerprint.</summary>
    /// <exception cref="InvalidDataException">Not a fingerprint.</exception>
    public static RunFingerprint FromJson(string json, string path)
    {
        try
        {
            var fields = JsonSerializer.Deserialize<Dictionary<string, string>>(json) ?? throw new JsonException("null");
            return new RunFingerprint(new SortedDictionary<string, string>(fields, StringComparer.Ordinal));
        }
        catch (JsonException e)
        {
            throw new InvalidDataException($"Checkpoint '{path}': entry '{MetadataKey}' is not a run fingerprint.", e);
        }
    }

    /// <summary>Fields whose values differ (or exist in only one), as "field: checkpoint X, this run Y".</summary>
    public IReadOnlyList<string> Differences(RunFingerprint request) =>
        Fields.Keys.Union(request.Fields.Keys).Order(StringComparer.Ordinal)
            .Where(k => Fields.GetValueOrDefault(k) != request.Fields.GetValueOrDefault(k))
            .Select(k =>
                $"{k}: checkpoint {Fields.GetValueOrDefault(k) ?? "(none)"}, this run {request.Fields.GetValueOrDefault(k) ?? "(none)"}")
            .ToList();

    private static string Describe(object component) => component.GetType().Name
        + (component is IFingerprinted f ? " " + f.Fingerprint : "");

    /// <summary>
    /// A data set's identity: its own <see cref="IFingerprinted.Fingerprint"/> (e.g. a token stream: file hash and range),
    /// else the shape and hash of in-memory rows, else its type, size and sequence length.
    /// </summary>
    private static string Describe(ITrainingData data) => data switch
    {
        IFingerprinted f => f.Fingerprint,
        SequenceDataset rows => Describe(rows.Inputs, rows.Targets),
        _ => $"{data.GetType().Name} count {data.Count} length {data.SequenceLength?.ToString(CultureInfo.InvariantCulture) ?? "-"}",
    };

    /// <summary>Shape and SHA-256 (first 16 hex digits) of a dataset's inputs and targets.</summary>
    private static string Describe(Tensor inputs, Tensor targets)
    {
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        Append(hash, inputs);
        Append(hash, targets);
        return $"[{string.Join('x', inputs.shape)}] sha256 {Convert.ToHexStringLower(hash.GetHashAndReset())[..16]}";
    }

    private static void Append(IncrementalHash hash, Tensor t)
    {
        using var scope = NewDisposeScope();
        var cpu = t.detach().cpu().contiguous();
        if (cpu.is_floating_point()) hash.AppendData(MemoryMarshal.AsBytes(cpu.to(float64).data<double>().ToArray().AsSpan()));
        else hash.AppendData(MemoryMarshal.AsBytes(cpu.to(int64).data<long>().ToArray().AsSpan()));
    }
}

/// <summary>A resume was refused: the checkpoint was written by a run with a different fingerprint.</summary>
public sealed class ResumeMismatchException : IOException
{
    /// <summary>Creates the exception for the checkpoint at <paramref name="path"/> with the differing fields.</summary>
    public ResumeMismatchException(string path, IReadOnlyList<string> differences)
        : base(
            $"Checkpoint '{path}' belongs to a different run ({string.Join("; ", differences)}); use another checkpoint folder, or " +
            $"delete this one to start over.")
    {
        Differences = differences;
    }

    /// <summary>A rescue refused because the request changes more than the learning rate.</summary>
    internal ResumeMismatchException(string path, IReadOnlyList<string> differences, bool rescue)
        : base(rescue
            ? $"Checkpoint '{path}' cannot be rescued with these options: a rescue changes only the learning rate, and this run "
              + $"also differs in {string.Join("; ", differences)}; rerun with the stopped run's other options."
            : $"Checkpoint '{path}' belongs to a different run ({string.Join("; ", differences)}); use another checkpoint folder, "
              + "or delete this one to start over.")
    {
        Differences = differences;
    }

    /// <summary>The differing fields, as "field: checkpoint X, this run Y".</summary>
    public IReadOnlyList<string> Differences { get; }
}
