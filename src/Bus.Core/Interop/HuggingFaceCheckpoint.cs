namespace Bus.Core.Interop;

/// <summary>
/// Exports a Bus decoder as a Hugging Face model folder and imports one back: <c>model.safetensors</c> (HF names),
/// <c>config.json</c> and, for a character vocabulary, <c>vocab.json</c>. The GPT-style family maps to
/// <c>GPT2LMHeadModel</c> (fused q|k|v <c>c_attn</c>, Conv1D [in, out] weights, exact GELU, tied or untied <c>lm_head</c>);
/// the Llama-style family to <c>LlamaForCausalLM</c> (q/k/v/o and gate/up/down projections, RMSNorm, rotate_half RoPE,
/// grouped-query attention, tied or untied head). Names are listed in one table per architecture (internal
/// <c>Gpt2TensorNames</c> and <c>LlamaTensorNames</c>). Bus's GPT head bias, which GPT-2 lacks, is folded exactly into the final
/// LayerNorm's bias; a model where that is impossible, or an encoder (classification head), is refused with nothing
/// written. See docs/interop.md.
/// </summary>
public static class HuggingFaceCheckpoint
{
    /// <summary>The weights file of the folder.</summary>
    public const string WeightsFile = "model.safetensors";

    /// <summary>The Hugging Face config of the folder.</summary>
    public const string ConfigFile = "config.json";

    /// <summary>The character vocabulary (symbol to id), written when the vocabulary is known.</summary>
    public const string VocabularyFile = "vocab.json";

    /// <summary>Writes <paramref name="model"/> into <paramref name="directory"/> (created if needed) as a GPT2LMHeadModel or
    /// LlamaForCausalLM.</summary>
    /// <param name="model">A decoder (<see cref="ModelMode.Decoder"/>); encoders have no Hugging Face counterpart here.</param>
    /// <param name="directory">Target folder; existing files of the same names are replaced.</param>
    /// <param name="options">Vocabulary to write; <see cref="HuggingFaceExportOptions.Default"/> when null.</param>
    /// <exception cref="ArgumentException">The model is an encoder, the vocabulary does not fit, or a GPT head bias cannot be
    /// carried.</exception>
    public static void Save(GrowableTransformer model, string directory, HuggingFaceExportOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentException.ThrowIfNullOrWhiteSpace(directory);
        options ??= HuggingFaceExportOptions.Default;
        var config = model.Config;
        bool llama = config.Architecture == ModelArchitecture.Llama;
        if (config.Mode != ModelMode.Decoder)
            throw new ArgumentException(
                $"The model is an encoder with a {config.Classes}-class per-token head; Hugging Face's " +
                $"{(llama ? LlamaConfig.Architecture : Gpt2Config.Architecture)} is a causal language model, so there is no layout to " +
                "export it to. Nothing was written.", nameof(model));
        string? vocabulary = options.Vocabulary ?? (config.VocabSize == CharVocabulary.Size ? CharVocabulary.Alphabet : null);
        if (vocabulary is not null && vocabulary.Length != config.VocabSize)
            throw new ArgumentException(
                $"Vocabulary has {vocabulary.Length} symbols but the model's vocabulary size is {config.VocabSize}.", nameof(options));

        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        var own = model.named_parameters().ToDictionary(p => p.name, p => p.parameter.detach().cpu());
        var hf = new Dictionary<string, Tensor>(StringComparer.Ordinal);
        foreach (var t in llama ? LlamaTensorNames.Tensors(config) : Gpt2TensorNames.Tensors(config))
        {
            var fused = cat(t.BusNames.Select(n => own[n]).ToArray(), 0); // GPT-2: q|k|v stacked along the output axis
            hf[t.HfName] = (t.Conv1D ? fused.t() : fused).contiguous();   // Conv1D stores [in, out]
        }
        Dictionary<string, object?> json;
        if (llama)
        {
            if (!config.TieEmbeddings) hf[LlamaTensorNames.LmHead] = own[ParameterNames.HeadWeight].contiguous();
            json = LlamaConfig.ToJson(config);
        }
        else
        {
            var headWeight = own[ParameterNames.HeadWeight];
            var embedding = own[ParameterNames.TokenEmbedding];
            bool tied = headWeight.shape.SequenceEqual(embedding.shape) && eq(headWeight, embedding).all().item<bool>();
            hf[Gpt2TensorNames.FinalNormBias] =
                HeadBiasFolding.Fold(headWeight, own[ParameterNames.FinalNormBias], own[ParameterNames.HeadBias]);
            if (!tied) hf[Gpt2TensorNames.LmHead] = headWeight.contiguous();
            json = Gpt2Config.ToJson(config, tied);
        }

        Directory.CreateDirectory(directory);
        SafeTensorsFile.Save(Path.Combine(directory, WeightsFile), hf, new Dictionary<string, string> { ["format"] = "pt" });
        File.WriteAllText(Path.Combine(directory, ConfigFile), JsonSerializer.Serialize(json, Indented));
        if (vocabulary is not null) CharTokenizerFile.Write(Path.Combine(directory, VocabularyFile), vocabulary);
    }

