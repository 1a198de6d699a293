namespace Bus.Core.Checkpoints;

/// <summary>
/// Checks the <c>growths</c> entry of a checkpoint before it is restored: every growth event whole (stage, operator,
/// both shapes and both evaluations), stages numbered 1, 2, ... and steps in order within the steps the run took. A
/// missing part used to pass the load and throw <see cref="NullReferenceException"/> at the next checkpoint write.
/// </summary>
internal static class SavedGrowths
{
    /// <summary>Returns <paramref name="growths"/> when every entry is valid.</summary>
    /// <exception cref="InvalidDataException">An entry is null or incomplete, or out of order (the message names it).</exception>
    public static List<GrowthEvent> Validate(List<GrowthEvent?>? growths, long steps)
    {
        if (growths is null) throw new InvalidDataException("null");
        long previous = 0;
        for (int i = 0; i < growths.Count; i++)
        {
            string at = $"growth {i + 1} of {growths.Count}";
            var g = growths[i] ?? throw new InvalidDataException($"{at} is null");
            if (g.Stage != i + 1) throw new InvalidDataException($"{at} has stage {g.Stage}, expected {i + 1}");
            if (string.IsNullOrWhiteSpace(g.Operator)) throw new InvalidDataException($"{at} has no operator");
            RequireShape(g.From, g.FromShape, at, "from");
            RequireShape(g.To, g.ToShape, at, "to");
            if (g.Before is null) throw new InvalidDataException($"{at} has no 'before' evaluation");
            if (g.After is null) throw new InvalidDataException($"{at} has no 'after' evaluation");
            if (g.After.Step < previous || g.After.Step > steps)
                throw new InvalidDataException(
                    $"{at} is at step {g.After.Step}, outside {previous}..{steps} (the previous growth's step to the steps taken)");
            previous = g.After.Step;
        }

        return growths!;
    }

    // A transformer's growth records configs; another module's records shapes.
    private static void RequireShape(TransformerConfig? config, ModelShape? shape, string at, string which)
    {
        if (config is null && shape is null) throw new InvalidDataException($"{at} has no '{which}' shape");
        if (config is null) return;
        try
        {
            config.Validate();
        }
        catch (ArgumentException e)
        {
            throw new InvalidDataException($"{at} has an invalid '{which}' shape: {e.Message.Split('\n')[0]}", e);
        }
    }
}
