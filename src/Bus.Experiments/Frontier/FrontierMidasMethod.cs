using Bus.Experiments;

namespace Bus.Experiments.Frontier;

/// <summary>
/// The MIDAS arm (gradual middle stacking, Saunshi et al. 2024): from half depth, one block at a time (a copy of the middle
/// block), its stages spread evenly from half the growth fraction to the growth fraction, so the model reaches full depth
/// at the same budget fraction as the one-shot operators' arms.
/// </summary>
public sealed class FrontierMidasMethod(string name, double fraction) : MethodSpec
{
    /// <inheritdoc />
    public override string Name { get; } = string.IsNullOrWhiteSpace(name)
        ? throw new ArgumentException("A method needs a name.", nameof(name)) : name;

    /// <summary>Budget fraction at which the model reaches full depth.</summary>
    public double Fraction { get; } = fraction > 0 && fraction < 1 ? fraction
        : throw new ArgumentOutOfRangeException(nameof(fraction), fraction, $"Growth fraction must be in (0, 1), got {fraction}.");

    /// <inheritdoc />
    public override AlgorithmTraits Traits => AlgorithmTraits.ReplacesModel;

    /// <inheritdoc />
    public override string Describe(ComparisonOptions options) =>
        $"{Name}: start at half depth, add the middle block one at a time (MIDAS) from {Fraction / 2:P0} to {Fraction:P0} of the budget";

    /// <inheritdoc />
    public override void Configure(MethodBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        var full = builder.FullConfig;
        var small = (full with { Layers = full.Layers / 2 }).Validate();
        builder.InitialConfig = small;
        builder.Algorithms.Add(new GrowthSchedule(small, Midas.Stages(small, full, Fraction / 2, Fraction), builder.Seed));
    }
}
