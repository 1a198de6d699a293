namespace Bus.Growth.Schedules;

/// <summary>
/// Where a growth schedule's mask ramp stands (MSG): the stage that installed the mask, the steps and budget fraction
/// spent at its growth, and the mask value in force; saved in training checkpoints so a resume continues the ramp.
/// </summary>
/// <param name="Stage">Index of the stage whose operator installed the mask (0-based).</param>
/// <param name="StartStep">Optimizer steps taken when the model grew.</param>
/// <param name="StartFraction">Budget fraction spent when the model grew.</param>
/// <param name="Value">The mask value in force.</param>
internal sealed record MaskRampProgress(int Stage, long StartStep, double StartFraction, double Value)
{
    private const string Prefix = "/mask-ramp/";

    /// <summary>Writes the progress under <paramref name="key"/>.</summary>
    public void Save(CheckpointState state, string key)
    {
        state.SetString(key + Prefix + "stage", Stage.ToString(CultureInfo.InvariantCulture));
        state.SetString(key + Prefix + "start-step", StartStep.ToString(CultureInfo.InvariantCulture));
        state.SetString(key + Prefix + "start-fraction", StartFraction.ToString("R", CultureInfo.InvariantCulture));
        state.SetString(key + Prefix + "value", Value.ToString("R", CultureInfo.InvariantCulture));
    }

    /// <summary>The progress saved under <paramref name="key"/>, or null when no ramp was running.</summary>
    public static MaskRampProgress? Load(CheckpointState state, string key) =>
        !state.HasString(key + Prefix + "stage") ? null : new(
            int.Parse(state.GetString(key + Prefix + "stage"), CultureInfo.InvariantCulture),
            long.Parse(state.GetString(key + Prefix + "start-step"), CultureInfo.InvariantCulture),
            double.Parse(state.GetString(key + Prefix + "start-fraction"), CultureInfo.InvariantCulture),
            double.Parse(state.GetString(key + Prefix + "value"), CultureInfo.InvariantCulture));

    /// <summary>Starts a ramp for stage <paramref name="stage"/> now, at m = 0.</summary>
    public static MaskRampProgress Start(int stage, BudgetMeter meter) => new(stage, meter.Steps, meter.Fraction, 0);
}
