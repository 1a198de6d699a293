// MSBuild inline task (RoslynCodeTaskFactory, build/LineLength.targets): reports every line of the given source files
// longer than the max_line_length that .editorconfig sets for *.cs, as an MSBuild error or warning with file and line.
using System;
using System.IO;
using System.Linq;
using System.Text.RegularExpressions;
using Microsoft.Build.Framework;
using Microsoft.Build.Utilities;

public class CheckLineLength : Task
{
    [Required] public ITaskItem[] Files { get; set; }

    [Required] public string EditorConfig { get; set; }

    /// <summary>error, warning or off.</summary>
    [Required] public string Mode { get; set; }

    [Output] public int LongLines { get; set; }

    public override bool Execute()
    {
        string mode = (Mode ?? "").Trim().ToLowerInvariant();
        if (mode == "off") return true;
        if (mode != "error" && mode != "warning")
        {
            Log.LogError("BusMaxLineLengthCheck is '" + Mode + "'; expected error, warning or off.");
            return false;
        }
        int max = ReadMaxLineLength(EditorConfig);
        if (max <= 0)
        {
            Log.LogError(EditorConfig + ": no max_line_length in a section that matches *.cs.");
            return false;
        }
        foreach (var file in Files)
        {
            string path = file.GetMetadata("FullPath");
            if (!File.Exists(path)) continue;
            string[] lines = File.ReadAllLines(path);
            for (int i = 0; i < lines.Length; i++)
            {
                int columns = lines[i].Length - lines[i].Count(char.IsLowSurrogate); // code points, as grep counts
                if (columns <= max) continue;
                LongLines++;
                string message = "line is " + columns + " columns, over the .editorconfig max_line_length of " + max;
                if (mode == "error") Log.LogError(null, "BUS0140", null, path, i + 1, 0, 0, 0, message);
                else Log.LogWarning(null, "BUS0140", null, path, i + 1, 0, 0, 0, message);
            }
        }
        return !Log.HasLoggedErrors;
    }

    /// <summary>max_line_length of the last .editorconfig section whose glob covers *.cs files (0 when none).</summary>
    private static int ReadMaxLineLength(string editorConfig)
    {
        int max = 0;
        bool covers = false;
        foreach (string raw in File.ReadAllLines(editorConfig))
        {
            string line = raw.Trim();
            if (line.StartsWith("[", StringComparison.Ordinal))
            {
                covers = Regex.IsMatch(line, @"^\[(\*|\*\*/?\*?|\*\.(cs|\{[^}]*\bcs\b[^}]*\}))\]$");
                continue;
            }
            var match = Regex.Match(line, @"^max_line_length\s*=\s*(\d+)\s*$");
            if (covers && match.Success) max = int.Parse(match.Groups[1].Value);
        }
        return max;
    }
}
