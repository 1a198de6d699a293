namespace Bus.Cli.Infrastructure;

/// <summary>
/// Library options name their properties (<c>SmallEpochs</c>); the CLI user typed an option (<c>--e1</c>). Builds an
/// options record and re-throws its validation error naming the option and the value the user gave.
/// </summary>
internal static class OptionErrors
{
    /// <summary>
    /// Runs <paramref name="build"/>; an <see cref="ArgumentException"/> for a property in <paramref name="options"/>
    /// becomes one naming the CLI option.
    /// </summary>
    public static T Build<T>(Func<T> build, params (string Property, string Option, object? Value)[] options)
    {
        try
        {
            return build();
        }
        catch (ArgumentException e) when (options.Any(o => o.Property == e.ParamName))
        {
            var (_, option, value) = options.First(o => o.Property == e.ParamName);
            string problem = e.Message.Split('\n')[0].Replace($" (Parameter '{e.ParamName}')", "", StringComparison.Ordinal);
            throw new ArgumentException($"{option} {Format(value)}: {problem}", option, e);
        }
    }

    private static string Format(object? value) => value switch
    {
        null => "(none)",
        IFormattable f => f.ToString(null, System.Globalization.CultureInfo.InvariantCulture),
        System.Collections.IEnumerable list and not string => string.Join(',', list.Cast<object>()),
        _ => value.ToString() ?? "",
    };
}
