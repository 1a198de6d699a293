using Bus.Core.Growth;
using Bus.Core.Model;
using TorchSharp;
using static TorchSharp.torch;

namespace Bus.Growth.Operators;

/// <summary>
/// Shared body of the depth operators: width must not change, every grown block either copies a trained block
/// (<see cref="SourceBlock"/>) or is new; non-block parameters (embeddings, final norm, head) are copied.
/// Optimizer moments are copied by the same block mapping; new blocks keep a fresh state.
/// </summary>
public abstract class DepthGrowth : IMomentMappingOperator
{
    /// <inheritdoc />
    public abstract string Name { get; }

    /// <summary>The trained block that grown block <paramref name="targetLayer"/> copies, or null for a new block.</summary>
    /// <param name="targetLayer">Index of a block of the grown model.</param>
    /// <param name="sourceLayers">Blocks of the small model.</param>
    /// <param name="targetLayers">Blocks of the grown model.</param>
    public abstract int? SourceBlock(int targetLayer, int sourceLayers, int targetLayers);

    /// <inheritdoc />
    public virtual void Validate(TransformerConfig source, TransformerConfig target)
    {
        GrowthValidation.RequireCompatible(source, target);
        GrowthValidation.Same(source.DModel, target.DModel, nameof(TransformerConfig.DModel));
        GrowthValidation.Same(source.DFf, target.DFf, nameof(TransformerConfig.DFf));
        GrowthValidation.Same(source.Heads, target.Heads, nameof(TransformerConfig.Heads));
    }

    /// <inheritdoc />
    public GrowableTransformer Grow(GrowableTransformer source, TransformerConfig target, GrowthContext context)
    {
        ArgumentNullException.ThrowIfNull(source);
        ArgumentNullException.ThrowIfNull(context);
        Validate(source.Config, target);
        var grown = GrowableTransformer.Create(target, context.Seed, source.Device); // fresh init, used only by new blocks
        using var noGrad = no_grad();
        var small = source.named_parameters().ToDictionary(p => p.name, p => p.parameter);
        foreach (var (name, big) in grown.named_parameters())
        {
            var from = SourceName(name, source.Config, target);
            if (from is not null) big.copy_(small[from]);
            else InitialiseNew(name[(name.IndexOf('.', 7) + 1)..], big);
        }
        return grown;
    }

    /// <summary>Copies the state of the source parameter; null (fresh state) for parameters of new blocks.</summary>
    public Tensor? MapState(string parameterName, MomentKind kind, IReadOnlyDictionary<string, Tensor> smallState,
        TransformerConfig source, TransformerConfig target, GrowthContext context)
    {
        ArgumentNullException.ThrowIfNull(smallState);
        Validate(source, target);
        var from = SourceName(parameterName, source, target);
        if (from is null) return null;
        if (!smallState.TryGetValue(from, out var state))
            throw new ArgumentException($"No small-model state for parameter '{from}'.", nameof(smallState));
        using var noGrad = no_grad();
        return state.clone();
    }

    /// <summary>Sets a parameter of a new block (it already holds the model's fresh initialisation).</summary>
    /// <param name="suffix">Parameter name inside the block, e.g. <c>attn.o.weight</c>.</param>
    /// <param name="parameter">The parameter to set.</param>
    protected virtual void InitialiseNew(string suffix, Tensor parameter)
    {
    }

    /// <summary>Name of the small parameter that grown parameter <paramref name="name"/> copies, or null for a new block.</summary>
    public string? SourceName(string name, TransformerConfig source, TransformerConfig target)
    {
        ArgumentNullException.ThrowIfNull(name);
        ArgumentNullException.ThrowIfNull(source);
        ArgumentNullException.ThrowIfNull(target);
        if (!ParameterNames.TryParseBlock(name, out int layer, out var suffix)) return name;
        return SourceBlock(layer, source.Layers, target.Layers) is int from ? ParameterNames.Block(from, suffix) : null;
    }

    /// <summary>Throws unless the target depth is a whole multiple of the source depth.</summary>
    protected static void RequireMultiple(TransformerConfig source, TransformerConfig target)
    {
        if (target.Layers % source.Layers != 0)
            throw new ArgumentException($"Layers must grow by a whole factor: source {source.Layers}, target {target.Layers}.", nameof(TransformerConfig.Layers));
    }
}
