using System.Text.Json;
using Bus.Core.Data;
using Bus.Core.IO;
using Bus.Core.Model;
using TorchSharp;
using static TorchSharp.torch;

namespace Bus.Core.Interop;

/// <summary>
/// Exports a Bus decoder as a Hugging Face model folder and imports one back: <c>model.safetensors</c> (HF names),
/// <c>config.json</c> and, for a character vocabulary, <c>vocab.json</c>. The GPT-style family maps to
/// <c>GPT2LMHeadModel</c> (fused q|k|v <c>c_attn</c>, Conv1D [in, out] weights, exact GELU, tied or untied
/// <c>lm_head</c>). Names are listed in one table per architecture (GPT-2: the internal <c>Gpt2Layout</c>). Bus's head bias,
/// which GPT-2 lacks, is folded exactly into the final LayerNorm's bias; a model where that is impossible, or an encoder
/// (classification head), is refused with nothing written. See docs/interop.md.
/// </summary>
public static class HuggingFaceCheckpoint
{
    /// <summary>The weights file of the folder.</summary>
    public const string WeightsFile = "model.safetensors";

    /// <summary>The Hugging Face config of the folder.</summary>
    public const string ConfigFile = "config.json";

    /// <summary>The character vocabulary (symbol to id), written when the vocabulary is known.</summary>
    public const string VocabularyFile = "vocab.json";

    /// <summary>Writes <paramref name="model"/> into <paramref name="directory"/> (created if needed) as a GPT2LMHeadModel.</summary>
    /// <param name="model">A decoder (<see cref="ModelMode.Decoder"/>); encoders have no Hugging Face counterpart here.</param>
    /// <param name="directory">Target folder; existing files of the same names are replaced.</param>
    /// <param name="options">Vocabulary to write; <see cref="HuggingFaceExportOptions.Default"/> when null.</param>
    /// <exception cref="ArgumentException">The model is an encoder, the vocabulary does not fit, or the head bias cannot be carried.</exception>
    public static void Save(GrowableTransformer model, string directory, HuggingFaceExportOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentException.ThrowIfNullOrWhiteSpace(directory);
        options ??= HuggingFaceExportOptions.Default;
        var config = model.Config;
        if (config.Mode != ModelMode.Decoder)
            throw new ArgumentException(
                $"The model is an encoder with a {config.Classes}-class per-token head; Hugging Face's GPT2LMHeadModel is a causal " +
                "language model, so there is no layout to export it to. Nothing was written.", nameof(model));
        string? vocabulary = options.Vocabulary ?? (config.VocabSize == CharVocabulary.Size ? CharVocabulary.Alphabet : null);
        if (vocabulary is not null && vocabulary.Length != config.VocabSize)
            throw new ArgumentException(
                $"Vocabulary has {vocabulary.Length} symbols but the model's vocabulary size is {config.VocabSize}.", nameof(options));

        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        var own = model.named_parameters().ToDictionary(p => p.name, p => p.parameter.detach().cpu());
        var hf = new Dictionary<string, Tensor>(StringComparer.Ordinal);
        foreach (var t in Gpt2Layout.Tensors(config.Layers))
        {
            var fused = cat(t.BusNames.Select(n => own[n]).ToArray(), 0); // q|k|v stacked along the output axis
            hf[t.HfName] = (t.Conv1D ? fused.t() : fused).contiguous();   // Conv1D stores [in, out]
        }
        var headWeight = own[ParameterNames.HeadWeight];
        var embedding = own[ParameterNames.TokenEmbedding];
        bool tied = headWeight.shape.SequenceEqual(embedding.shape) && eq(headWeight, embedding).all().item<bool>();
        hf[Gpt2Layout.FinalNormBias] = HeadBiasFolding.Fold(headWeight, own[ParameterNames.FinalNormBias], own[ParameterNames.HeadBias]);
        if (!tied) hf[Gpt2Layout.LmHead] = headWeight.contiguous();

        Directory.CreateDirectory(directory);
        SafeTensorsFile.Save(Path.Combine(directory, WeightsFile), hf, new Dictionary<string, string> { ["format"] = "pt" });
        File.WriteAllText(Path.Combine(directory, ConfigFile), JsonSerializer.Serialize(Gpt2Config.ToJson(config, tied), Indented));
        if (vocabulary is not null) CharTokenizerFile.Write(Path.Combine(directory, VocabularyFile), vocabulary);
    }

