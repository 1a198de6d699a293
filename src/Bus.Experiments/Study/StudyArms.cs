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
        if (arm == IdentityControl) return new GrowthMethod(new GrowthName("bus-identity"), arm, atFirstStep: true);
        if (arm == KnowledgeInheritance) return new KnowledgeInheritanceMethod();
        if (!GrowthName.TryParse(arm, out var growth))
            throw new ArgumentException($"Unknown study arm '{arm}'. Use scratch, {IdentityControl}, {KnowledgeInheritance}, or " +
                $"{GrowthName.Grammar} with an operator of: {string.Join(", ", GrowthOperators.Names)}.", nameof(arm));
        return new GrowthMethod(growth, arm);
    }

    /// <summary>True for a plain growth-operator arm (a candidate for "best").</summary>
    public static bool IsOperator(string arm) => GrowthName.ParseOperator(arm) is not null;
}
