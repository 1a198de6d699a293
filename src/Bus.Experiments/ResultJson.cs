using System.Text.Json.Serialization;

namespace Bus.Experiments;

/// <summary>JSON settings of the comparison's results.json and of every study file: indented, NaN and infinity kept, enums by
/// name.</summary>
public static class ResultJson
{
    /// <summary>The settings, for writing the files and reading them back.</summary>
    public static readonly JsonSerializerOptions Options = new()
    {
        WriteIndented = true,
        NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals,
        Converters = { new JsonStringEnumConverter() },
    };
}
