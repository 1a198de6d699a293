namespace Bus.Core.Interop;

/// <summary>
/// Checks the values of loaded Hugging Face tensors (float32, keyed by prefixed name) before a model is built:
/// every weight finite, a stored head identical to the embedding it is tied to, GPT-2's causal-mask buffers causal.
/// Each refusal names the tensor and the file.
/// </summary>
internal static class HfWeightCheck
{
    /// <summary>Refuses the first tensor of <paramref name="names"/> holding NaN or ±Inf (in float32).</summary>
    public static void RequireFinite(HfWeightFiles weights, IReadOnlyDictionary<string, Tensor> tensors, IEnumerable<string> names)
    {
        foreach (var name in names)
        {
            if (!tensors.TryGetValue(name, out var t)) continue;
            using var scope = NewDisposeScope();
            var bad = t.isfinite().logical_not();
            long count = bad.sum().item<long>();
            if (count == 0) continue;
            long nan = t.isnan().sum().item<long>(), first = bad.reshape(-1).nonzero()[0, 0].item<long>();
            var stored = weights.Tensors[name];
            throw new InvalidDataException(
                $"'{stored.File}': tensor '{stored.StoredName}' holds {count} non-finite values " +
                $"({nan} NaN, {count - nan} infinite, in float32; " +
                $"the first at flat index {first}); a model with such weights computes NaN logits.");
        }
    }

    /// <summary>A tied head may be stored too (transformers shares the storage) but only as an exact copy of the embedding.</summary>
    public static void RequireTiedHeadIdentical(
        HfWeightFiles weights, IReadOnlyDictionary<string, Tensor> tensors, string lmHead, string embedding)
    {
        if (!tensors.TryGetValue(lmHead, out var head)) return;
        using var scope = NewDisposeScope();
        var difference = (head - tensors[embedding]).abs().max().item<float>();
        if (difference == 0) return;
        var stored = weights.Tensors[lmHead];
        throw new InvalidDataException(
            $"'{stored.File}': tensor '{stored.StoredName}' differs from '{weights.Tensors[embedding].StoredName}' " +
            $"(max |difference| {difference:G4}), but config.json ties the head to the embedding (tie_word_embeddings true, " +
            "GPT-2's default); set it to false to import the stored head.");
    }

    /// <summary>
    /// GPT-2's <c>attn.bias</c> must be the causal mask, [1, 1, n, n] lower-triangular ones (Bus's attention is always causal),
    /// and <c>attn.masked_bias</c> one fill value; both are then dropped.
    /// </summary>
    public static void RequireCausalMasks(HfWeightFiles weights, IReadOnlyDictionary<string, Tensor> tensors)
    {
        foreach (var (name, t) in tensors)
        {
            if (!Gpt2TensorNames.IsMaskBuffer(name)) continue;
            var stored = weights.Tensors[name];
            using var scope = NewDisposeScope();
            bool ok = Gpt2TensorNames.IsMaskFill(name)
                ? t.numel() == 1
                : t.dim() == 4 && t.shape[0] == 1 && t.shape[1] == 1 && t.shape[2] == t.shape[3]
                  && t.eq(ones(t.shape[2], t.shape[3]).tril().reshape(t.shape)).all().item<bool>();
            if (!ok)
                throw new InvalidDataException(
                    $"'{stored.File}': buffer '{stored.StoredName}' (shape [{string.Join(", ", t.shape)}]) is not GPT-2's causal mask " +
                    (Gpt2TensorNames.IsMaskFill(name) ? "fill value (one element)" : "([1, 1, n, n] lower-triangular ones)") +
                    "; Bus's attention is always causal.");
        }
    }
}
