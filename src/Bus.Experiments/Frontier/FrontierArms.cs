namespace Bus.Experiments.Frontier;

/// <summary>
/// Arm names of the frontier study: "scratch-&lt;size&gt;" (a scratch size of <see cref="FrontierSizes"/>) and growth arms
/// "&lt;operator&gt;@&lt;when&gt;[+rewarm|+lemon]" with when "gstack" (G_stack's rule, clamped) or a budget fraction.
/// </summary>
public static class FrontierArms
{
    /// <summary>The scratch arm of a size.</summary>
    public static string Scratch(string size) => "scratch-" + size;

    /// <summary>True for a scratch arm.</summary>
    public static bool IsScratch(string arm) => arm.StartsWith("scratch-", StringComparison.Ordinal);

    /// <summary>The size of a scratch arm.</summary>
    public static string SizeOf(string arm) => IsScratch(arm) ? arm["scratch-".Length..]
        : throw new ArgumentException($"'{arm}' is not a scratch arm.", nameof(arm));

    /// <summary>A growth arm's name.</summary>
    public static string Growth(string op, string when, PostGrowthSchedule schedule = PostGrowthSchedule.Continue) =>
        $"{op}@{when}" + (schedule == PostGrowthSchedule.Continue ? "" : "+" + schedule.ToString().ToLowerInvariant());

    /// <summary>Splits a growth arm into operator, timing token and post-growth schedule.</summary>
    /// <exception cref="ArgumentException">Not of the form operator@when[+rewarm|+lemon].</exception>
    public static (string Operator, string When, PostGrowthSchedule Schedule) ParseGrowth(string arm)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(arm);
        string rest = arm;
        var schedule = PostGrowthSchedule.Continue;
        int plus = rest.IndexOf('+', StringComparison.Ordinal);
        if (plus >= 0)
        {
            schedule = rest[(plus + 1)..] switch
            {
                "rewarm" => PostGrowthSchedule.Rewarm,
                "lemon" => PostGrowthSchedule.Lemon,
                _ => throw new ArgumentException($"Arm '{arm}': unknown post-growth schedule '{rest[(plus + 1)..]}' (use rewarm or lemon).",
                    nameof(arm)),
            };
            rest = rest[..plus];
        }
        int at = rest.IndexOf('@', StringComparison.Ordinal);
        if (at <= 0 || at == rest.Length - 1) throw new ArgumentException($"Arm '{arm}' is not operator@when[+rewarm|+lemon].",
            nameof(arm));
        return (rest[..at], rest[(at + 1)..], schedule);
    }

    /// <summary>The budget fraction a timing token stands for (<paramref name="gstack"/> for "gstack").</summary>
    /// <exception cref="ArgumentException">Neither "gstack" nor a fraction in (0, 1).</exception>
    public static double Fraction(string when, double gstack) => when == "gstack" ? gstack
        : double.TryParse(when, NumberStyles.Float, CultureInfo.InvariantCulture, out double f) && f > 0 && f < 1 ? f
        : throw new ArgumentException($"Growth time '{when}' is neither 'gstack' nor a fraction in (0, 1).", nameof(when));

    /// <summary>The gradual-stacking arm's operator name (its stages come from <see cref="FrontierMidasMethod"/>, not one
    /// operator).</summary>
    public const string Midas = "midas";

    /// <summary>The method of a growth arm growing at <paramref name="fraction"/>.</summary>
    public static MethodSpec GrowthMethod(string arm, double fraction)
    {
        var (op, _, schedule) = ParseGrowth(arm);
        MethodSpec growth = op == Midas ? new FrontierMidasMethod(arm,
            fraction) : new Methods.GrowthMethod(new Bus.Growth.Operators.GrowthName(op, fraction), arm);
        return new FrontierGrowthMethod(arm, growth, schedule);
    }

    /// <summary>Throws when <paramref name="op"/> cannot grow <paramref name="full"/> from one of its small models (the message says
    /// why).</summary>
    /// <exception cref="ArgumentException">Unknown operator, or no small model it accepts.</exception>
    public static void RequireSupported(string op, Bus.Core.Model.TransformerConfig full)
    {
        ArgumentNullException.ThrowIfNull(full);
        if (op == Midas)
        {
            var small = (full with { Layers = full.Layers / 2 }).Validate();
            _ = Bus.Growth.Schedules.Midas.Stages(small, full, 0.25, 0.5);
            return;
        }
        _ = Methods.GrowthMethod.SmallConfig(Bus.Growth.Operators.GrowthOperators.Create(op), full);
    }
}
