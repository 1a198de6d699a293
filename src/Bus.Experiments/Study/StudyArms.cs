using System.Globalization;
using Bus.Experiments.Methods;
using Bus.Growth.Operators;
using Bus.Growth.Schedules;

namespace Bus.Experiments.Study;

/// <summary>
/// Arm names of the study: "scratch" (the full model from scratch), "identity-control" (BUS identity applied to an
/// untrained half-size model), "knowledge-inheritance", and any growth operator of <see cref="GrowthOperators"/> as
/// "&lt;operator&gt;[@fraction][:map]" (":map" maps the optimizer moments at growth instead of resetting them).
/// </summary>
public static class StudyArms
{
    /// <summary>The identity-init control arm.</summary>
    public const string IdentityControl = "identity-control";

    /// <summary>The knowledge-inheritance arm.</summary>
    public const string KnowledgeInheritance = "knowledge-inheritance";

    /// <summary>The method an arm name stands for.</summary>
    /// <exception cref="ArgumentException">Unknown name or malformed fraction (the message lists the forms).</exception>
    public static MethodSpec Parse(string arm)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(arm);
        if (arm == "scratch" || arm.StartsWith("scratch-lr", StringComparison.Ordinal)) return new BaselineMethod();
        if (arm == IdentityControl) return new StudyGrowthMethod(arm, "bus-identity", null, OptimizerStatePolicy.Reset, atFirstStep: true);
        if (arm == KnowledgeInheritance) return new KnowledgeInheritanceMethod();
        string rest = arm;
        var policy = OptimizerStatePolicy.Reset;
        if (rest.EndsWith(":map", StringComparison.Ordinal)) { policy = OptimizerStatePolicy.MapMoments; rest = rest[..^4]; }
        double? fraction = null;
        int at = rest.IndexOf('@', StringComparison.Ordinal);
        if (at >= 0)
        {
            if (!double.TryParse(rest[(at + 1)..], NumberStyles.Float, CultureInfo.InvariantCulture, out double f))
                throw new ArgumentException($"Arm '{arm}': '{rest[(at + 1)..]}' is not a growth fraction.", nameof(arm));
            fraction = f;
            rest = rest[..at];
        }
        if (!GrowthOperators.Names.Contains(rest, StringComparer.OrdinalIgnoreCase))
            throw new ArgumentException($"Unknown study arm '{arm}'. Use scratch, {IdentityControl}, {KnowledgeInheritance}, or <operator>[@fraction][:map] with an operator of: {string.Join(", ", GrowthOperators.Names)}.", nameof(arm));
        return new StudyGrowthMethod(arm, rest, fraction, policy);
    }

    /// <summary>True for a plain growth-operator arm (a candidate for "best").</summary>
    public static bool IsOperator(string arm) => GrowthOperators.Names.Contains(arm, StringComparer.OrdinalIgnoreCase);
}
