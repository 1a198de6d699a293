namespace Bus.Core.Checkpoints;

/// <summary>Where and how often the trainer writes resumable checkpoints.</summary>
public sealed record CheckpointOptions
{
    private readonly string _directory = "checkpoints";
    private readonly int _everySteps = 100;

    /// <summary>Folder holding <c>last.safetensors</c> (created if missing).</summary>
    public string Directory
    {
        get => _directory;
        init => _directory = string.IsNullOrWhiteSpace(value)
            ? throw new ArgumentException("Checkpoint directory must be named.", nameof(Directory))
            : value;
    }

    /// <summary>Write a checkpoint every this many optimizer steps (and at the end of the run).</summary>
    public int EverySteps
    {
        get => _everySteps;
        init => _everySteps = value > 0
            ? value
            : throw new ArgumentOutOfRangeException(nameof(EverySteps), value, "Checkpoint interval must be positive.");
    }

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

    /// <summary>
    /// Extend the run in <see cref="Directory"/> (finished or not) to the request's larger budget: every other field of the
    /// run fingerprint must match, and the schedule must allow it: the run has not begun its decay (a WSD schedule before
    /// its decay phase, a linear or cosine one still warming up). The warm-up keeps its length and the decay is keyed to the
    /// new budget (<see cref="LearningRateSchedule.Extended"/>); the step count, optimizer and data order continue. Refused
    /// (<see cref="ScheduleExtensionException"/>) otherwise, or when the folder holds no checkpoint. A request whose budget
    /// is the checkpoint's (a crashed extension run, run again) resumes as usual. Default false.
    /// </summary>
    public bool Extend { get; init; }

    /// <summary>
    /// Extra metadata entries written into every checkpoint, e.g. the model's tokenizer
    /// (<see cref="Tokenization.ModelTokenizer.ToMetadata"/>); not part of the run fingerprint. Default none.
    /// </summary>
    public IReadOnlyDictionary<string, string> Metadata { get; init; } = new Dictionary<string, string>();

    /// <summary>Path of the checkpoint file.</summary>
    public string LastPath => Path.Combine(Directory, "last.safetensors");
}
