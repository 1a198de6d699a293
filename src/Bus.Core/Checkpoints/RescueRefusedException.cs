namespace Bus.Core.Checkpoints;

/// <summary>
/// A rescue (<see cref="CheckpointOptions.Rescue"/>) was refused: the checkpoint folder records no non-finite stop, holds no
/// checkpoint, or the request does not change the learning rate. A request that changes anything else is refused with
/// <see cref="ResumeMismatchException"/>.
/// </summary>
public sealed class RescueRefusedException : IOException
{
    /// <summary>Creates the exception with the reason, naming the folder or file and the field.</summary>
    public RescueRefusedException(string message) : base(message) { }
}
