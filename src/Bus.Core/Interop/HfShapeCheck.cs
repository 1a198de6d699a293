using System.Text.RegularExpressions;

namespace Bus.Core.Interop;

/// <summary>What a Hugging Face architecture's files must hold, for <see cref="HfShapeCheck"/>.</summary>
/// <param name="Architecture">The HF class, for messages (<c>GPT2LMHeadModel</c>).</param>
/// <param name="Table">Every tensor but the head, with the shapes config.json implies.</param>
/// <param name="LmHead">The head's name.</param>
/// <param name="LmHeadShape">The head's shape, whether it must be stored (untied) or may be (tied, identical to the embedding).</param>
/// <param name="Tied">Whether config.json ties the head to the embedding.</param>
/// <param name="Layers">The number of blocks config.json gives.</param>
/// <param name="LayersField">The config field giving it (<c>n_layer</c>).</param>
/// <param name="BlockPrefix">Names of block i start with BlockPrefix + i + "." (<c>transformer.h.</c>).</param>
/// <param name="IsBuffer">Non-weight buffers some files store, not part of the table.</param>
internal sealed record HfLayout(
    string Architecture, IReadOnlyList<HfTensor> Table, string LmHead, IReadOnlyList<HfDim> LmHeadShape, bool Tied,
    int Layers, string LayersField, string BlockPrefix, Func<string, bool> IsBuffer);

/// <summary>
/// Checks the safetensors header(s) of a Hugging Face folder against config.json before any tensor or model is
/// allocated: every expected tensor present with the implied shape and a float dtype, nothing unknown. config.json's
/// sizes are never trusted on their own: a size that disagrees with the stored weights is refused naming the field and
/// the tensor, so a small folder with a huge config costs nothing.
/// </summary>
internal static class HfShapeCheck
{
    private static readonly SafeTensorsDType[] Floats =
        [SafeTensorsDType.F32, SafeTensorsDType.F64, SafeTensorsDType.F16, SafeTensorsDType.BF16];

    /// <summary>Throws <see cref="InvalidDataException"/> at the first tensor that disagrees with <paramref name="layout"/>.</summary>
    public static void Check(HfWeightFiles weights, HfLayout layout)
    {
        var stored = weights.Tensors;
        int blocksStored = BlocksStored(stored.Keys, layout.BlockPrefix);
        int layers = layout.Layers;
        foreach (var t in layout.Table)
        {
            if (!stored.TryGetValue(t.HfName, out var found))
            {
                int block = BlockOf(t.HfName, layout.BlockPrefix);
                if (block >= blocksStored)
                    throw new InvalidDataException(
                        $"'{weights.Label}' stores {blocksStored} block{(blocksStored == 1 ? "" : "s")} but config.json's " +
                        $"{layout.LayersField} = {layers}: tensor '{t.HfName}' is missing.");
                throw new InvalidDataException(
                    $"'{weights.Label}' lacks tensor '{t.HfName}' (expected shape [{Join(t.Shape.Select(d => d.Size))}]).");
            }
            RequireShape(found, t.Shape);
        }
        if (stored.TryGetValue(layout.LmHead, out var head)) RequireShape(head, layout.LmHeadShape);
        else if (!layout.Tied)
            throw new InvalidDataException(
                $"'{weights.Label}' lacks tensor '{layout.LmHead}' " +
                $"(expected shape [{Join(layout.LmHeadShape.Select(d => d.Size))}]), which " +
                "config.json's tie_word_embeddings = false requires.");
        var known = layout.Table.Select(t => t.HfName).Append(layout.LmHead).ToHashSet(StringComparer.Ordinal);
        foreach (var (name, t) in stored.OrderBy(kv => kv.Key, StringComparer.Ordinal))
        {
            if (known.Contains(name) || layout.IsBuffer(name)) continue;
            string why = BlockOf(name, layout.BlockPrefix) >= layers ? $" (config.json's {layout.LayersField} = {layers})" : "";
            throw new InvalidDataException(
                $"'{t.File}': tensor '{t.StoredName}' is not part of a {layers}-layer {layout.Architecture}{why}; nothing would read it.");
        }
    }

    private static void RequireShape(HfStoredTensor t, IReadOnlyList<HfDim> expected)
    {
        var shape = t.Info.Shape;
        string prefix = $"'{t.File}': tensor '{t.StoredName}' has shape [{Join(shape)}], " +
            $"but config.json implies [{Join(expected.Select(d => d.Size))}]";
        if (shape.Count != expected.Count) throw new InvalidDataException(prefix + ".");
        for (int i = 0; i < shape.Count; i++)
            if (shape[i] != expected[i].Size)
                throw new InvalidDataException(
                    $"{prefix}: config.json's {expected[i].Field} = {expected[i].Size} disagrees with dimension {i} ({shape[i]}).");
        if (!Floats.Contains(t.Info.DType))
            throw new InvalidDataException(
                $"'{t.File}': tensor '{t.StoredName}' has dtype {t.Info.DType.Name()}; weights must be floating point.");
    }

    // Blocks 0..n-1 all present counts n; a name outside the blocks gives -1.
    private static int BlocksStored(IEnumerable<string> names, string blockPrefix)
    {
        var blocks = names.Select(n => BlockOf(n, blockPrefix)).Where(b => b >= 0).ToHashSet();
        int n = 0;
        while (blocks.Contains(n)) n++;
        return n;
    }

    private static int BlockOf(string name, string blockPrefix)
    {
        if (!name.StartsWith(blockPrefix, StringComparison.Ordinal)) return -1;
        var match = Regex.Match(name[blockPrefix.Length..], @"^(\d{1,9})\.");
        return match.Success ? int.Parse(match.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture) : -1;
    }

    private static string Join(IEnumerable<long> sizes) => string.Join(", ", sizes);
}
