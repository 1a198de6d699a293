namespace Bus.Growth.Operators;

/// <summary>
/// One stage of MIDAS gradual middle stacking (Saunshi et al. 2024, arXiv 2409.19044, sec. 3, Algorithm 1): a model of
/// L blocks grows to L + b by duplicating its middle group of b blocks, blocks s..s+b-1 with s = floor((L - b) / 2);
/// the copy is inserted right after the group (e.g. 3 -> 4: blocks 0,1,1,2; 2 -> 3: 0,0,1; 4 -> 6: 0,1,2,1,2,3).
/// b = L' - L comes from the target config and must be in [1, L]. Every grown block copies a trained block, so
/// optimizer moments map by the same copy. Not function preserving (the copy adds its residual branch once more).
/// Gradual schedules over several stages: <see cref="Schedules.Midas.Stages"/>.
/// </summary>
public sealed class MidasGrowth : DepthGrowth
{
    /// <inheritdoc />
    public override string Name => "midas";

    /// <summary>
    /// First block of the middle group of <paramref name="blocks"/> blocks in a model of <paramref name="layers"/> blocks.
    /// </summary>
    public static int MiddleStart(int layers, int blocks) => (layers - blocks) / 2;

    /// <inheritdoc />
    public override int? SourceBlock(int targetLayer, int sourceLayers, int targetLayers)
    {
        int b = targetLayers - sourceLayers;
        int end = MiddleStart(sourceLayers, b) + b; // one past the middle group
        return targetLayer < end ? targetLayer : targetLayer - b;
    }

    /// <inheritdoc />
    public override void Validate(ModelLayout layout, ModelShape from, ModelShape to)
    {
        base.Validate(layout, from, to);
        if (to.Layers <= from.Layers || to.Layers > 2 * from.Layers)
            throw new ArgumentException(
                $"MIDAS duplicates b = target - source middle blocks with 1 <= b <= source: source {from.Layers} layers, target " +
                    $"{to.Layers}.",
                nameof(TransformerConfig.Layers));
    }
}
