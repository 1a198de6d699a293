namespace Bus.Core;

/// <summary>
/// Built-in components of one kind by name: the single source of those names for CLIs, configuration and DI.
/// Names are matched case-insensitively and listed in registration order.
/// </summary>
/// <typeparam name="T">What a name creates.</typeparam>
public sealed class ComponentRegistry<T>
{
    private readonly Dictionary<string, Func<T>> _factories;

    /// <summary>Creates a registry of <paramref name="kind"/> (e.g. "growth operator", named in errors).</summary>
    /// <param name="kind">What the components are, as errors name them.</param>
    /// <param name="factories">Name and factory of each component, in listing order.</param>
    /// <exception cref="ArgumentException">A name is empty or given twice (ignoring case).</exception>
    public ComponentRegistry(string kind, IEnumerable<KeyValuePair<string, Func<T>>> factories)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(kind);
        ArgumentNullException.ThrowIfNull(factories);
        Kind = kind;
        _factories = new Dictionary<string, Func<T>>(StringComparer.OrdinalIgnoreCase);
        foreach (var (name, factory) in factories)
        {
            ArgumentException.ThrowIfNullOrWhiteSpace(name, nameof(factories));
            if (!_factories.TryAdd(name, factory ?? throw new ArgumentNullException(nameof(factories), $"No factory for {kind} '{name}'.")))
                throw new ArgumentException($"The {kind} '{name}' is registered twice.", nameof(factories));
        }
        Names = [.. _factories.Keys];
    }

    /// <summary>What the components are, e.g. "growth operator".</summary>
    public string Kind { get; }

    /// <summary>Every name, in registration order.</summary>
    public IReadOnlyList<string> Names { get; }

    /// <summary>Whether <paramref name="name"/> is registered (ignoring case).</summary>
    public bool Contains(string name) => name is not null && _factories.ContainsKey(name);

    /// <summary>Creates the component called <paramref name="name"/>.</summary>
    /// <exception cref="ArgumentException">No component has that name (the message lists the known ones).</exception>
    public T Create(string name)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        return TryCreate(name, out var component)
            ? component
            : throw UnknownComponentName.Error(Kind, name, Names);
    }

    /// <summary>Creates the component called <paramref name="name"/> if there is one.</summary>
    public bool TryCreate(string name, out T component)
    {
        if (name is not null && _factories.TryGetValue(name, out var factory))
        {
            component = factory();
            return true;
        }
        component = default!;
        return false;
    }
}
