using Bus.Growth.KnowledgeInheritance;

namespace Bus.Experiments.Study;

/// <summary>
/// The knowledge-inheritance arm ("the student becomes the teacher"): a half-width teacher trains for
/// <see cref="TeacherFraction"/> of the budget (charged setup, at the small model's cost), then the full model
/// trains from scratch with the rest, on (1 - a) LM + a KL(teacher || student), a annealed to 0 early
/// (<see cref="KnowledgeInheritanceOptions"/>); every teacher forward is charged.
/// </summary>
public sealed class KnowledgeInheritanceMethod(double teacherFraction = 0.25, KnowledgeInheritanceOptions? options = null) : MethodSpec
{
    /// <summary>Budget fraction spent training the teacher.</summary>
    public double TeacherFraction { get; } = teacherFraction is > 0 and < 1 ? teacherFraction : throw new ArgumentOutOfRangeException(
        nameof(teacherFraction), teacherFraction, $"Teacher fraction must be in (0, 1), got {teacherFraction}.");

    /// <summary>KD weight and annealing.</summary>
    public KnowledgeInheritanceOptions Options { get; } = options ?? new KnowledgeInheritanceOptions();

    /// <inheritdoc />
    public override string Name => "knowledge-inheritance";

    /// <inheritdoc />
    public override AlgorithmTraits Traits => AlgorithmTraits.ReplacesModel;

    /// <inheritdoc />
    public override string Describe(ComparisonOptions options) =>
        $"{Name}: d/2 teacher trained for {TeacherFraction:P0} of the budget (charged), then the full model from scratch on (1-a) LM + a " +
        $"KL(teacher||student), a = {Options.Alpha:G3} annealed linearly to 0 at {Options.AnnealFraction:P0} of its run; teacher " +
        $"forwards charged";

    /// <summary>The teacher's shape: half width (d/2, d_ff/2) of the full model.</summary>
    public static TransformerConfig TeacherConfig(TransformerConfig full)
    {
        ArgumentNullException.ThrowIfNull(full);
        return (full with { DModel = full.DModel / 2, FeedForwardSize = Math.Max(1, full.FeedForwardSize / 2) }).Validate();
    }

    /// <inheritdoc />
    public override void Configure(MethodBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        var watch = Stopwatch.StartNew();
        var config = TeacherConfig(builder.FullConfig);
        long seed = builder.Seed + 2_000_003;
        var budget = new Budget(builder.Budget.Unit, TeacherFraction * builder.Budget.Amount);
        var result = new Trainer(builder.TrainerOptions(budget, seed)).Fit(GrowableTransformer.Create(config, seed), builder.Train,
            builder.Dev, builder.Objective);
        var meter = result.Meter;
        builder.AddSetup(
            new SetupCost(
                $"teacher d={config.DModel} trained {meter.Steps} steps (final dev {builder.Objective.MetricName} " +
                $"{result.Final.DevMetric:F4})",
            true, meter.Spent(builder.Budget.Unit), meter.Steps, meter.Flops, meter.ReferenceSeconds, watch.Elapsed.TotalSeconds));
        builder.Algorithms.Add(new KnowledgeInheritance(result.Model, Options));
    }
}
