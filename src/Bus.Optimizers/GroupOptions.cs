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

    /// <summary>Loads the group hyperparameters from another options record of the same optimizer.</summary>
    /// <param name="source">Options of the same type.</param>
    /// <exception cref="ArgumentException"><paramref name="source"/> belongs to another optimizer.</exception>
    public override void LoadStateDict(OptimizerOptions source)
    {
        base.LoadStateDict(source);
        if (source?.GetType() != GetType())
            throw new ArgumentException($"Not {GetType().DeclaringType?.Name} options.", nameof(source));
        Copy((GroupOptions)source, unsetOnly: false);
    }

    /// <summary>Fills every null field, the learning rate included, from <paramref name="defaults"/>.</summary>
    internal void Inherit(GroupOptions defaults)
    {
        LearningRate ??= defaults.LearningRate;
        Copy(defaults, unsetOnly: true);
    }

    /// <summary>Checks every set value (the learning rate finite and &gt;= 0, then the optimizer's own).</summary>
    /// <exception cref="ArgumentOutOfRangeException">A value is out of range or NaN.</exception>
    internal void Validate()
    {
        Guard.NonNegative(LearningRate ?? 0, "lr");
        ValidateOwn();
    }

    /// <summary>
    /// Copies the optimizer's own fields from <paramref name="source"/> (options of the same type): every field, or with
    /// <paramref name="unsetOnly"/> only those that are null here.
    /// </summary>
    private protected abstract void Copy(GroupOptions source, bool unsetOnly);

    /// <summary><paramref name="theirs"/>, or with <paramref name="unsetOnly"/> <paramref name="mine"/> when it is set.</summary>
    private protected static T? Pick<T>(T? mine, T? theirs, bool unsetOnly) where T : struct => unsetOnly ? mine ?? theirs : theirs;

    /// <summary>Checks the optimizer's own set values.</summary>
    private protected abstract void ValidateOwn();
}
