namespace Bus.Core.Checkpoints;

/// <summary>
/// Saves and loads a <see cref="GrowableTransformer"/> as one safetensors file: the weights under their
/// canonical names, and the config as JSON in the metadata key <see cref="ConfigKey"/>. PyTorch users read
/// it with <c>safetensors.torch.load_file</c> and <c>safe_open(...).metadata()["bus.config"]</c>.
/// </summary>
public static class ModelCheckpoint
{
    /// <summary>Metadata key holding the <see cref="TransformerConfig"/> JSON.</summary>
    public const string ConfigKey = "bus.config";

    /// <summary>Metadata key holding the format name and version.</summary>
    public const string FormatKey = "bus.format";

    /// <summary>Current format tag.</summary>
    public const string Format = "bus-transformer/1";

    /// <summary>Writes <paramref name="model"/> to <paramref name="path"/> atomically; extra metadata is kept alongside.</summary>
    public static void Save(GrowableTransformer model, string path, IReadOnlyDictionary<string, string>? metadata = null)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        var meta = new Dictionary<string, string>(metadata ?? new Dictionary<string, string>())
        {
            [ConfigKey] = model.Config.ToJson(),
            [FormatKey] = Format,
        };
        using var noGrad = no_grad();
        var weights = model.named_parameters().ToDictionary(p => p.name, p => (Tensor)p.parameter);
        SafeTensorsFile.Save(path, weights, meta);
    }

    /// <summary>Reads a checkpoint written by <see cref="Save"/> into a new model on <paramref name="device"/>.</summary>
    /// <exception cref="SafeTensorsFormatException">The file is not valid safetensors.</exception>
    /// <exception cref="InvalidDataException">
    /// The file lacks the Bus config, or its weights do not fit the config (names, shapes, dtypes).
    /// </exception>
    public static GrowableTransformer Load(string path, Device? device = null)
    {
        using var content = SafeTensorsFile.Load(path);
        if (!content.Metadata.TryGetValue(ConfigKey, out var json))
            throw new InvalidDataException($"'{path}' has no '{ConfigKey}' metadata: it is not a Bus model checkpoint.");
        TransformerConfig config;
        try { config = TransformerConfig.FromJson(json); }
        catch (Exception e) when (e is ArgumentException or System.Text.Json.JsonException)
        {
            throw new InvalidDataException($"'{path}' has an invalid '{ConfigKey}': {e.Message}", e);
        }
        var model = new GrowableTransformer(config);
        if (WeightDTypes.FirstMismatch(model, content.Tensors) is var (name, found, expected))
        {
            model.Dispose();
            throw new InvalidDataException($"'{path}': tensor '{name}' has dtype {found}; the model parameter's is {expected}.");
        }
        try { model.LoadWeights(content.Tensors); }
        catch (ArgumentException e)
        {
            model.Dispose();
            throw new InvalidDataException($"'{path}' weights do not match its config: {e.Message}", e);
        }
        if (device is not null && device.type != DeviceType.CPU) model.to(device);
        return model;
    }
}
