using System.Globalization;
using System.Reflection;

namespace Bus.MLNet.DependencyInjection;

/// <summary>
/// Binds the "Bus" configuration section onto <see cref="BusOptions.Trainer"/>: flat keys
/// (<see cref="BusConfigurationKeys"/>: the <see cref="BusTrainerOptions"/> names and the model's <c>DModel</c>,
/// <c>Heads</c>, <c>FeedForwardSize</c>, ...; case-insensitive, as configuration binding is; the earlier keys
/// <c>DFf</c>/<c>StartDFf</c> are aliases). Every value that does not convert to its option's type or is out of its
/// option's range is reported together, naming the key and the value
/// (<c>Bus:Epochs: 'three' is not a valid Double.</c>), as one <see cref="OptionsValidationException"/> instead of an
/// exception for the first one. Unknown keys are left to <see cref="BusConfigurationKeysValidator"/>; the rules that
/// involve several options to <see cref="BusOptionsValidator"/>.
/// </summary>
public static class BusConfigurationBinding
{
    /// <summary>Sets every option that <paramref name="section"/> names.</summary>
    /// <exception cref="OptionsValidationException">A value does not convert or is out of range, or an option and its alias
    /// disagree.</exception>
    public static void Bind(IConfiguration section, BusOptions options)
    {
        ArgumentNullException.ThrowIfNull(section);
        ArgumentNullException.ThrowIfNull(options);
        var failures = new List<string>();
        var setBy = new Dictionary<string, (string Key, string Value)>(StringComparer.Ordinal);
        var trainer = options.Trainer with { }; // copies, set key by key below before anyone sees them
        var model = trainer.Model with { };
        foreach (var child in section.GetChildren())
        {
            if (child.Value is not { } text) continue; // a nested section: no option takes one (the keys validator says so)
            string name = BusConfigurationKeys.Aliases.TryGetValue(child.Key, out var target) ? target : child.Key;
            if (!BusConfigurationKeys.Properties.TryGetValue(name, out var property)) continue;
            if (setBy.TryGetValue(property.Name, out var earlier))
            {
                if (!string.Equals(earlier.Value, text, StringComparison.Ordinal))
                    failures.Add($"{BusOptions.SectionName}:{child.Key}: '{text}' disagrees with {BusOptions.SectionName}:{earlier.Key} " +
                                 $"'{earlier.Value}' (the same option); give one of them.");
                continue;
            }
            setBy[property.Name] = (child.Key, text);
            if (!TryConvert(text, property.PropertyType, out var value))
                failures.Add($"{BusOptions.SectionName}:{child.Key}: '{text}' is not a valid {Describe(property.PropertyType)}.");
            else if (Set(property, property.DeclaringType == typeof(TransformerConfig) ? model : trainer, value) is { } error)
                failures.Add($"{BusOptions.SectionName}:{child.Key}: {error.Message}");
        }
        try
        {
            trainer = trainer with { Model = model };
        }
        catch (ArgumentException e)
        {
            failures.Add($"{BusOptions.SectionName}:{BusConfigurationKeys.KeyOf(e.ParamName)}: {e.Message}");
        }
        if (failures.Count > 0) throw new OptionsValidationException(Options.DefaultName, typeof(BusOptions), failures);
        options.Trainer = trainer;
    }

    /// <summary>Runs the property's validating setter on a copy nobody else holds yet; returns its exception, if any.</summary>
    private static ArgumentException? Set(PropertyInfo property, object target, object? value)
    {
        try
        {
            property.SetValue(target, value);
            return null;
        }
        catch (TargetInvocationException e) when (e.InnerException is ArgumentException inner)
        {
            return inner;
        }
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
            return trimmed.Length > 0 && !char.IsDigit(trimmed[0]) && trimmed[0] != '-'
                && Enum.TryParse(target, trimmed, ignoreCase: true, out value);
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
