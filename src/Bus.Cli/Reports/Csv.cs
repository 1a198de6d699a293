namespace Bus.Cli.Reports;

/// <summary>The CSV files the reports write: a header line, then one line per row, values in the invariant culture.</summary>
internal static class Csv
{
    /// <summary>Writes <paramref name="header"/> and <paramref name="rows"/> (each made by <see cref="Row"/>) to
    /// <paramref name="path"/>.</summary>
    public static void Write(string path, string header, IEnumerable<string> rows)
    {
        var text = new StringBuilder(header).Append('\n');
        foreach (var row in rows) text.AppendLine(row);
        File.WriteAllText(path, text.ToString());
    }

    /// <summary>One line of values; a text value holding a comma is quoted.</summary>
    public static string Row(params object?[] values) =>
        string.Join(',', values.Select(v => v is string s && s.Contains(',', StringComparison.Ordinal) ? $"\"{s}\""
            : Convert.ToString(v, CultureInfo.InvariantCulture)));
}
