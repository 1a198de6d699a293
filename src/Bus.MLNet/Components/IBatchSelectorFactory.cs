using Bus.Core.Training;

namespace Bus.MLNet.Components;

/// <summary>
/// Creates a fresh <see cref="IBatchSelector"/> for each training run (selectors hold per-run state such as
/// loss caches, so one instance must not serve two runs). Registered by name, e.g. "uniform" or "rho-loss".
/// </summary>
public interface IBatchSelectorFactory
{
    /// <summary>Name used in options and DI keys.</summary>
    string Name { get; }

    /// <summary>Creates a selector for one run.</summary>
    IBatchSelector Create();
}

/// <summary>An <see cref="IBatchSelectorFactory"/> backed by a delegate.</summary>
/// <param name="Name">Name used in options and DI keys.</param>
/// <param name="Factory">Creates a selector for one run.</param>
public sealed record DelegateBatchSelectorFactory(string Name, Func<IBatchSelector> Factory) : IBatchSelectorFactory
{
    /// <inheritdoc />
    public IBatchSelector Create() => Factory();
}
