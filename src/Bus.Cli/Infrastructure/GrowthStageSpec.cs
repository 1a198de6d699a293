using Bus.Growth.Schedules;

namespace Bus.Cli.Infrastructure;

/// <summary>
/// One growth stage written on the command line as comma-separated <c>key=value</c> pairs, e.g.
/// <c>--grow "at=0.25,op=hypercloning,d=128,heads=8"</c> or <c>--grow "step=300,op=stack-depth,layers=4"</c>:
/// a trigger (<c>at</c>: budget fraction in (0, 1), or <c>step</c>), an operator (<c>op</c>, default bus-identity) and a
/// target (<c>d</c>, <c>heads</c>, <c>layers</c>; at least one). Without <c>heads</c>, width growth keeps the heads,
/// except for operators that keep head_dim (<see cref="IHeadDimPreserving"/>: HyperCloning, MSG width), whose heads
/// grow with d_model.
/// </summary>
/// <param name="Fraction">Budget fraction of the trigger, or null.</param>
/// <param name="Step">Step of the trigger, or null.</param>
/// <param name="Operator">Growth operator name.</param>
/// <param name="DModel">Width after the stage, or null (unchanged).</param>
/// <param name="Heads">Heads after the stage, or null (see the summary).</param>
/// <param name="Layers">Blocks after the stage, or null (unchanged).</param>
public sealed record GrowthStageSpec(double? Fraction, long? Step, string Operator, int? DModel, int? Heads, int? Layers)
{
    private static readonly string[] Keys = ["at", "step", "op", "d", "heads", "layers"];

    /// <summary>Parses one <c>--grow</c> value; errors name the option, the value and the key.</summary>
    /// <exception cref="ArgumentException">A key is unknown or repeated, a value does not parse, or no trigger/target is given.</exception>
    public static GrowthStageSpec Parse(string text, string option = "--grow")
    {
        ArgumentNullException.ThrowIfNull(text);
        var pairs = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach (var part in text.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
        {
            int eq = part.IndexOf('=');
            string key = eq > 0 ? part[..eq].Trim() : part;
            if (eq <= 0 || !Keys.Contains(key, StringComparer.OrdinalIgnoreCase))
                throw Error(option, text, $"'{part}' is not key=value with a key of {string.Join(", ", Keys)}");
            if (!pairs.TryAdd(key, part[(eq + 1)..].Trim())) throw Error(option, text, $"'{key}' is given twice");
        }
        double? fraction = pairs.TryGetValue("at", out var at) ? ParseDouble(option, text, "at", at) : null;
        long? step = pairs.TryGetValue("step", out var s) ? ParseLong(option, text, "step", s) : null;
        if ((fraction is null) == (step is null)) throw Error(option, text, "give exactly one trigger: at=FRACTION or step=N");
        if (fraction is { } f && !(f > 0 && f < 1)) throw Error(option, text,
            $"at={f.ToString(CultureInfo.InvariantCulture)} must lie in (0, 1)");
        if (step is <= 0) throw Error(option, text, $"step={step} must be positive");
        string op = pairs.TryGetValue("op", out var name) ? name : "bus-identity";
        if (GrowthName.ParseOperator(op) is null)
            throw Error(option, text, $"op={op} is not one of {string.Join(", ", GrowthOperators.Names)}");
        int? d = pairs.TryGetValue("d", out var dv) ? ParseInt(option, text, "d", dv) : null;
        int? heads = pairs.TryGetValue("heads", out var hv) ? ParseInt(option, text, "heads", hv) : null;
        int? layers = pairs.TryGetValue("layers", out var lv) ? ParseInt(option, text, "layers", lv) : null;
        if (d is null && heads is null && layers is null) throw Error(option, text, "give a target: d=, heads= and/or layers=");
        return new GrowthStageSpec(fraction, step, op, d, heads, layers);
    }

    /// <summary>
    /// The stage after <paramref name="previous"/> (the model before it): its trigger, target shape and operator.
    /// </summary>
    /// <exception cref="ArgumentException">The target does not grow, or heads do not divide the width.</exception>
    public GrowthStage ToStage(TransformerConfig previous, string option = "--grow")
    {
        ArgumentNullException.ThrowIfNull(previous);
        var op = GrowthOperators.Create(Operator);
        int width = DModel ?? previous.DModel;
        int heads = Heads ?? (op is IHeadDimPreserving && width % previous.HeadDim == 0 ? width / previous.HeadDim : previous.Heads);
        int layers = Layers ?? previous.Layers;
        string text = ToString();
        if (width < previous.DModel || layers < previous.Layers || heads < previous.Heads)
            throw Error(option, text,
                $"a stage must not shrink the model (from d={previous.DModel}, heads={previous.Heads}, layers={previous.Layers})");
        if (width == previous.DModel && layers == previous.Layers && heads == previous.Heads)
            throw Error(option, text, $"the target equals the model before the stage (d={width}, heads={heads}, layers={layers})");
        if (heads <= 0 || width % heads != 0) throw Error(option, text, $"heads={heads} must divide d={width}");
        ModelSizeLimits.RequireSize($"{option} d", width, ModelSizeLimits.MaxWidth);
        ModelSizeLimits.RequireSize($"{option} layers", layers, ModelSizeLimits.MaxLayers);
        var target = previous with
        {
            DModel = width, FeedForwardSize = 4 * width, Heads = heads, Layers = layers,
            KvHeads = previous.KvHeads == previous.Heads ? heads : previous.KvHeads,
        };
        var trigger = Step is { } s ? GrowthTrigger.AtStep(s) : GrowthTrigger.AtBudgetFraction(Fraction!.Value);
        return new GrowthStage(trigger, target.Validate(), op);
    }

    /// <summary>The stage as it would be written on the command line.</summary>
    public override string ToString() => string.Join(",", new[]
    {
        Fraction is { } f ? $"at={f.ToString(CultureInfo.InvariantCulture)}" : $"step={Step}", $"op={Operator}",
        DModel is { } d ? $"d={d}" : null, Heads is { } h ? $"heads={h}" : null, Layers is { } l ? $"layers={l}" : null,
    }.Where(p => p is not null));

    private static ArgumentException Error(string option, string text, string why) => new($"{option} '{text}': {why}.", option);

    private static double ParseDouble(string option, string text, string key, string value) =>
        double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out var v) && double.IsFinite(v)
            ? v : throw Error(option, text, $"{key}={value} is not a number");

    private static long ParseLong(string option, string text, string key, string value) =>
        long.TryParse(value, NumberStyles.Integer, CultureInfo.InvariantCulture, out var v) ? v : throw Error(option, text,
            $"{key}={value} is not a whole number");

    private static int ParseInt(string option, string text, string key, string value) =>
        int.TryParse(value, NumberStyles.Integer, CultureInfo.InvariantCulture, out var v) && v > 0
            ? v : throw Error(option, text, $"{key}={value} is not a positive whole number");
}
