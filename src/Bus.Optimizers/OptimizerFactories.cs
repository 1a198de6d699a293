namespace Bus.Optimizers;

/// <summary>The built-in optimizer factories by name (for CLIs and configuration; DI registers the same names).</summary>
public static class OptimizerFactories
{
    /// <summary>
    /// The registry: "adamw" (<see cref="AdamWFactory"/>, the trainer's default), "lion" (<see cref="LionFactory"/>) and "muon"
    /// (<see cref="MuonFactory"/>).
    /// </summary>
    public static ComponentRegistry<IOptimizerFactory> Registry { get; } = new("optimizer", new Dictionary<string, Func<IOptimizerFactory>>
    {
        ["adamw"] = () => new AdamWFactory(),
        ["lion"] = () => new LionFactory(),
        ["muon"] = () => new MuonFactory(),
    });

    /// <summary>Names of every built-in optimizer, in order ("adamw", "lion", "muon").</summary>
    public static IReadOnlyList<string> Names => Registry.Names;

    /// <summary>Creates the optimizer factory called <paramref name="name"/>.</summary>
    /// <exception cref="ArgumentException">No optimizer has that name (the message lists the known ones).</exception>
    public static IOptimizerFactory Create(string name) => Registry.Create(name);
}
