namespace Bus.Experiments.Frontier;

/// <summary>
/// G_stack's growth-timing rule (Du et al., NeurIPS 2024, section 4.2): the small model should train on d tokens before
/// stacking, log10(d) = 0.88 log10(N) + 163.27 / log10(C) - 5.74, with N the target model's parameters and C the
/// training compute in FLOPs. Fitted on 1B-7B models; at a few hundred thousand parameters it asks for more tokens
/// than the whole budget (it "does not transfer down"), so the study clamps the fraction and records the rule's value.
/// </summary>
public static class GStackTiming
{
    /// <summary>Tokens the rule assigns to the small model before growth.</summary>
    /// <exception cref="ArgumentOutOfRangeException">N or C not above 1 (the logarithms need it).</exception>
    public static double GrowthTokens(double parameters, double flops)
    {
        if (!(parameters > 1)) throw new ArgumentOutOfRangeException(nameof(parameters), parameters, "Parameters must exceed 1.");
        if (!(flops > 10)) throw new ArgumentOutOfRangeException(nameof(flops), flops, "FLOPs must exceed 10.");
        return Math.Pow(10, 0.88 * Math.Log10(parameters) + 163.27 / Math.Log10(flops) - 5.74);
    }

    /// <summary>
    /// The rule's growth point as a fraction of a run of <paramref name="tokens"/> tokens, clamped to
    /// [<paramref name="min"/>, <paramref name="max"/>]; also returns the unclamped fraction.
    /// </summary>
    public static (double Fraction, double Raw) Fraction(double parameters, double tokens, double min, double max)
    {
        if (!(tokens > 0)) throw new ArgumentOutOfRangeException(nameof(tokens), tokens, "Tokens must be positive.");
        double raw = GrowthTokens(parameters, 6 * parameters * tokens) / tokens;
        return (Math.Clamp(raw, min, max), raw);
    }
}
