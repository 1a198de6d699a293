using Bus.Growth.Operators;
using Bus.Core.Tasks.Corpora;

namespace Bus.MLNet.Training;

/// <summary>The start and final model configs of a run (one definition for training and start-up validation).</summary>
internal static class ModelShapes
{
    /// <summary>
    /// Final: the options' <see cref="BusTrainerOptions.Model"/> as a 27-symbol encoder with <paramref name="classes"/>
    /// outputs; start: StartDModel x StartLayers with StartHeads (each defaulting to the final value).
    /// </summary>
    public static (TransformerConfig Start, TransformerConfig Final) Of(BusTrainerOptions options, int classes)
    {
        var final = (options.Model with { VocabSize = CharVocabulary.Size, Mode = ModelMode.Encoder, Classes = classes }).Validate();
        var start = options.Grows
            ? (final with
            {
                DModel = options.StartDModel ?? final.DModel, Heads = options.EffectiveStartHeads,
                FeedForwardSize = options.EffectiveStartFeedForwardSize, Layers = options.StartLayers ?? final.Layers,
            }).Validate()
            : final;
        return (start, final);
    }

    /// <summary>
    /// Checks, before any training, that the named components exist and that the growth operator can map the start
    /// shape to the final one (e.g. "stack-depth" keeps the width); throws <see cref="ArgumentException"/> naming the option.
    /// </summary>
    public static void Check(BusTrainerOptions options, IBusComponents components)
    {
        options.Validate();
        DeviceCheck.Require(options.Device);
        _ = components.GetOptimizer(options.Optimizer);
        if (!options.Grows) return;
        IGrowthOperator growth = components.GetGrowthOperator(options.GrowthOperator);
        var (start, final) = Of(options, classes: 2);
        try
        {
            growth.Validate(start, final);
        }
        catch (ArgumentException e)
        {
            throw new ArgumentException(
                $"GrowthOperator '{options.GrowthOperator}' cannot grow {start.Describe()} to {final.Describe()}: "
                + $"{e.Message}{HeadDimHint(options, start, final)}",
                nameof(BusTrainerOptions.GrowthOperator), e);
        }
    }

    /// <summary>When head_dim changes and StartHeads is unset: the StartHeads that keeps it, if one exists.</summary>
    private static string HeadDimHint(BusTrainerOptions options, TransformerConfig start, TransformerConfig final)
    {
        if (options.StartHeads is not null || start.DModel * final.Heads % final.DModel != 0) return "";
        int keep = start.DModel * final.Heads / final.DModel;
        return keep > 0 && start.DModel / keep == final.DModel / final.Heads && keep != start.Heads
            ? $" (set StartHeads = {keep} to keep head_dim {final.DModel / final.Heads})"
            : "";
    }
}
