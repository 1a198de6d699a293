using System.Diagnostics.CodeAnalysis;
using Bus.Growth.Schedules;

namespace Bus.Growth.Operators;

/// <summary>
/// A growth as one name, the one grammar the CLI, the experiments' method catalog and the study share:
/// <c>&lt;operator&gt;[@fraction][:map]</c>, e.g. <c>hypercloning</c>, <c>stack-depth@0.5</c>, <c>fpi-width-rr@0.25:map</c>:
/// a registered operator (<see cref="GrowthOperators"/>, any case), the budget fraction at which to grow, in (0, 1)
/// (absent: the caller's default), and <c>:map</c> to map the optimizer moments at growth instead of resetting them.
/// </summary>
/// <param name="Operator">The operator's registered name, as <see cref="GrowthOperators.Names"/> spells it.</param>
/// <param name="Fraction">Budget fraction at which to grow, or null (the caller's default).</param>
/// <param name="Policy">What happens to the optimizer state at growth.</param>
public sealed record GrowthName(string Operator, double? Fraction = null, OptimizerStatePolicy Policy = OptimizerStatePolicy.Reset)
{
    private const string MapSuffix = ":map";

    /// <summary>The grammar in words, for error messages.</summary>
    public const string Grammar = "<operator>[@fraction][:map]";

    /// <summary>Parses <paramref name="text"/>.</summary>
    /// <exception cref="ArgumentException">The operator is unknown (the message lists the known ones), or the fraction is malformed or
    /// outside (0, 1).</exception>
    public static GrowthName Parse(string text) =>
        TryParse(text, out var name) ? name
            : throw new ArgumentException(
                $"'{text}' is not a growth {Grammar}: unknown operator '{OperatorPart(text)}'; " +
                $"known: {string.Join(", ", GrowthOperators.Names)}.",
                nameof(text));

    /// <summary>
    /// Parses <paramref name="text"/>; false when its operator part is not a registered operator (so a caller may try its
    /// own names and word its own error).
    /// </summary>
    /// <exception cref="ArgumentException">The operator is known but the fraction is malformed or outside (0, 1).</exception>
    public static bool TryParse(string text, [NotNullWhen(true)] out GrowthName? name)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(text);
        name = null;
        string rest = text.Trim();
        var policy = OptimizerStatePolicy.Reset;
        if (rest.EndsWith(MapSuffix,
            StringComparison.Ordinal)) { policy = OptimizerStatePolicy.MapMoments; rest = rest[..^MapSuffix.Length]; }
        int at = rest.IndexOf('@', StringComparison.Ordinal);
        string op = at >= 0 ? rest[..at] : rest;
        if (ParseOperator(op) is not { } canonical) return false;
        double? fraction = null;
        if (at >= 0)
        {
            string value = rest[(at + 1)..];
            if (!double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out double f))
                throw new ArgumentException($"'{text}': '{value}' is not a growth fraction.", nameof(text));
            if (!(f > 0 && f < 1))
                throw new ArgumentException($"'{text}': growth fraction {value} must lie in (0, 1).", nameof(text));
            fraction = f;
        }
        name = new GrowthName(canonical, fraction, policy);
        return true;
    }

    /// <summary>The registered spelling of operator <paramref name="name"/> (any case), or null when none is registered.</summary>
    public static string? ParseOperator(string name) =>
        GrowthOperators.Names.FirstOrDefault(n => string.Equals(n, name?.Trim(), StringComparison.OrdinalIgnoreCase));

    /// <summary>A new instance of the operator.</summary>
    public IGrowthOperator CreateOperator() => GrowthOperators.Create(Operator);

    /// <summary>The name in the grammar, e.g. <c>stack-depth@0.5:map</c>.</summary>
    public override string ToString() =>
        Operator + (Fraction is { } f ? "@" + f.ToString(CultureInfo.InvariantCulture) : "")
            + (Policy == OptimizerStatePolicy.MapMoments ? MapSuffix : "");

    private static string OperatorPart(string text)
    {
        string rest = text.Trim();
        if (rest.EndsWith(MapSuffix, StringComparison.Ordinal)) rest = rest[..^MapSuffix.Length];
        int at = rest.IndexOf('@', StringComparison.Ordinal);
        return at >= 0 ? rest[..at] : rest;
    }
}