    /// <summary>Reads a Hugging Face folder (config.json + model.safetensors) into a new Bus model on <paramref name="device"/>.</summary>
    /// <remarks>
    /// The weights may also be shards listed by model.safetensors.index.json. Order: config.json; the safetensors header(s)
    /// checked against it (every size config.json gives must match the stored shapes, so nothing is allocated for a config
    /// the weights do not back); the tensors loaded and checked (finite; a stored tied head identical to the embedding;
    /// GPT-2's mask buffers causal); only then the model. See docs/interop.md, "What import reads".
    /// </remarks>
    /// <exception cref="DirectoryNotFoundException">The folder does not exist.</exception>
    /// <exception cref="FileNotFoundException">config.json or the weights are missing.</exception>
    /// <exception cref="InvalidDataException">
    /// A config field or a tensor (name, shape, value) does not describe a model Bus can compute.
    /// </exception>
    public static GrowableTransformer Load(string directory, Device? device = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(directory);
        if (!Directory.Exists(directory)) throw new DirectoryNotFoundException($"Model folder '{directory}' does not exist.");
        var json = HfConfigReader.Open(Path.Combine(directory, ConfigFile));
        string modelType = json.String("model_type");
        TransformerConfig config;
        bool tiedGpt2 = false;
        if (modelType == Gpt2Config.ModelType) (config, tiedGpt2) = Gpt2Config.FromJson(json);
        else if (modelType == LlamaConfig.ModelType) config = LlamaConfig.FromJson(json);
        else throw json.Unsupported(
            "model_type", $"Bus imports \"{Gpt2Config.ModelType}\" ({Gpt2Config.Architecture}) and \"{LlamaConfig.ModelType}\" " +
                          $"({LlamaConfig.Architecture})");
        if (json.Has("quantization_config"))
            throw json.Unsupported("quantization_config", "Bus imports float weights (F32, F16, BF16, F64), not quantized ones");
        bool llama = config.Architecture == ModelArchitecture.Llama;
        var layout = llama ? LlamaLayout(config) : Gpt2Layout(config, tiedGpt2);

        var weights = HfWeightFiles.Open(directory, llama ? LlamaTensorNames.Prefix : Gpt2TensorNames.Prefix,
            new HashSet<string>(StringComparer.Ordinal) { layout.LmHead });
        HfShapeCheck.Check(weights, layout);
        var parameters = layout.Table.Select(t => t.HfName).Append(layout.LmHead).ToList();
        var buffers = weights.Tensors.Keys.Where(n => !llama && Gpt2TensorNames.IsMaskBuffer(n));
        var wanted = parameters.Concat(buffers).ToHashSet(StringComparer.Ordinal);
        var hf = weights.Load(wanted);
        try
        {
            HfWeightCheck.RequireFinite(weights, hf, parameters);
            if (layout.Tied) HfWeightCheck.RequireTiedHeadIdentical(weights, hf, layout.LmHead, layout.Table[0].HfName);
            if (!llama) HfWeightCheck.RequireCausalMasks(weights, hf);
            var model = new GrowableTransformer(config);
            try
            {
                using var scope = NewDisposeScope();
                model.LoadWeights(llama ? LlamaToBus(hf, model) : Gpt2ToBus(hf, model, tiedGpt2));
            }
            catch
            {
                model.Dispose();
                throw;
            }
            if (device is not null && device.type != DeviceType.CPU) model.to(device);
            return model;
        }
        finally
        {
            foreach (var t in hf.Values) t.Dispose();
        }
    }

