namespace Bus.Core.Training;

/// <summary>
/// Dynamic loss scaling for fp16 training, with the rules and defaults of PyTorch's <c>torch.cuda.amp.GradScaler</c>:
/// the loss is multiplied by <see cref="Scale"/> before the backward pass and the gradients divided by it after; a step
/// whose gradients overflowed (inf or NaN) is skipped and the scale multiplied by <see cref="BackoffFactor"/>; after
/// <see cref="GrowthInterval"/> good steps in a row the scale is multiplied by <see cref="GrowthFactor"/>. Its state (scale
/// and good-step count) is saved in every checkpoint.
/// </summary>
public sealed class DynamicLossScaler : ICheckpointable
{
    /// <summary>Creates a scaler (defaults: GradScaler's 2^16, 2, 0.5, 2000).</summary>
    /// <exception cref="ArgumentOutOfRangeException">A scale that is not positive, a growth factor not above 1, a backoff
    /// factor outside (0, 1), or an interval below 1.</exception>
    public DynamicLossScaler(double initialScale = 65536, double growthFactor = 2, double backoffFactor = 0.5, int growthInterval = 2000)
    {
        Scale = Guard.Positive(initialScale, nameof(initialScale));
        GrowthFactor = Guard.InRange(growthFactor, 1, double.MaxValue, nameof(growthFactor), minExclusive: true);
        BackoffFactor = Guard.InRange(backoffFactor, 0, 1, nameof(backoffFactor), minExclusive: true, maxExclusive: true);
        GrowthInterval = Guard.Positive(growthInterval, nameof(growthInterval));
    }

    /// <summary>The factor on the loss now.</summary>
    public double Scale { get; private set; }

    /// <summary>Good steps since the last overflow or growth.</summary>
    public int GoodSteps { get; private set; }

    /// <summary>Factor applied after <see cref="GrowthInterval"/> good steps.</summary>
    public double GrowthFactor { get; }

    /// <summary>Factor applied after an overflow.</summary>
    public double BackoffFactor { get; }

    /// <summary>Good steps in a row before the scale grows.</summary>
    public int GrowthInterval { get; }

    /// <summary>Steps skipped because their gradients overflowed.</summary>
    public long SkippedSteps { get; private set; }

    /// <summary>
    /// Records one step: <paramref name="overflowed"/> lowers the scale and resets the count (the caller skips the
    /// optimizer step); otherwise the count grows and, at <see cref="GrowthInterval"/>, so does the scale.
    /// </summary>
    public void Update(bool overflowed)
    {
        if (overflowed)
        {
            Scale *= BackoffFactor;
            GoodSteps = 0;
            SkippedSteps++;
            return;
        }
        if (++GoodSteps < GrowthInterval) return;
        Scale *= GrowthFactor;
        GoodSteps = 0;
    }

    /// <inheritdoc />
    public string CheckpointKey => "loss-scaler";

    /// <inheritdoc />
    public void SaveState(CheckpointState state)
    {
        ArgumentNullException.ThrowIfNull(state);
        state.SetString(CheckpointKey + "/scale", Scale.ToString("R", CultureInfo.InvariantCulture));
        state.SetString(CheckpointKey + "/good", GoodSteps.ToString(CultureInfo.InvariantCulture));
        state.SetString(CheckpointKey + "/skipped", SkippedSteps.ToString(CultureInfo.InvariantCulture));
    }

    /// <inheritdoc />
    /// <exception cref="InvalidDataException">An entry is missing or out of range.</exception>
    public void LoadState(CheckpointState state)
    {
        ArgumentNullException.ThrowIfNull(state);
        double scale = double.Parse(state.GetString(CheckpointKey + "/scale"), NumberStyles.Float, CultureInfo.InvariantCulture);
        int good = int.Parse(state.GetString(CheckpointKey + "/good"), NumberStyles.None, CultureInfo.InvariantCulture);
        long skipped = long.Parse(state.GetString(CheckpointKey + "/skipped"), NumberStyles.None, CultureInfo.InvariantCulture);
        if (!double.IsFinite(scale) || scale <= 0 || good >= GrowthInterval)
            throw new InvalidDataException(
                $"Checkpoint entry '{CheckpointKey}': scale {scale} and {good} good steps are not a valid scaler state.");
        (Scale, GoodSteps, SkippedSteps) = (scale, good, skipped);
    }
}
