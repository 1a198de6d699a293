namespace Bus.Cli.Infrastructure;

/// <summary>
/// The model-shape options, defined once for every command that builds a transformer: <c>--d</c> (d_model,
/// 1..<see cref="ModelSizeLimits.MaxWidth"/>; d_ff = 4 d), <c>--heads</c> (1..<see cref="ModelSizeLimits.MaxHeads"/>) and
/// <c>--layers</c> (1..<see cref="ModelSizeLimits.MaxLayers"/>). A command chooses the defaults and, where its sizes mean
/// more (the full model of a comparison, several widths), the descriptions; reading them checks every range and the
/// head rule with the same messages everywhere (<c>--heads 3: must divide --d 32.</c>).
/// </summary>
/// <param name="width">Default of <c>--d</c>.</param>
/// <param name="heads">Default of <c>--heads</c>.</param>
/// <param name="layers">Default of <c>--layers</c>.</param>
/// <param name="widthDescription">Help of <c>--d</c>.</param>
/// <param name="headsDescription">Help of <c>--heads</c>.</param>
internal sealed class ModelShapeOptions(
    int width, int heads, int layers,
    string widthDescription = "model width d_model, 1..65536 (d_ff = 4 d)",
    string headsDescription = "attention heads, 1..65536 (must divide --d)")
{
    /// <summary><c>--d</c>.</summary>
    public Option<int> Width { get; } = WidthOption(width, widthDescription);

    /// <summary><c>--heads</c>.</summary>
    public Option<int> Heads { get; } = HeadsOption(heads, headsDescription);

    /// <summary><c>--layers</c>.</summary>
    public Option<int> Layers { get; } = LayersOption(layers);

    /// <summary>The three options, in help order.</summary>
    public IEnumerable<Option> All => [Width, Layers, Heads];

    /// <summary><c>--d</c> alone.</summary>
    public static Option<int> WidthOption(int defaultValue, string description = "model width d_model, 1..65536 (d_ff = 4 d)") =>
        new("--d") { Description = description, DefaultValueFactory = _ => defaultValue };

    /// <summary>
    /// <c>--d</c> taking several widths (a sweep); each is checked with <see cref="ModelSizeLimits.RequireSize"/> by the command.
    /// </summary>
    public static Option<int[]> WidthsOption(int[] defaultValue, string description) =>
        new("--d") { Description = description, DefaultValueFactory = _ => defaultValue, AllowMultipleArgumentsPerToken = true };

    /// <summary><c>--heads</c> alone (for commands whose width is not one <c>--d</c>).</summary>
    public static Option<int> HeadsOption(int defaultValue, string description = "attention heads, 1..65536 (must divide --d)") =>
        new("--heads") { Description = description, DefaultValueFactory = _ => defaultValue };

    /// <summary><c>--layers</c> alone (for commands whose width is not one <c>--d</c>).</summary>
    public static Option<int> LayersOption(int defaultValue, string description = "transformer blocks, 1..4096") =>
        new("--layers") { Description = description, DefaultValueFactory = _ => defaultValue };

    /// <summary>The sizes, each checked against its range, and the heads checked to divide <c>--d</c>.</summary>
    public (int D, int Heads, int Layers) Read(ParseResult parse)
    {
        int d = parse.Size(Width, ModelSizeLimits.MaxWidth);
        int layers = parse.Size(Layers, ModelSizeLimits.MaxLayers);
        int h = parse.Size(Heads, ModelSizeLimits.MaxHeads);
        RequireHeadsDivide(h, d);
        return (d, h, layers);
    }

    /// <summary>
    /// <paramref name="template"/> at the sizes given (d_ff = 4 d), validated and checked to fit in memory
    /// (the error names <c>--d</c>).
    /// </summary>
    public TransformerConfig Config(ParseResult parse, TransformerConfig template)
    {
        var (d, h, layers) = Read(parse);
        var config = (template with { Heads = h, Layers = layers }).WithWidth(d).Validate();
        ModelSizeLimits.RequireFitsInMemory(Width.Name, d, config);
        return config;
    }

    /// <summary>The head rule of every command: <c>--heads H: must divide --d D.</c></summary>
    public static void RequireHeadsDivide(int heads, int d)
    {
        if (d % heads != 0)
            throw new ArgumentException(string.Create(CultureInfo.InvariantCulture, $"--heads {heads}: must divide --d {d}."), "--heads");
    }
}
