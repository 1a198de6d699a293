namespace Bus.Growth.KnowledgeInheritance;

/// <summary>
/// Knowledge inheritance (Qin et al. 2022, "the student becomes the teacher"): the large model trains from scratch
/// on (1 - a) LM + a KL(teacher || student), with a annealed linearly from <see cref="Alpha"/> to 0 at
/// <see cref="AnnealFraction"/> of its budget; after that the teacher is no longer run (or charged).
/// An immutable record with validated defaults.
/// </summary>
public sealed record KnowledgeInheritanceOptions
{
    /// <summary>Initial KD weight a in [0, 1] (default 0.5).</summary>
    public double Alpha { get; init => field = Guard.InRange(value, 0, 1, nameof(Alpha)); } = 0.5;

    /// <summary>Budget fraction of the student's run at which a reaches 0 (default 0.25: "early in training").</summary>
    public double AnnealFraction { get; init => field = Guard.InRange(value, 0, 1, nameof(AnnealFraction), minExclusive: true); } = 0.25;

    /// <summary>Softmax temperature of both distributions in the KL term (default 1).</summary>
    public double Temperature { get; init => field = Guard.Positive(value, nameof(Temperature)); } = 1;

    /// <summary>The KD weight at budget fraction <paramref name="fraction"/>: a (1 - f / AnnealFraction), floored at 0.</summary>
    public double WeightAt(double fraction) => Alpha * Math.Max(0, 1 - fraction / AnnealFraction);
}
