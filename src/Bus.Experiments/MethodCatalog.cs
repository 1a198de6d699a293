using Bus.Core.LayerDropping;

namespace Bus.Experiments;

/// <summary>
/// Method names for CLIs and configuration: "baseline", "lion", "muon", "rho-loss" (charging per
/// <see cref="ComparisonOptions.RhoChargeIrreducibleLoss"/>), "rho-loss-charged", "rho-loss-free", "selective-backprop",
/// "layer-drop" (budget-keyed), "layer-drop-steps", any growth operator of <see cref="GrowthOperators"/> written as
/// <see cref="GrowthName"/> ("&lt;operator&gt;[@fraction][:map]"), and combinations joined with '+', e.g. "bus-identity+lion".
/// </summary>
public static class MethodCatalog
{
    private static readonly ComponentRegistry<MethodSpec> Fixed = new("method", new Dictionary<string, Func<MethodSpec>>
    {
        ["baseline"] = () => new BaselineMethod(),
        ["lion"] = () => new LionMethod(),
        ["muon"] = () => new MuonMethod(),
        ["rho-loss"] = () => new RhoLossMethod(),
        ["rho-loss-charged"] = () => new RhoLossMethod(true),
        ["rho-loss-free"] = () => new RhoLossMethod(false),
        ["selective-backprop"] = () => new SelectiveBackpropMethod(),
        ["layer-drop"] = () => new LayerDropMethod(),
        ["layer-drop-steps"] = () => new LayerDropMethod(PldClock.Steps),
    });

    /// <summary>Every single-method name (growth operators included).</summary>
    public static IReadOnlyList<string> Names => Fixed.Names.Concat(GrowthOperators.Names).ToList();

    /// <summary>Parses a method or a '+'-joined combination.</summary>
    /// <exception cref="ArgumentException">A name is unknown (the message lists the known ones).</exception>
    /// <exception cref="InvalidOperationException">A combination's parts take the same slot (the message names both).</exception>
    public static MethodSpec Parse(string name)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        var parts = name.Split('+', StringSplitOptions.TrimEntries);
        if (parts.Any(string.IsNullOrEmpty)) throw new ArgumentException($"Empty part in method '{name}'.", nameof(name));
        var specs = parts.Select(Single).ToArray();
        return specs.Length == 1 ? specs[0] : MethodSpec.Combine(specs);
    }

    private static MethodSpec Single(string name)
    {
        if (Fixed.TryCreate(name, out var spec)) return spec;
        if (!GrowthName.TryParse(name, out var growth))
            throw new ArgumentException($"Unknown method '{name}'. Known: {string.Join(", ", Names)} " +
                $"(growth operators accept {GrowthName.Grammar}; join methods with '+').", nameof(name));
        return new GrowthMethod(growth);
    }
}
