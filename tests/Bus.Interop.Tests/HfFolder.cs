namespace Bus.Interop.Tests;

/// <summary>
/// Hugging Face folders edited into the forms transformers and the Hub write (written by hand from Hugging Face's
/// definitions: no transformers package here): config.json fields and model.safetensors tensors changed in place.
/// </summary>
internal static class HfFolder
{
    public static void EditConfig(string dir, Action<JsonObject> edit)
    {
        string path = Path.Combine(dir, HuggingFaceCheckpoint.ConfigFile);
        var json = JsonNode.Parse(File.ReadAllText(path))!.AsObject();
        edit(json);
        File.WriteAllText(path, json.ToJsonString());
    }

    public static void EditWeights(string dir, Action<Dictionary<string, Tensor>> edit)
    {
        string path = Path.Combine(dir, HuggingFaceCheckpoint.WeightsFile);
        Dictionary<string, Tensor> tensors;
        using (var file = SafeTensorsFile.Load(path)) tensors = file.Tensors.ToDictionary(kv => kv.Key, kv => kv.Value.clone());
        edit(tensors);
        SafeTensorsFile.Save(path, tensors, new Dictionary<string, string> { ["format"] = "pt" });
    }

    /// <summary>
    /// A GPT-style Bus decoder whose head is the token embedding with a zero bias, so export writes it tied (as GPT-2 is).
    /// </summary>
    public static GrowableTransformer TiedGpt(TransformerConfig config, long seed)
    {
        var model = Models.Random(config, seed);
        var parameters = model.named_parameters().ToDictionary(p => p.name, p => p.parameter);
        using var noGrad = no_grad();
        parameters[ParameterNames.HeadWeight].copy_(parameters[ParameterNames.TokenEmbedding]);
        parameters[ParameterNames.HeadBias].zero_();
        return model;
    }

    /// <summary>
    /// Rewrites an exported GPT-2 folder the way the Hub's original gpt2 files are: names without <c>transformer.</c>, and
    /// per block the causal-mask buffers <c>attn.bias</c> ([1, 1, n_positions, n_positions] lower-triangular ones) and
    /// <c>attn.masked_bias</c> (the scalar -1e4).
    /// </summary>
    public static void ToHubGpt2Layout(string dir, int layers, int positions) => EditWeights(dir, t =>
    {
        foreach (var name in t.Keys.Where(k => k.StartsWith("transformer.", StringComparison.Ordinal)).ToList())
        {
            t[name["transformer.".Length..]] = t[name];
            t.Remove(name);
        }
        for (int l = 0; l < layers; l++)
        {
            t[$"h.{l}.attn.bias"] = ones(positions, positions).tril().reshape(1, 1, positions, positions);
            t[$"h.{l}.attn.masked_bias"] = tensor(-1e4f);
        }
    });

    /// <summary>Logits of the original and the imported model on the same tokens, relative difference.</summary>
    public static double LogitDifference(GrowableTransformer original, GrowableTransformer imported, long seed)
    {
        using var tokens = Models.Tokens(original.Config, seed);
        using var before = Models.Logits(original, tokens);
        using var after = Models.Logits(imported, tokens);
        return Models.RelativeDifference(after, before);
    }
}