    /// <summary>The vocabulary stored in the folder's vocab.json, or null when the folder has none.</summary>
    /// <exception cref="InvalidDataException">vocab.json is not a character vocabulary.</exception>
    public static string? LoadVocabulary(string directory)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(directory);
        string path = Path.Combine(directory, VocabularyFile);
        return File.Exists(path) ? CharTokenizerFile.Read(path) : null;
    }

    private static HfLayout Gpt2Layout(TransformerConfig config, bool tied) => new(
        Gpt2Config.Architecture, Gpt2TensorNames.Tensors(config).ToList(), Gpt2TensorNames.LmHead,
        Gpt2TensorNames.LmHeadShape(config), tied,
        config.Layers, "n_layer", Gpt2TensorNames.Prefix + "h.", Gpt2TensorNames.IsMaskBuffer);

    private static HfLayout LlamaLayout(TransformerConfig config) => new(
        LlamaConfig.Architecture, LlamaTensorNames.Tensors(config).ToList(), LlamaTensorNames.LmHead, LlamaTensorNames.LmHeadShape(config),
        config.TieEmbeddings, config.Layers, "num_hidden_layers", LlamaTensorNames.Prefix + "layers.", LlamaTensorNames.IsRotaryBuffer);

    // GPT-2 -> Bus: the table's tensors, head = wte when tied (Bus's GPT head is a separate copy), head bias zero.
    private static Dictionary<string, Tensor> Gpt2ToBus(IReadOnlyDictionary<string, Tensor> hf, GrowableTransformer model, bool tied)
    {
        var bus = FromTable(hf, Gpt2TensorNames.Tensors(model.Config), model);
        var shapes = Shapes(model);
        bus[ParameterNames.HeadWeight] = tied
            ? bus[ParameterNames.TokenEmbedding]
            : Get(hf, Gpt2TensorNames.LmHead, shapes[ParameterNames.HeadWeight]);
        bus[ParameterNames.HeadBias] = zeros(shapes[ParameterNames.HeadBias]); // GPT-2's lm_head has no bias
        return bus;
    }

    // Llama -> Bus: one to one; the head only when untied (Bus's tied Llama has no head parameter).
    private static Dictionary<string, Tensor> LlamaToBus(IReadOnlyDictionary<string, Tensor> hf, GrowableTransformer model)
    {
        var bus = FromTable(hf, LlamaTensorNames.Tensors(model.Config), model);
        if (!model.Config.TieEmbeddings)
            bus[ParameterNames.HeadWeight] = Get(hf, LlamaTensorNames.LmHead, Shapes(model)[ParameterNames.HeadWeight]);
        return bus;
    }

    // Every table tensor (already checked against the header by HfShapeCheck), Conv1D transposed back, fused tensors split.
    private static Dictionary<string, Tensor> FromTable(
        IReadOnlyDictionary<string, Tensor> hf, IEnumerable<HfTensor> table, GrowableTransformer model)
    {
        var shapes = Shapes(model);
        var bus = new Dictionary<string, Tensor>(StringComparer.Ordinal);
        foreach (var t in table)
        {
            var parts = t.BusNames.Select(n => shapes[n]).ToArray();
            long[] busShape = [parts.Sum(s => s[0]), .. parts[0].Skip(1)];
            long[] hfShape = t.Conv1D ? [busShape[1], busShape[0]] : busShape;
            var source = Get(hf, t.HfName, hfShape);
            var fused = t.Conv1D ? source.t() : source;
            var pieces = fused.split(parts.Select(s => s[0]).ToArray(), 0);
            for (int i = 0; i < pieces.Length; i++) bus[t.BusNames[i]] = pieces[i].contiguous();
        }
        return bus;
    }

    private static Dictionary<string, long[]> Shapes(GrowableTransformer model) =>
        model.named_parameters().ToDictionary(p => p.name, p => p.parameter.shape);

    // The name tables and Bus's parameters agree by construction; a mismatch here is a Bus bug, not bad input.
    private static Tensor Get(IReadOnlyDictionary<string, Tensor> hf, string name, long[] shape) =>
        hf.TryGetValue(name, out var tensor) && tensor.shape.SequenceEqual(shape)
            ? tensor
            : throw new InvalidOperationException(
                $"Internal: tensor '{name}' should have been checked to have shape [{string.Join(", ", shape)}].");

    private static readonly JsonSerializerOptions Indented = new() { WriteIndented = true };
}
