namespace Bus.Experiments.BusProtocol;

/// <summary>Per-arm statistics of the final dev metric, and the comparison with the scratch baseline.</summary>
/// <param name="Arm">Arm name.</param>
/// <param name="Metric">Final dev metric over seeds.</param>
/// <param name="WallClock">Training wall-clock over seeds.</param>
/// <param name="Flops">FLOPs over seeds.</param>
/// <param name="VersusScratch">Welch test against the scratch arm (null for scratch itself or with one seed).</param>
/// <param name="TimeToTarget">Per seed, when the run reached the scratch arm's mean final metric.</param>
public sealed record ArmSummary(string Arm, SampleSummary Metric, SampleSummary WallClock, SampleSummary Flops,
    WelchTTest? VersusScratch, IReadOnlyList<TimeToTarget> TimeToTarget);

/// <summary>Everything a BUS experiment produced.</summary>
/// <param name="Options">The protocol that ran.</param>
/// <param name="MetricName">"accuracy" or "bpc".</param>
/// <param name="HigherIsBetter">Direction of the metric.</param>
/// <param name="Runs">Every run.</param>
/// <param name="Arms">Statistics per arm.</param>
/// <param name="Spectra">Singular-value spectra of selected weight matrices.</param>
public sealed record BusExperimentResult(BusExperimentOptions Options, string MetricName, bool HigherIsBetter,
    IReadOnlyList<ExperimentRun> Runs, IReadOnlyList<ArmSummary> Arms, IReadOnlyList<WeightSpectrum> Spectra);

/// <summary>Progress of an experiment: which run, and that run's training progress.</summary>
/// <param name="Arm">Arm of the current run.</param>
/// <param name="Seed">Seed of the current run.</param>
/// <param name="RunIndex">0-based index of the current run.</param>
/// <param name="RunCount">Total runs.</param>
/// <param name="Training">Training progress of the current run.</param>
public sealed record ExperimentProgress(string Arm, long Seed, int RunIndex, int RunCount, Bus.Core.Training.TrainingProgress Training);
