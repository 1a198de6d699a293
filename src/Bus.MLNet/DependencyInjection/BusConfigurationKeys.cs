using System.Reflection;

namespace Bus.MLNet.DependencyInjection;

/// <summary>
/// The configuration keys of the "Bus" section: flat names, as the docs write them. Every settable property of
/// <see cref="BusTrainerOptions"/> but <see cref="BusTrainerOptions.Model"/> is a key under its own name, and the
/// model's shape is set by the keys of <see cref="ModelKeys"/> (<c>Bus:DModel</c>, <c>Bus:FeedForwardSize</c>, ...),
/// which name <see cref="TransformerConfig"/> properties; the earlier keys of <see cref="Aliases"/> are still read.
/// Keys are case-insensitive, as configuration binding is.
/// </summary>
public static class BusConfigurationKeys
{
    /// <summary>The <see cref="TransformerConfig"/> properties that configuration sets; the trainers set the rest from the data.</summary>
    public static IReadOnlyList<string> ModelKeys { get; } =
    [
        nameof(TransformerConfig.MaxLength), nameof(TransformerConfig.DModel), nameof(TransformerConfig.Heads),
        nameof(TransformerConfig.FeedForwardSize), nameof(TransformerConfig.Layers), nameof(TransformerConfig.Dropout),
    ];

    /// <summary>Earlier configuration keys and the key each now names.</summary>
    public static IReadOnlyDictionary<string, string> Aliases { get; } = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase)
    {
        ["DFf"] = nameof(TransformerConfig.FeedForwardSize),
        ["StartDFf"] = nameof(BusTrainerOptions.StartFeedForwardSize),
    };

    /// <summary>Every key (aliases excluded), by name (case-insensitive): the property it sets.</summary>
    internal static IReadOnlyDictionary<string, PropertyInfo> Properties { get; } =
        typeof(BusTrainerOptions).GetProperties()
            .Where(p => p.SetMethod is { IsPublic: true } && p.Name != nameof(BusTrainerOptions.Model))
            .Concat(ModelKeys.Select(k => typeof(TransformerConfig).GetProperty(k)!))
            .ToDictionary(p => p.Name, StringComparer.OrdinalIgnoreCase);

    /// <summary>The key of a property or alias (its exact spelling); unknown names are returned as given.</summary>
    internal static string KeyOf(string? name) =>
        name is not null && Properties.TryGetValue(Aliases.TryGetValue(name, out var target) ? target : name,
            out var p) ? p.Name : name ?? "";

}
