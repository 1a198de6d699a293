namespace Bus.Core.Tests;

/// <summary>
/// Tests that compare runs bit for bit. TorchSharp's default generator is process-global, so another test
/// seeding or drawing from it in parallel would change dropout masks; these tests therefore run alone.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class DeterminismCollection
{
    /// <summary>The collection's name.</summary>
    public const string Name = "bitwise determinism";
}
