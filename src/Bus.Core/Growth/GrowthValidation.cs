namespace Bus.Core.Growth;

/// <summary>Checks shared by growth operators; each throws <see cref="ArgumentException"/> naming the parameter and values.</summary>
public static class GrowthValidation
{
    /// <summary>Family (architecture, tied embeddings, RoPE θ), vocabulary, max length, mode and classes must match; no dimension may
    /// shrink.</summary>
    public static void RequireCompatible(TransformerConfig source, TransformerConfig target)
    {
        RequireSameFamily(source, target);
        RequireCompatible(ModelShape.From(source), ModelShape.From(target));
    }

    /// <summary>
    /// What a <see cref="ModelShape"/> does not say about two transformer configs: both valid, same architecture, tied
    /// embeddings, RoPE θ, max length, classes and mode (the sizes are <see cref="RequireCompatible(ModelShape, ModelShape)"/>'s).
    /// </summary>
    public static void RequireSameFamily(TransformerConfig source, TransformerConfig target)
    {
        ArgumentNullException.ThrowIfNull(source);
        ArgumentNullException.ThrowIfNull(target);
        source.Validate();
        target.Validate();
        if (source.Architecture != target.Architecture)
            throw new ArgumentException($"Architecture differs: source {source.Architecture}, target {target.Architecture}.",
                nameof(target));
        if (source.TieEmbeddings != target.TieEmbeddings)
            throw new ArgumentException($"TieEmbeddings differs: source {source.TieEmbeddings}, target {target.TieEmbeddings}.",
                nameof(target));
        if (source.RopeTheta != target.RopeTheta)
            throw new ArgumentException($"RopeTheta differs: source {source.RopeTheta}, target {target.RopeTheta}.", nameof(target));
        Same(source.MaxLength, target.MaxLength, nameof(TransformerConfig.MaxLength));
        Same(source.Classes, target.Classes, nameof(TransformerConfig.Classes));
        if (source.Mode != target.Mode)
            throw new ArgumentException($"Mode differs: source {source.Mode}, target {target.Mode}.", nameof(target));
    }

    /// <summary>Vocabulary, positions and outputs must match; d_model, heads, kv heads, d_ff and layers must not shrink.</summary>
    public static void RequireCompatible(ModelShape from, ModelShape to)
    {
        ArgumentNullException.ThrowIfNull(from);
        ArgumentNullException.ThrowIfNull(to);
        Same(from.Vocabulary, to.Vocabulary, nameof(TransformerConfig.VocabSize));
        Same(from.Positions, to.Positions, nameof(ModelShape.Positions));
        Same(from.Outputs, to.Outputs, nameof(ModelShape.Outputs));
        NotSmaller(from.DModel, to.DModel, nameof(TransformerConfig.DModel));
        NotSmaller(from.FeedForwardSize, to.FeedForwardSize, nameof(TransformerConfig.FeedForwardSize));
        NotSmaller(from.Heads, to.Heads, nameof(TransformerConfig.Heads));
        NotSmaller(from.KvHeads, to.KvHeads, nameof(TransformerConfig.KvHeads));
        NotSmaller(from.Layers, to.Layers, nameof(TransformerConfig.Layers));
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

    /// <summary>Throws unless <paramref name="target"/> is a whole multiple of <paramref name="source"/>.</summary>
    public static void Multiple(int source, int target, string name)
    {
        if (target % source != 0)
            throw new ArgumentException($"{name} must grow by a whole factor: source {source}, target {target}.", name);
    }
}
