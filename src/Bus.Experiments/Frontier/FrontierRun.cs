namespace Bus.Experiments.Frontier;

/// <summary>One finished run of the frontier study, as stored in its own file.</summary>
/// <param name="Scale">Scale name.</param>
/// <param name="Arm">"scratch-&lt;size&gt;" or a growth arm ("stack-depth@gstack", "hypercloning@0.25+rewarm").</param>
/// <param name="LearningRate">Peak learning rate.</param>
/// <param name="BudgetIndex">Index into the scale's budgets (the last is the largest).</param>
/// <param name="Budget">The run's budget in the study's unit.</param>
/// <param name="Seed">Seed.</param>
/// <param name="DModel">Width of the final model.</param>
/// <param name="Layers">Depth of the final model.</param>
/// <param name="Heads">Heads of the final model.</param>
/// <param name="NonEmbeddingParameters">Non-embedding parameters of the final model.</param>
/// <param name="Tokens">Training tokens seen.</param>
/// <param name="Steps">Optimizer steps.</param>
/// <param name="Spent">Budget spent, in the study's unit.</param>
/// <param name="ReferenceSeconds">Reference seconds spent (0 without a cost model).</param>
/// <param name="Flops">Estimated training FLOPs.</param>
/// <param name="WallClockSeconds">Wall-clock seconds of training (evaluation excluded).</param>
/// <param name="FinalDevBpc">Dev bits per character at the end.</param>
/// <param name="TestBpc">Test bits per character at the end (the held-out split; used only in the final tables).</param>
/// <param name="GrowthFraction">Budget fraction at which the model grew (null for scratch).</param>
/// <param name="Curve">Dev evaluations: (spent, dev bpc), in order.</param>
/// <param name="Build">Informational version of the build that trained it (commit included).</param>
/// <param name="Log">Messages of the run (growth before/after, notes).</param>
public sealed record FrontierRun(string Scale, string Arm, double LearningRate, int BudgetIndex, double Budget, long Seed,
    int DModel, int Layers, int Heads, long NonEmbeddingParameters, long Tokens, long Steps, double Spent, double ReferenceSeconds,
    double Flops, double WallClockSeconds, double FinalDevBpc, double TestBpc, double? GrowthFraction, IReadOnlyList<CurvePoint> Curve,
    string Build, IReadOnlyList<string> Log);

/// <summary>One dev evaluation of a run.</summary>
/// <param name="Spent">Budget spent at the evaluation, in the study's unit.</param>
/// <param name="DevBpc">Dev bits per character.</param>
public sealed record CurvePoint(double Spent, double DevBpc);
