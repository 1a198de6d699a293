namespace Bus.Experiments.Study;

/// <summary>One finished run of the study, as stored in its own file.</summary>
/// <param name="Arm">Arm name (e.g. "scratch-lr0.002", "hypercloning@0.1:map").</param>
/// <param name="LearningRate">Peak learning rate it trained with.</param>
/// <param name="Run">The run: final metric, spending, setup, dev history.</param>
public sealed record StudyRun(string Arm, double LearningRate, ComparisonRun Run);
