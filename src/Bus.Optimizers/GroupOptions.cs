using Bus.Core;
using TorchSharp.Modules;

namespace Bus.Optimizers;

/// <summary>
/// Per-group options of a <see cref="GroupedOptimizer{TOptions}"/> (TorchSharp convention: a null field means "use the
/// optimizer's default"): how a group takes the values it leaves unset from the defaults, and the checks of its values.
/// </summary>
public abstract class GroupOptions : OptimizerOptions
{
    private protected GroupOptions()
    {
    }

    /// <summary>Fills every null field, the learning rate included, from <paramref name="defaults"/>.</summary>
    internal void Inherit(GroupOptions defaults)
    {
        LearningRate ??= defaults.LearningRate;
        InheritOwn(defaults);
    }

    /// <summary>Checks every set value (the learning rate finite and &gt;= 0, then the optimizer's own).</summary>
    /// <exception cref="ArgumentOutOfRangeException">A value is out of range or NaN.</exception>
    internal void Validate()
    {
        Guard.NonNegative(LearningRate ?? 0, "lr");
        ValidateOwn();
    }

    /// <summary>Fills the optimizer's own null fields from <paramref name="defaults"/> (options of the same type).</summary>
    private protected abstract void InheritOwn(GroupOptions defaults);

    /// <summary>Checks the optimizer's own set values.</summary>
    private protected abstract void ValidateOwn();
}
