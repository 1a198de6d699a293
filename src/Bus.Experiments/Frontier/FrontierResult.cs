namespace Bus.Experiments.Frontier;

/// <summary>What a frontier study run (or resume) produced so far.</summary>
/// <param name="Options">The study.</param>
/// <param name="Plans">The budget plan of every scale reached.</param>
/// <param name="TunedLearningRates">Tuned peak rate per (scale, size).</param>
/// <param name="BestGrowthArms">Best growth arm (by mean final dev bpc) per scale whose growth phase finished.</param>
/// <param name="Runs">Every finished run, loaded or new.</param>
/// <param name="Executed">Runs trained by this call.</param>
/// <param name="Complete">True when no planned run is missing.</param>
/// <param name="Notes">Grid extensions, skipped operators, learning rates left at a grid edge.</param>
/// <param name="Build">The build's informational version (commit included) recorded in the folder.</param>
public sealed record FrontierResult(FrontierOptions Options, IReadOnlyList<FrontierScalePlan> Plans,
    IReadOnlyDictionary<string, double> TunedLearningRates, IReadOnlyDictionary<string, string> BestGrowthArms,
    IReadOnlyList<FrontierRun> Runs, int Executed, bool Complete, IReadOnlyList<string> Notes, string Build)
{
    /// <summary>Key of <see cref="TunedLearningRates"/>: "scale/size".</summary>
    public static string Key(string scale, string size) => scale + "/" + size;
}

/// <summary>Progress of the frontier study: the run in hand and its training progress.</summary>
/// <param name="Scale">Scale.</param>
/// <param name="Arm">Arm.</param>
/// <param name="LearningRate">Peak learning rate.</param>
/// <param name="Budget">Budget of the run.</param>
/// <param name="Seed">Seed.</param>
/// <param name="Finished">Runs finished so far (loaded and new).</param>
/// <param name="Message">A note (calibration, waiting), or null.</param>
/// <param name="Training">Training progress of the run, or null while setting up.</param>
public sealed record FrontierProgress(string Scale, string Arm, double LearningRate, double Budget, long Seed, int Finished,
    string? Message, Bus.Core.Training.TrainingProgress? Training);
