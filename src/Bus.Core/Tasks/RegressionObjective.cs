namespace Bus.Core.Tasks;

/// <summary>
/// Regression for non-sequence models: mean squared error between outputs and float targets of the same
/// shape [B, ...]; the metric is the MSE over every element (lower is better).
/// </summary>
public sealed record RegressionObjective : ITrainingObjective
{
    /// <inheritdoc />
    public string MetricName => "mse";

    /// <inheritdoc />
    public bool HigherIsBetter => false;

    /// <inheritdoc />
    public Tensor Loss(Tensor output, Tensor targets)
    {
        RequireSameShape(output, targets);
        return nn.functional.mse_loss(output, targets.to(output.dtype));
    }

    /// <inheritdoc />
    public Tensor PerExampleLoss(Tensor output, Tensor targets)
    {
        RequireSameShape(output, targets);
        using var squared = nn.functional.mse_loss(output, targets.to(output.dtype), reduction: nn.Reduction.None);
        return squared.reshape(output.shape[0], -1).mean([1]);
    }

    /// <inheritdoc />
    public (double Sum, long Count) MetricSum(Tensor output, Tensor targets)
    {
        RequireSameShape(output, targets);
        using var sum = nn.functional.mse_loss(output, targets.to(output.dtype), reduction: nn.Reduction.Sum);
        return (sum.to(float64).item<double>(), targets.numel());
    }

    /// <inheritdoc />
    public double Finish(double sum, long count) => sum / count;

    private static void RequireSameShape(Tensor output, Tensor targets)
    {
        ArgumentNullException.ThrowIfNull(output);
        ArgumentNullException.ThrowIfNull(targets);
        if (!output.shape.SequenceEqual(targets.shape))
            throw new ArgumentException(
                $"Regression targets have shape [{string.Join(",", targets.shape)}]; outputs [{string.Join(",", output.shape)}].",
                nameof(targets));
    }
}
