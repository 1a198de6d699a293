namespace Bus.Experiments.Frontier;

/// <summary>How one scale's budgets were sized (written to scale-&lt;name&gt;.json before its first run).</summary>
/// <param name="Scale">The scale.</param>
/// <param name="NonEmbeddingParameters">The full model's non-embedding parameters.</param>
/// <param name="StepCost">The full model's calibrated step cost in the study's unit (1 for step budgets).</param>
/// <param name="MaxBudget">The largest budget, in the study's unit.</param>
/// <param name="Budgets">Every budget, ascending (the last is <see cref="MaxBudget"/>).</param>
/// <param name="FullModelTokensAtMax">Tokens the full model sees at the largest budget.</param>
/// <param name="TokensPerParameterAtMax">Those tokens per non-embedding parameter.</param>
/// <param name="EpochsAtMax">Passes over the training split at the largest budget.</param>
/// <param name="GStackRaw">G_stack's growth point as a budget fraction, before clamping.</param>
/// <param name="GStackFraction">The growth fraction used for "gstack" arms (clamped).</param>
public sealed record FrontierScalePlan(FrontierScale Scale, long NonEmbeddingParameters, double StepCost, double MaxBudget,
    IReadOnlyList<double> Budgets, long FullModelTokensAtMax, double TokensPerParameterAtMax, double EpochsAtMax, double GStackRaw,
        double GStackFraction);
