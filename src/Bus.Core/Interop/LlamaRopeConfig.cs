namespace Bus.Core.Interop;

/// <summary>
/// The rotary base θ of a Llama config.json as either transformers generation writes it: v4 has a top-level
/// <c>rope_theta</c> and <c>rope_scaling</c> (null, or an object with <c>rope_type</c>/legacy <c>type</c>); v5 has
/// <c>rope_parameters</c> = {<c>rope_theta</c>, <c>rope_type</c>, ...} and no top-level <c>rope_theta</c>. Bus computes plain
/// rotary embeddings, so only <c>rope_type</c> "default" (or none) is accepted; a scaled variant is refused naming the field.
/// </summary>
internal static class LlamaRopeConfig
{
    /// <summary>Hugging Face's name of unscaled RoPE.</summary>
    public const string DefaultType = "default";

    /// <summary>LlamaConfig's default θ when no field sets it.</summary>
    public const double DefaultTheta = 10000;

    private static readonly string[] Sections = ["rope_scaling", "rope_parameters"];

    /// <summary>θ from <c>rope_theta</c>, <c>rope_scaling</c> or <c>rope_parameters</c>; refuses scaling and disagreeing values.</summary>
    /// <exception cref="InvalidDataException">A scaled RoPE type, a partial rotary factor, or two different θ values.</exception>
    public static double Theta(HfConfigReader json)
    {
        (double Value, string Field)? theta = json.Has("rope_theta") ? (Positive(json, "rope_theta"), "rope_theta") : null;
        RequireFullRotation(json);
        foreach (var name in Sections)
        {
            if (json.Section(name) is not { } section) continue;
            string typeField = section.Has("rope_type") ? "rope_type" : "type";
            string type = section.Has(typeField) ? section.String(typeField) : DefaultType;
            if (type != DefaultType)
                throw section.Unsupported(typeField,
                    "Bus computes plain rotary embeddings (rope_type \"default\"); scaled variants (linear, dynamic, yarn, llama3, ...) " +
                    "change the frequencies");
            RequireFullRotation(section);
            if (!section.Has("rope_theta")) continue;
            double value = Positive(section, "rope_theta");
            if (theta is { } earlier && earlier.Value != value)
                throw section.Unsupported("rope_theta",
                    $"it disagrees with '{earlier.Field}' = {earlier.Value:R}; which one the weights were trained with is unclear");
            theta = (value, section.Name("rope_theta"));
        }
        return theta?.Value ?? DefaultTheta;
    }

    private static double Positive(HfConfigReader json, string field) =>
        json.Number(field, 0) is var v && v > 0 ? v : throw json.Invalid(field, "must be a positive number");

    private static void RequireFullRotation(HfConfigReader json)
    {
        if (json.Number("partial_rotary_factor", 1.0) != 1.0)
            throw json.Unsupported("partial_rotary_factor", "Bus rotates the whole head (factor 1.0)");
    }
}
