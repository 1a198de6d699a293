namespace Bus.Experiments.Frontier;

/// <summary>
/// The scratch sizes of one scale: the full model, an intermediate depth and the two small models growth starts from
/// (half depth; half width with half the heads, so the head size is kept). Their lower envelope is the compute frontier.
/// </summary>
public static class FrontierSizes
{
    /// <summary>The full model.</summary>
    public const string Full = "full";

    /// <summary>Three quarters of the depth (rounded, when it differs from half and full depth).</summary>
    public const string ThreeQuarterDepth = "depth-3q";

    /// <summary>Half the depth: where depth growth starts.</summary>
    public const string HalfDepth = "depth-half";

    /// <summary>Half the width and heads: where width growth starts.</summary>
    public const string HalfWidth = "width-half";

    /// <summary>The sizes of <paramref name="scale"/>, smallest first, each as (name, d_model, layers, heads).</summary>
    public static IReadOnlyList<(string Name, int DModel, int Layers, int Heads)> Of(FrontierScale scale)
    {
        ArgumentNullException.ThrowIfNull(scale);
        scale.Validate();
        var sizes = new List<(string, int, int, int)> { (HalfWidth, scale.DModel / 2, scale.Layers, scale.Heads / 2),
            (HalfDepth, scale.DModel, scale.Layers / 2, scale.Heads) };
        int threeQuarter = (int)Math.Round(scale.Layers * 0.75, MidpointRounding.AwayFromZero);
        if (threeQuarter != scale.Layers / 2 && threeQuarter != scale.Layers)
            sizes.Add((ThreeQuarterDepth, scale.DModel, threeQuarter, scale.Heads));
        sizes.Add((Full, scale.DModel, scale.Layers, scale.Heads));
        return sizes;
    }

    /// <summary>Non-embedding parameters of a model (Kaplan et al.'s N): every block's tensors and the final norm; not the token and
    /// position embeddings or the output head.</summary>
    public static long NonEmbeddingParameters(GrowableTransformer model)
    {
        ArgumentNullException.ThrowIfNull(model);
        return model.named_parameters().Where(p => p.name.StartsWith("blocks.", StringComparison.Ordinal)
            || p.name.StartsWith("ln_f.", StringComparison.Ordinal))
            .Sum(p => p.parameter.numel());
    }
}
