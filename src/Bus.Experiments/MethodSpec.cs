namespace Bus.Experiments;

/// <summary>
/// A named recipe for one arm of an equal-budget comparison: given the task, options, budget and seed (through
/// a <see cref="MethodBuilder"/>), it sets the initial model shape, optimizer and its lr/wd, batch selector and
/// training algorithms. Specs are stateless; <see cref="Configure"/> builds fresh components for every run.
/// </summary>
public abstract class MethodSpec
{
    /// <summary>Name used on the command line and in tables, e.g. "bus-identity+lion".</summary>
    public abstract string Name { get; }

    /// <summary>The run parts this method takes over (each exclusive trait at most once per combination, as in the trainer).</summary>
    public abstract AlgorithmTraits Traits { get; }

    /// <summary>One line saying what the method does and with which settings.</summary>
    public abstract string Describe(ComparisonOptions options);

    /// <summary>Applies the recipe to <paramref name="builder"/> (may train auxiliary models, e.g. RHO-LOSS's IL model).</summary>
    public abstract void Configure(MethodBuilder builder);

    /// <summary>Combines methods into one run.</summary>
    /// <exception cref="InvalidOperationException">Two of them hold the same exclusive trait (the message names both and its
    /// slot).</exception>
    public static MethodSpec Combine(params MethodSpec[] parts) => new CombinedMethod(parts);

    /// <inheritdoc />
    public override string ToString() => Name;
}

/// <summary>Several methods in one run; built only when no two of them hold the same exclusive <see cref="AlgorithmTraits"/>
/// (<see cref="ExclusiveTraits"/>).</summary>
public sealed class CombinedMethod : MethodSpec
{
    /// <summary>Checks, at construction, that the parts can run together.</summary>
    /// <exception cref="InvalidOperationException">Two parts hold the same exclusive trait (the message names both and its
    /// slot).</exception>
    public CombinedMethod(IEnumerable<MethodSpec> parts)
    {
        ArgumentNullException.ThrowIfNull(parts);
        Parts = parts.SelectMany(p => p is CombinedMethod c ? c.Parts : [p]).ToList();
        if (Parts.Count == 0) throw new ArgumentException("A combination needs at least one method.", nameof(parts));
        if (ExclusiveTraits.FirstConflict(Parts.Select(p => (p.Name, p.Traits))) is var (trait, holders))
            throw new InvalidOperationException(
                $"Methods {string.Join(" and ", holders)} both take the {ExclusiveTraits.Slot(trait)} slot and cannot run together in " +
                $"one run.");
    }

    /// <summary>The combined methods, in order (their algorithms run in this order).</summary>
    public IReadOnlyList<MethodSpec> Parts { get; }

    /// <inheritdoc />
    public override string Name => string.Join("+", Parts.Select(p => p.Name));

    /// <inheritdoc />
    public override AlgorithmTraits Traits => Parts.Aggregate(AlgorithmTraits.None, (t, p) => t | p.Traits);

    /// <inheritdoc />
    public override string Describe(ComparisonOptions options) => string.Join("; ", Parts.Select(p => p.Describe(options)));

    /// <inheritdoc />
    public override void Configure(MethodBuilder builder)
    {
        foreach (var part in Parts) part.Configure(builder);
    }
}