    /// <summary>Reads a Hugging Face folder (config.json + model.safetensors) into a new Bus model on <paramref name="device"/>.</summary>
    /// <exception cref="DirectoryNotFoundException">The folder does not exist.</exception>
    /// <exception cref="FileNotFoundException">config.json or model.safetensors is missing.</exception>
    /// <exception cref="InvalidDataException">A config field or a tensor (name, shape) does not describe a model Bus can compute.</exception>
    public static GrowableTransformer Load(string directory, Device? device = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(directory);
        if (!Directory.Exists(directory)) throw new DirectoryNotFoundException($"Model folder '{directory}' does not exist.");
        var json = HfConfigReader.Open(Path.Combine(directory, ConfigFile));
        string modelType = json.String("model_type");
        if (modelType != Gpt2Config.ModelType)
            throw json.Unsupported("model_type", $"Bus imports \"{Gpt2Config.ModelType}\" ({Gpt2Config.Architecture})");
        var (config, tied) = Gpt2Config.FromJson(json);
        string weightsPath = Path.Combine(directory, WeightsFile);
        if (!File.Exists(weightsPath)) throw new FileNotFoundException($"'{weightsPath}' does not exist.", weightsPath);

        using var content = SafeTensorsFile.Load(weightsPath);
        var model = new GrowableTransformer(config);
        try
        {
            using var scope = NewDisposeScope();
            model.LoadWeights(ToBus(content.Tensors, model, tied, weightsPath));
        }
        catch
        {
            model.Dispose();
            throw;
        }
        if (device is not null && device.type != DeviceType.CPU) model.to(device);
        return model;
    }

    /// <summary>The vocabulary stored in the folder's vocab.json, or null when the folder has none.</summary>
    /// <exception cref="InvalidDataException">vocab.json is not a character vocabulary.</exception>
    public static string? LoadVocabulary(string directory)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(directory);
        string path = Path.Combine(directory, VocabularyFile);
        return File.Exists(path) ? CharTokenizerFile.Read(path) : null;
    }

    // HF tensors -> Bus parameters: Conv1D transposed back, fused q|k|v split, head = wte when tied, head bias zero.
    private static Dictionary<string, Tensor> ToBus(IReadOnlyDictionary<string, Tensor> hf, GrowableTransformer model, bool tied, string path)
    {
        var shapes = model.named_parameters().ToDictionary(p => p.name, p => p.parameter.shape);
        var expected = Gpt2Layout.Tensors(model.Config.Layers).ToList();
        var known = expected.Select(t => t.HfName).Append(Gpt2Layout.LmHead).ToHashSet(StringComparer.Ordinal);
        foreach (var name in hf.Keys.Order(StringComparer.Ordinal))
            if (!known.Contains(name) && !Gpt2Layout.IsMaskBuffer(name))
                throw new InvalidDataException($"'{path}': tensor '{name}' is not part of a {model.Config.Layers}-layer {Gpt2Config.Architecture}; nothing would read it.");

        var bus = new Dictionary<string, Tensor>(StringComparer.Ordinal);
        foreach (var t in expected)
        {
            var parts = t.BusNames.Select(n => shapes[n]).ToArray();
            long[] busShape = [parts.Sum(s => s[0]), .. parts[0].Skip(1)];
            long[] hfShape = t.Conv1D ? [busShape[1], busShape[0]] : busShape;
            var source = Get(hf, t.HfName, hfShape, path);
            var fused = t.Conv1D ? source.t() : source;
            var pieces = fused.split(parts.Select(s => s[0]).ToArray(), 0);
            for (int i = 0; i < pieces.Length; i++) bus[t.BusNames[i]] = pieces[i].contiguous();
        }
        long[] headShape = shapes[ParameterNames.HeadWeight];
        if (tied && hf.ContainsKey(Gpt2Layout.LmHead))
            throw new InvalidDataException($"'{path}' stores '{Gpt2Layout.LmHead}' but config.json ties it to '{Gpt2Layout.TokenEmbedding}' (tie_word_embeddings true); set tie_word_embeddings to false to use it.");
        bus[ParameterNames.HeadWeight] = tied ? bus[ParameterNames.TokenEmbedding] : Get(hf, Gpt2Layout.LmHead, headShape, path);
        bus[ParameterNames.HeadBias] = zeros(shapes[ParameterNames.HeadBias]); // GPT-2's lm_head has no bias
        return bus;
    }

    private static Tensor Get(IReadOnlyDictionary<string, Tensor> hf, string name, long[] shape, string path)
    {
        if (!hf.TryGetValue(name, out var tensor))
            throw new InvalidDataException($"'{path}' lacks tensor '{name}' (expected shape [{string.Join(", ", shape)}]).");
        if (!tensor.shape.SequenceEqual(shape))
            throw new InvalidDataException(
                $"'{path}': tensor '{name}' has shape [{string.Join(", ", tensor.shape)}], but config.json implies [{string.Join(", ", shape)}].");
        if (!tensor.is_floating_point())
            throw new InvalidDataException($"'{path}': tensor '{name}' has dtype {tensor.dtype}; weights must be floating point.");
        return tensor.to_type(float32);
    }

    private static readonly JsonSerializerOptions Indented = new() { WriteIndented = true };
}
