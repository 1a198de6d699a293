using System.ComponentModel;
using System.Globalization;
using System.Reflection;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Options;

namespace Bus.MLNet.DependencyInjection;

/// <summary>
/// Binds the "Bus" configuration section onto <see cref="BusOptions"/>: keys are the property names (case-insensitive,
/// as configuration binding is), the earlier keys <c>DFf</c>/<c>StartDFf</c> are aliases, and every value that does
/// not convert to its option's type is reported together, naming the key and the value
/// (<c>Bus:Epochs: 'three' is not a valid Double.</c>), as one <see cref="OptionsValidationException"/> instead of the
/// binder's exception for the first one. Unknown keys are left to <see cref="BusConfigurationKeysValidator"/>.
/// </summary>
public static class BusConfigurationBinding
{
    /// <summary>Earlier configuration keys and the option each now names.</summary>
    public static IReadOnlyDictionary<string, string> Aliases { get; } = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase)
    {
        ["DFf"] = nameof(BusOptions.FeedForwardSize),
        ["StartDFf"] = nameof(BusOptions.StartFeedForwardSize),
    };

    /// <summary>The writable options, by name (case-insensitive).</summary>
    internal static IReadOnlyDictionary<string, PropertyInfo> Properties { get; } =
        typeof(BusOptions).GetProperties().Where(p => p.CanWrite).ToDictionary(p => p.Name, StringComparer.OrdinalIgnoreCase);

    /// <summary>Sets every option that <paramref name="section"/> names.</summary>
    /// <exception cref="OptionsValidationException">A value does not convert, or an option and its alias disagree.</exception>
    public static void Bind(IConfiguration section, BusOptions options)
    {
        ArgumentNullException.ThrowIfNull(section);
        ArgumentNullException.ThrowIfNull(options);
        var failures = new List<string>();
        var setBy = new Dictionary<string, (string Key, string Value)>(StringComparer.Ordinal);
        foreach (var child in section.GetChildren())
        {
            if (child.Value is not { } text) continue; // a nested section: no option takes one (the keys validator says so)
            string name = Aliases.TryGetValue(child.Key, out var target) ? target : child.Key;
            if (!Properties.TryGetValue(name, out var property)) continue;
            if (setBy.TryGetValue(property.Name, out var earlier))
            {
                if (!string.Equals(earlier.Value, text, StringComparison.Ordinal))
                    failures.Add($"{BusOptions.SectionName}:{child.Key}: '{text}' disagrees with {BusOptions.SectionName}:{earlier.Key} " +
                                 $"'{earlier.Value}' (the same option); give one of them.");
                continue;
            }
            setBy[property.Name] = (child.Key, text);
            if (TryConvert(text, property.PropertyType, out var value)) property.SetValue(options, value);
            else failures.Add($"{BusOptions.SectionName}:{child.Key}: '{text}' is not a valid {Describe(property.PropertyType)}.");
        }
        if (failures.Count > 0) throw new OptionsValidationException(Options.DefaultName, typeof(BusOptions), failures);
    }

    private static bool TryConvert(string text, Type type, out object? value)
    {
        var underlying = Nullable.GetUnderlyingType(type);
        value = null;
        if (underlying is not null && text.Length == 0) return true; // an empty value clears an optional setting
        var target = underlying ?? type;
        if (target == typeof(string)) { value = text; return true; }
        if (target.IsEnum)
        {
            string trimmed = text.Trim(); // names only: Enum.TryParse would also take "7" or "-1"
            return trimmed.Length > 0 && !char.IsDigit(trimmed[0]) && trimmed[0] != '-' && Enum.TryParse(target, trimmed, ignoreCase: true, out value);
        }
        try
        {
            value = TypeDescriptor.GetConverter(target).ConvertFromInvariantString(text);
            return value is not null;
        }
        catch (Exception e) when (e is FormatException or ArgumentException or NotSupportedException or OverflowException
                                  || e.InnerException is FormatException or OverflowException)
        {
            return false;
        }
    }

    private static string Describe(Type type)
    {
        var target = Nullable.GetUnderlyingType(type) ?? type;
        if (target.IsEnum) return $"{target.Name} (one of {string.Join(", ", Enum.GetNames(target))})";
        string kind = Type.GetTypeCode(target) switch
        {
            TypeCode.Int32 or TypeCode.Int64 => "whole number",
            TypeCode.Double or TypeCode.Single => "number",
            TypeCode.Boolean => "true/false",
            _ => "value",
        };
        return string.Create(CultureInfo.InvariantCulture, $"{kind} ({target.Name})");
    }
}
