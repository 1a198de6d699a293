namespace Bus.Experiments.BusProtocol;

/// <summary>One training run of one arm and seed.</summary>
/// <param name="Arm">Arm name ("scratch", "bus", "control").</param>
/// <param name="Seed">Seed of the run.</param>
/// <param name="History">Every dev evaluation (growth events included, with notes).</param>
/// <param name="FinalMetric">Final dev metric.</param>
/// <param name="WallClockSeconds">Training wall-clock.</param>
/// <param name="Flops">Estimated training FLOPs.</param>
/// <param name="Log">Trainer and algorithm messages.</param>
public sealed record ExperimentRun(string Arm, long Seed, IReadOnlyList<MetricsRecord> History, double FinalMetric,
    double WallClockSeconds, double Flops, IReadOnlyList<string> Log);

/// <summary>Singular values of one weight matrix at one moment (the seed's spectral analysis).</summary>
/// <param name="Arm">Arm.</param>
/// <param name="Seed">Seed.</param>
/// <param name="Moment">"small (before growth)", "grown (final)", "scratch (final)".</param>
/// <param name="Parameter">Canonical parameter name.</param>
/// <param name="Values">Singular values, descending.</param>
public sealed record WeightSpectrum(string Arm, long Seed, string Moment, string Parameter, IReadOnlyList<double> Values);

/// <summary>When a run first reached a target metric.</summary>
/// <param name="Seed">Seed.</param>
/// <param name="Reached">Whether the target was reached.</param>
/// <param name="WallClockSeconds">Training wall-clock at that point.</param>
/// <param name="Flops">FLOPs at that point.</param>
/// <param name="Epoch">Epoch at that point.</param>
public sealed record TimeToTarget(long Seed, bool Reached, double WallClockSeconds, double Flops, double Epoch);
