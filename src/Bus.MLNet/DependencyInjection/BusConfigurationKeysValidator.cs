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
    private static readonly string[] Known = typeof(BusOptions).GetProperties().Where(p => p.CanWrite).Select(p => p.Name).Order(StringComparer.Ordinal).ToArray();

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
