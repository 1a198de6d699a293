namespace Bus.Growth.Tests.Masked;

/// <summary>Training runs that compare results across runs: not run in parallel with each other.</summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class TrainingCollection
{
    public const string Name = "masked growth training";
}
