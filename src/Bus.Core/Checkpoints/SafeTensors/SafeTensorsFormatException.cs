namespace Bus.Core.Checkpoints.SafeTensors;

/// <summary>
/// Thrown when a safetensors file (or header buffer) violates the format. The message names the file,
/// the offending tensor (when there is one) and the problem. It derives from <see cref="IOException"/> because
/// <see cref="InvalidDataException"/> is sealed; <c>catch (IOException)</c> covers missing and corrupt files alike.
/// </summary>
public sealed class SafeTensorsFormatException : IOException
{
    /// <summary>Creates the exception for <paramref name="filePath"/>, optionally naming <paramref name="tensorName"/>.</summary>
    /// <param name="filePath">The file (or buffer label) that failed validation.</param>
    /// <param name="tensorName">The tensor entry at fault, or <see langword="null"/> when the problem is file-wide.</param>
    /// <param name="problem">A human-readable description of the violation.</param>
    /// <param name="inner">The underlying exception, if any (e.g. a JSON parse error).</param>
    public SafeTensorsFormatException(string filePath, string? tensorName, string problem, Exception? inner = null)
        : base(BuildMessage(filePath, tensorName, problem), inner)
    {
        FilePath = filePath;
        TensorName = tensorName;
        Problem = problem;
    }

    /// <summary>The file (or buffer label) that failed validation.</summary>
    public string FilePath { get; }

    /// <summary>The tensor entry at fault, or <see langword="null"/> when the problem is file-wide.</summary>
    public string? TensorName { get; }

    /// <summary>The violation, without the file and tensor prefix.</summary>
    public string Problem { get; }

    private static string BuildMessage(string filePath, string? tensorName, string problem) =>
        tensorName is null
            ? $"Invalid safetensors file '{filePath}': {problem}"
            : $"Invalid safetensors file '{filePath}', tensor '{tensorName}': {problem}";
}
