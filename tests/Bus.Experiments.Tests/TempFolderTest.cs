namespace Bus.Experiments.Tests;

/// <summary>
/// A test class that works in its own temporary folder (<see cref="Root"/>, named with <paramref name="prefix"/> and a fresh
/// GUID; not created here) and deletes it, with everything in it, when xUnit disposes the class.
/// </summary>
public abstract class TempFolderTest(string prefix) : IDisposable
{
    /// <summary>The folder's path.</summary>
    protected string Root { get; } = Path.Combine(Path.GetTempPath(), prefix + Guid.NewGuid().ToString("N"));

    /// <summary>Deletes <see cref="Root"/> when it exists.</summary>
    public void Dispose()
    {
        if (Directory.Exists(Root)) Directory.Delete(Root, recursive: true);
        GC.SuppressFinalize(this);
    }
}
