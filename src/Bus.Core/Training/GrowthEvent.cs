namespace Bus.Core.Training;

/// <summary>One growth of the model during a run, as the growth schedule recorded it.</summary>
/// <param name="Stage">Which growth of the run this is (1-based).</param>
/// <param name="Operator">Name of the growth operator that built the larger model.</param>
/// <param name="From">Config of the transformer before growth; null when the run grows another module (see <see
/// cref="FromShape"/>).</param>
/// <param name="To">Config of the transformer after growth; null when the run grows another module (see <see cref="ToShape"/>).</param>
/// <param name="Before">Dev evaluation just before growth (also in the run's history).</param>
/// <param name="After">Dev evaluation just after growth (also in the run's history).</param>
public sealed record GrowthEvent(int Stage, string Operator, TransformerConfig? From, TransformerConfig? To, MetricsRecord Before,
    MetricsRecord After)
{
    /// <summary>Shape of a module that is not a transformer before growth (null for transformers: see <see cref="From"/>).</summary>
    [System.Text.Json.Serialization.JsonIgnore(Condition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull)]
    public ModelShape? FromShape { get; init; }

    /// <summary>Shape of a module that is not a transformer after growth (null for transformers: see <see cref="To"/>).</summary>
    [System.Text.Json.Serialization.JsonIgnore(Condition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull)]
    public ModelShape? ToShape { get; init; }

    /// <summary>Optimizer steps taken when the model grew.</summary>
    public long Step => After.Step;

    /// <summary>The run-log message for this growth, e.g.
    /// "growth 1 (bus-identity): dev loss 2.1000 -> 2.1000, dev bpc 3.0000 -> 3.0000".</summary>
    /// <param name="metricName">The objective's metric name (<see cref="Tasks.ITrainingObjective.MetricName"/>).</param>
    public string Describe(string metricName) => string.Create(CultureInfo.CurrentCulture,
        $"growth {Stage} ({Operator}): dev loss {Before.DevLoss:F4} -> {After.DevLoss:F4}, dev {metricName} {Before.DevMetric:F4} -> " +
        $"{After.DevMetric:F4}");
}
