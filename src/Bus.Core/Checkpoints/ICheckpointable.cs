namespace Bus.Core.Checkpoints;

/// <summary>
/// A selector or training algorithm with state that must survive a resume (a loss history, a growth stage
/// counter). The trainer saves and restores it in every checkpoint under <see cref="CheckpointKey"/>.
/// </summary>
public interface ICheckpointable
{
    /// <summary>Unique key prefix of this component's entries in the checkpoint.</summary>
    string CheckpointKey { get; }

    /// <summary>Adds this component's state to <paramref name="state"/>.</summary>
    void SaveState(CheckpointState state);

    /// <summary>Restores this component's state from <paramref name="state"/>.</summary>
    void LoadState(CheckpointState state);
}
