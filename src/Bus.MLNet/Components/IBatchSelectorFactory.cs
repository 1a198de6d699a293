namespace Bus.MLNet.Components;

/// <summary>
/// Creates a fresh <see cref="IBatchSelector"/> for each training run (selectors hold per-run state such as
/// loss caches, so one instance must not serve two runs). Registered by name, e.g. "uniform" or "rho-loss";
/// "uniform" creates none (null: the trainer's own shuffled batches).
/// </summary>
public interface IBatchSelectorFactory
{
    /// <summary>Name used in options and DI keys.</summary>
    string Name { get; }

    /// <summary>Creates a selector for one run (null: train on the batches the trainer draws).</summary>
    IBatchSelector? Create();
}

/// <summary>An <see cref="IBatchSelectorFactory"/> backed by a delegate.</summary>
/// <param name="Name">Name used in options and DI keys.</param>
/// <param name="Factory">Creates a selector for one run (null: the trainer's own batches).</param>
public sealed record DelegateBatchSelectorFactory(string Name, Func<IBatchSelector?> Factory) : IBatchSelectorFactory
{
    /// <inheritdoc />
    public IBatchSelector? Create() => Factory();
}
