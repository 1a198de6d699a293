namespace Bus.Growth.Operators;

/// <summary>The built-in growth operators by name (for CLIs and configuration; DI registers the same names).</summary>
public static class GrowthOperators
{
    /// <summary>The registry: every built-in operator by name.</summary>
    public static ComponentRegistry<IGrowthOperator> Registry { get; } = new("growth operator",
        new Dictionary<string, Func<IGrowthOperator>>
    {
        ["bus-identity"] = () => new BusIdentityExpansion(),
        ["fpi-width"] = () => new FunctionPreservingWidth(new FunctionPreservingWidthOptions { Mapping = UnitMapping.Random }),
        ["fpi-width-rr"] = () => new FunctionPreservingWidth(new FunctionPreservingWidthOptions { Mapping = UnitMapping.RoundRobin }),
        ["hypercloning"] = () => new HyperCloning(),
        ["spectral"] = () => new SpectralGrowth(),
        ["stack-depth"] = () => new StackingDepthGrowth(),
        ["interpolate-depth"] = () => new InterpolationDepthGrowth(),
        ["fpi-depth-top"] = () => new FunctionPreservingDepth(DepthPlacement.Top),
        ["fpi-depth-interleave"] = () => new FunctionPreservingDepth(DepthPlacement.Interleave),
        ["msg-depth"] = () => new MsgDepthGrowth(),
        ["msg-depth-fresh"] = () => new MsgDepthGrowth(new MsgDepthOptions { Init = MsgBlockInit.Fresh }),
        ["msg-width"] = () => new MsgWidthGrowth(),
        ["midas"] = () => new MidasGrowth(),
        ["ligo"] = () => new Learned.LigoOperator(),
        ["mango"] = () => new Learned.MangoOperator(),
    });

    /// <summary>Names of every built-in operator.</summary>
    public static IReadOnlyList<string> Names => Registry.Names;

    /// <summary>Creates the operator called <paramref name="name"/>.</summary>
    /// <exception cref="ArgumentException">No operator has that name (the message lists the known ones).</exception>
    public static IGrowthOperator Create(string name) => Registry.Create(name);
}
