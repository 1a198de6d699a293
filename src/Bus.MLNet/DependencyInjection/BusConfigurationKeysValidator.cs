using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Options;

namespace Bus.MLNet.DependencyInjection;

/// <summary>
/// Reports configuration keys under the "Bus" section that name no <see cref="BusOptions"/> property (e.g. a misspelt
/// "Bus:Epoch"), which configuration binding would otherwise ignore. Keys match case-insensitively, as binding does.
/// Registered by <c>services.AddBus(configuration)</c>.
/// </summary>
/// <param name="section">The bound configuration section.</param>
public sealed class BusConfigurationKeysValidator(IConfiguration section) : IValidateOptions<BusOptions>
{
    private static readonly string[] Known = typeof(BusOptions).GetProperties().Where(p => p.CanWrite).Select(Key).Order(StringComparer.Ordinal).ToArray();

    /// <summary>The configuration key of a <see cref="BusOptions"/> property (its <see cref="ConfigurationKeyNameAttribute"/>, else its name); unknown names are returned as given.</summary>
    internal static string KeyOf(string? property) =>
        property is not null && typeof(BusOptions).GetProperty(property) is { } p ? Key(p) : property ?? "";

    private static string Key(System.Reflection.PropertyInfo p) =>
        p.GetCustomAttributes(typeof(ConfigurationKeyNameAttribute), false).OfType<ConfigurationKeyNameAttribute>().FirstOrDefault()?.Name ?? p.Name;

    /// <inheritdoc />
    public ValidateOptionsResult Validate(string? name, BusOptions options)
    {
        var unknown = section.GetChildren().Select(c => c.Key)
            .Where(key => !Known.Contains(key, StringComparer.OrdinalIgnoreCase)).ToList();
        return unknown.Count == 0
            ? ValidateOptionsResult.Success
            : ValidateOptionsResult.Fail(unknown.Select(key => $"{BusOptions.SectionName}:{key}: unknown option. Known: {string.Join(", ", Known)}."));
    }
}
