namespace Bus.Core.Training.Checkpointing;

/// <summary>Where and how often the trainer writes resumable checkpoints.</summary>
public sealed record CheckpointOptions
{
    private readonly string _directory = "checkpoints";
    private readonly int _everySteps = 100;

    /// <summary>Folder holding <c>last.safetensors</c> (created if missing).</summary>
    public string Directory { get => _directory; init => _directory = string.IsNullOrWhiteSpace(value) ? throw new ArgumentException("Checkpoint directory must be named.", nameof(Directory)) : value; }

    /// <summary>Write a checkpoint every this many optimizer steps (and at the end of the run).</summary>
    public int EverySteps { get => _everySteps; init => _everySteps = value > 0 ? value : throw new ArgumentOutOfRangeException(nameof(EverySteps), value, "Checkpoint interval must be positive."); }

    /// <summary>Resume from <c>last.safetensors</c> when it exists (default true).</summary>
    public bool Resume { get; init; } = true;

    /// <summary>
    /// Rescue a run that stopped on a non-finite loss (docs/reliability.md, "Non-finite values"): resume from the folder's
    /// last (finite) checkpoint although the request's learning rate differs from the checkpoint's, and record the rescue
    /// (<see cref="RescueEvent"/>). Every other field of the run fingerprint must match. Refused
    /// (<see cref="RescueRefusedException"/>) when the folder records no non-finite stop, holds no checkpoint, or the
    /// learning rate is the checkpoint's. Default false.
    /// </summary>
    public bool Rescue { get; init; }

    /// <summary>Path of the checkpoint file.</summary>
    public string LastPath => Path.Combine(Directory, "last.safetensors");
}
