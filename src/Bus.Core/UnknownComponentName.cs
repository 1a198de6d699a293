namespace Bus.Core;

/// <summary>The one error for a component name nobody registered (registries, <c>IBusComponents</c>, DI).</summary>
public static class UnknownComponentName
{
    /// <summary>"Unknown {kind} '{name}'. Known: a, b." (or "(none)"), with parameter name "name".</summary>
    /// <param name="kind">What was asked for, e.g. "growth operator".</param>
    /// <param name="name">The name asked for.</param>
    /// <param name="known">The registered names, in the order to list them.</param>
    public static ArgumentException Error(string kind, string name, IEnumerable<string> known)
    {
        ArgumentNullException.ThrowIfNull(known);
        var names = known.ToList();
        return new ArgumentException($"Unknown {kind} '{name}'. Known: {(names.Count == 0 ? "(none)" : string.Join(", ", names))}.",
            nameof(name));
    }
}
