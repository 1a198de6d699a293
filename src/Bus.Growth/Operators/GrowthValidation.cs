using Bus.Core.Model;

namespace Bus.Growth.Operators;

/// <summary>Checks shared by growth operators; each throws <see cref="ArgumentException"/> naming the parameter and values.</summary>
public static class GrowthValidation
{
    /// <summary>Vocabulary, max length, mode and classes must match; no dimension may shrink.</summary>
    public static void RequireCompatible(TransformerConfig source, TransformerConfig target)
    {
        ArgumentNullException.ThrowIfNull(source);
        ArgumentNullException.ThrowIfNull(target);
        source.Validate();
        target.Validate();
        Same(source.VocabSize, target.VocabSize, nameof(TransformerConfig.VocabSize));
        Same(source.MaxLength, target.MaxLength, nameof(TransformerConfig.MaxLength));
        Same(source.Classes, target.Classes, nameof(TransformerConfig.Classes));
        if (source.Mode != target.Mode)
            throw new ArgumentException($"Mode differs: source {source.Mode}, target {target.Mode}.", nameof(target));
        NotSmaller(source.DModel, target.DModel, nameof(TransformerConfig.DModel));
        NotSmaller(source.DFf, target.DFf, nameof(TransformerConfig.DFf));
        NotSmaller(source.Heads, target.Heads, nameof(TransformerConfig.Heads));
        NotSmaller(source.Layers, target.Layers, nameof(TransformerConfig.Layers));
    }

    /// <summary>Throws unless <paramref name="source"/> and <paramref name="target"/> agree on <paramref name="name"/>.</summary>
    public static void Same(int source, int target, string name)
    {
        if (source != target)
            throw new ArgumentException($"{name} must not change during growth: source {source}, target {target}.", name);
    }

    /// <summary>Throws when the target is smaller than the source on <paramref name="name"/>.</summary>
    public static void NotSmaller(int source, int target, string name)
    {
        if (target < source)
            throw new ArgumentException($"Growth cannot shrink {name}: source {source}, target {target}.", name);
    }
}
