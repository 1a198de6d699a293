namespace Bus.MLNet.DependencyInjection;

/// <summary>
/// Reports configuration keys under the "Bus" section that name no option (<see cref="BusConfigurationKeys"/>; e.g. a
/// misspelt "Bus:Epoch"), which configuration binding would otherwise ignore, with the nearest known key ("Did you
/// mean 'Epochs'?"). Keys match case-insensitively, as binding does; the aliases of
/// <see cref="BusConfigurationKeys.Aliases"/> are known.
/// Registered by <c>services.AddBus(configuration)</c>.
/// </summary>
/// <param name="section">The bound configuration section.</param>
public sealed class BusConfigurationKeysValidator(IConfiguration section) : IValidateOptions<BusOptions>
{
    private static readonly string[] Known = BusConfigurationKeys.Properties.Keys.Order(StringComparer.Ordinal).ToArray();

    /// <inheritdoc />
    public ValidateOptionsResult Validate(string? name, BusOptions options)
    {
        var unknown = section.GetChildren().Select(c => c.Key)
            .Where(key => !BusConfigurationKeys.Properties.ContainsKey(key) && !BusConfigurationKeys.Aliases.ContainsKey(key)).ToList();
        return unknown.Count == 0
            ? ValidateOptionsResult.Success
            : ValidateOptionsResult.Fail(unknown.Select(key =>
                $"{BusOptions.SectionName}:{key}: unknown option.{Suggestion(key)} Known: {string.Join(", ", Known)}."));
    }

    /// <summary>
    /// " Did you mean 'X'?" for the known key nearest to <paramref name="key"/> (at most a third of its letters edited), else "".
    /// </summary>
    internal static string Suggestion(string key)
    {
        var best = Known.Concat(BusConfigurationKeys.Aliases.Keys)
            .Select(k => (Key: k, Distance: EditDistance(key.ToLowerInvariant(), k.ToLowerInvariant())))
            .OrderBy(c => c.Distance).ThenBy(c => c.Key, StringComparer.Ordinal).First();
        return best.Distance <= Math.Max(1, key.Length / 3) ? $" Did you mean '{best.Key}'?" : "";
    }

    /// <summary>Levenshtein distance (insertions, deletions, substitutions).</summary>
    internal static int EditDistance(string a, string b)
    {
        var previous = Enumerable.Range(0, b.Length + 1).ToArray();
        for (int i = 1; i <= a.Length; i++)
        {
            var current = new int[b.Length + 1];
            current[0] = i;
            for (int j = 1; j <= b.Length; j++)
                current[j] = Math.Min(Math.Min(current[j - 1], previous[j]) + 1, previous[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1));
            previous = current;
        }
        return previous[b.Length];
    }
}
