namespace Bus.Experiments;

/// <summary>One run of one method at one budget and seed.</summary>
/// <param name="Method">Method name.</param>
/// <param name="Budget">The budget (in the comparison's unit) the method was given.</param>
/// <param name="Seed">Seed.</param>
/// <param name="FinalMetric">Final dev metric (at the budget).</param>
/// <param name="FinalDevLoss">Final dev loss (nats).</param>
/// <param name="MainBudget">Budget of the main run (the budget less charged setup).</param>
/// <param name="Spent">Total spent in the unit: main run plus charged setup.</param>
/// <param name="SpentBeforeLastStep">Main run's spending before its last step (less than <paramref name="MainBudget"/> when the run stopped
/// at the first step reaching it).</param>
/// <param name="Steps">Main-run optimizer steps.</param>
/// <param name="Flops">Estimated FLOPs, main run plus all setup (charged or not).</param>
/// <param name="ReferenceSeconds">Reference seconds, main run plus all setup.</param>
/// <param name="WallClockSeconds">Training wall-clock, main run plus all setup.</param>
/// <param name="Setup">Work done before the main run.</param>
/// <param name="History">The main run's dev evaluations.</param>
/// <param name="Log">Trainer and algorithm messages.</param>
public sealed record ComparisonRun(string Method, double Budget, long Seed, double FinalMetric, double FinalDevLoss, double MainBudget,
    double Spent, double SpentBeforeLastStep, long Steps, double Flops, double ReferenceSeconds, double WallClockSeconds,
    IReadOnlyList<SetupCost> Setup, IReadOnlyList<MetricsRecord> History, IReadOnlyList<string> Log);

/// <summary>Statistics of one (budget, method) cell.</summary>
/// <param name="Budget">Budget in the comparison's unit.</param>
/// <param name="Method">Method name.</param>
/// <param name="Metric">Final dev metric over seeds (mean, std, 95% CI).</param>
/// <param name="VersusBaseline">Welch t-test against the baseline at the same budget (null for the baseline, without one, or with fewer
/// than 2 seeds).</param>
/// <param name="DeltaVsBaseline">Mean metric minus the baseline's (NaN without a baseline).</param>
/// <param name="MeanSteps">Mean main-run steps.</param>
/// <param name="MeanFlops">Mean FLOPs (setup included).</param>
/// <param name="MeanReferenceSeconds">Mean reference seconds (setup included).</param>
/// <param name="MeanWallClockSeconds">Mean wall-clock (setup included).</param>
/// <param name="ReachedTarget">Runs that reached the baseline's mean final metric at this budget.</param>
/// <param name="MeanTimeToTargetFraction">Mean budget fraction spent (charged setup included) when those runs first reached it (NaN if
/// none).</param>
public sealed record ComparisonCell(double Budget, string Method, SampleSummary Metric, WelchTTest? VersusBaseline, double DeltaVsBaseline,
    double MeanSteps, double MeanFlops, double MeanReferenceSeconds, double MeanWallClockSeconds, int ReachedTarget,
        double MeanTimeToTargetFraction);

/// <summary>Everything an equal-budget comparison produced.</summary>
/// <param name="Options">The comparison that ran.</param>
/// <param name="MetricName">"accuracy" or "bpc".</param>
/// <param name="HigherIsBetter">Direction of the metric.</param>
/// <param name="Methods">Each method's name and one-line description.</param>
/// <param name="CostTables">The calibrated reference-time tables by width (empty when none was calibrated).</param>
/// <param name="Notes">Calibration notes, and (budget, method, seed) runs that could not run because charged setup spent the whole
/// budget.</param>
/// <param name="Runs">Every run.</param>
/// <param name="Cells">Statistics per (budget, method), budgets ascending, methods in the given order.</param>
public sealed record ComparisonResult(ComparisonOptions Options, string MetricName, bool HigherIsBetter,
    IReadOnlyList<MethodDescription> Methods, IReadOnlyDictionary<int, CostTable> CostTables, IReadOnlyList<string> Notes,
    IReadOnlyList<ComparisonRun> Runs, IReadOnlyList<ComparisonCell> Cells);

/// <summary>Progress of a comparison: which run, and that run's training progress.</summary>
/// <param name="Budget">Budget of the current run.</param>
/// <param name="Method">Method of the current run.</param>
/// <param name="Seed">Seed of the current run.</param>
/// <param name="RunIndex">0-based index of the current run.</param>
/// <param name="RunCount">Total runs.</param>
/// <param name="Training">Training progress of the current run (null while setting up, e.g. calibrating or training an IL model).</param>
public sealed record ComparisonProgress(double Budget, string Method, long Seed, int RunIndex, int RunCount, TrainingProgress? Training);

/// <summary>A method's name and what it does with which settings.</summary>
/// <param name="Name">Method name.</param>
/// <param name="Description">One line.</param>
public sealed record MethodDescription(string Name, string Description);
