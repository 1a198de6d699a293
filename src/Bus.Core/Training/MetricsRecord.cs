namespace Bus.Core.Training;

/// <summary>One dev-set evaluation of a run.</summary>
/// <param name="Step">Optimizer steps taken.</param>
/// <param name="Epoch">Training-set passes completed, fractional.</param>
/// <param name="TrainLoss">Mean training loss since the previous record (nats).</param>
/// <param name="DevLoss">Mean dev cross-entropy (nats).</param>
/// <param name="DevMetric">The objective's dev metric, named by <see cref="MetricName"/>: accuracy for classification and letter
/// counting, bits per character for character language models, perplexity or mean squared error for those objectives.</param>
/// <param name="WallClockSeconds">Training wall-clock spent (evaluation excluded).</param>
/// <param name="Flops">Estimated FLOPs spent.</param>
/// <param name="ReferenceSeconds">Reference-system seconds spent (0 without a cost model).</param>
/// <param name="Samples">Examples back-propagated.</param>
/// <param name="DModel">Width of the model evaluated (changes at growth).</param>
/// <param name="Layers">Depth of the model evaluated.</param>
/// <param name="Note">Event that caused this record, e.g. "growth: before" (null for scheduled evaluations).</param>
public sealed record MetricsRecord(
    long Step, double Epoch, double TrainLoss, double DevLoss, double DevMetric,
    double WallClockSeconds, double Flops, double ReferenceSeconds, long Samples, int DModel, int Layers, string? Note = null)
{
    /// <summary>What <see cref="DevMetric"/> measures: the objective's <see cref="Tasks.ITrainingObjective.MetricName"/>
    /// ("accuracy", "bpc", "perplexity", "mse"); empty for a record made outside a <c>Trainer</c>.</summary>
    public string MetricName { get; init; } = "";

    /// <summary>True when a larger <see cref="DevMetric"/> is better (accuracy); false for bpc, perplexity and mse.</summary>
    public bool HigherIsBetter { get; init; }
}

/// <summary>Progress of a run, reported after every step.</summary>
/// <param name="Step">Steps taken.</param>
/// <param name="BudgetFraction">Fraction of the budget spent.</param>
/// <param name="TrainLoss">Loss of the last step.</param>
/// <param name="LastRecord">Latest dev evaluation, if any.</param>
public sealed record TrainingProgress(long Step, double BudgetFraction, double TrainLoss, MetricsRecord? LastRecord);

/// <summary>Why a run ended.</summary>
public enum StopReason
{
    /// <summary>The budget was spent.</summary>
    BudgetSpent,
    /// <summary>The cancellation token fired; the result holds everything up to the last full step.</summary>
    Cancelled,
    /// <summary>An algorithm asked to stop (e.g. early stopping).</summary>
    Requested,
}

/// <summary>The outcome of <c>Trainer.Fit</c>.</summary>
/// <param name="Module">The final model (a new instance when growth replaced it).</param>
/// <param name="History">Every dev evaluation, in order.</param>
/// <param name="Reason">Why the run ended.</param>
/// <param name="Meter">Everything the run spent.</param>
/// <param name="Log">Messages from algorithms (growth events, skipped steps).</param>
/// <remarks><see cref="Growths"/> holds the growth events as typed records.</remarks>
public sealed record TrainingResult(TorchSharp.torch.nn.Module<TorchSharp.torch.Tensor, TorchSharp.torch.Tensor> Module,
    IReadOnlyList<MetricsRecord> History, StopReason Reason, BudgetMeter Meter, IReadOnlyList<string> Log)
{
    /// <summary>The final model as a <see cref="Model.GrowableTransformer"/>, the built-in families' type; for a module of
    /// your own use <see cref="Module"/> or <see cref="ModuleAs{T}"/>.</summary>
    /// <exception cref="InvalidOperationException">The run trained another kind of module (use <see cref="Module"/>).</exception>
    public Model.GrowableTransformer Model => Module as Model.GrowableTransformer
        ?? throw new InvalidOperationException(
            $"This run trained a {Module.GetType().Name}, not a GrowableTransformer; use TrainingResult.Module.");

    /// <summary>The final model as the module type <typeparamref name="T"/> the run trained (e.g. a custom module).</summary>
    /// <exception cref="InvalidOperationException">The run's module is not a <typeparamref name="T"/>; the message names its
    /// type.</exception>
    public T ModuleAs<T>() where T : TorchSharp.torch.nn.Module => Module as T
        ?? throw new InvalidOperationException($"This run trained a {Module.GetType().Name}, not a {typeof(T).Name}.");

    /// <summary>The last dev evaluation.</summary>
    public MetricsRecord Final => History[^1];

    /// <summary>Every growth of the model during the run, in order (empty without a growth schedule).</summary>
    public IReadOnlyList<GrowthEvent> Growths { get; init; } = [];

    /// <summary>Every rescue of the run after a non-finite stop, in order (empty unless
    /// <see cref="Checkpoints.CheckpointOptions.Rescue"/> was used).</summary>
    public IReadOnlyList<RescueEvent> Rescues { get; init; } = [];
}
