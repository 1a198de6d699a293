namespace Bus.Core.Model;

/// <summary>
/// One row of a <see cref="ModelLayout"/>: a parameter name pattern (with <c>{i}</c> standing for the block index of
/// per-block parameters), its kind and its axes. Matrices have <see cref="Columns"/>; vectors do not.
/// </summary>
/// <param name="Pattern">Name, e.g. <c>tok_emb.weight</c> or <c>blocks.{i}.attn.q.weight</c>.</param>
/// <param name="Kind">What the parameter is.</param>
/// <param name="Rows">Axis 0.</param>
/// <param name="Columns">Axis 1 of a matrix; null for vectors.</param>
public sealed record ParameterRule(string Pattern, ParameterKind Kind, LayoutAxis Rows, LayoutAxis? Columns = null)
{
    /// <summary>The placeholder for the block index inside <see cref="Pattern"/>.</summary>
    public const string LayerPlaceholder = "{i}";

    /// <summary>True for per-block parameters (the pattern holds <c>{i}</c>).</summary>
    public bool PerBlock => Pattern.Contains(LayerPlaceholder, StringComparison.Ordinal);

    /// <summary>True when the parameter adds directly to the residual stream inside a block (o, fc2/down and their biases):
    /// zeroing these makes a pre-norm block the identity map.</summary>
    public bool WritesResidual => PerBlock && Rows == new LayoutAxis(AxisSpace.Residual)
        && Kind is ParameterKind.Weight or ParameterKind.Bias;

    /// <summary>The part of a per-block pattern after <c>{i}.</c> (e.g. <c>attn.q.weight</c>); the whole pattern otherwise.</summary>
    public string BlockSuffix
    {
        get
        {
            int at = Pattern.IndexOf(LayerPlaceholder + ".", StringComparison.Ordinal);
            return at < 0 ? Pattern : Pattern[(at + LayerPlaceholder.Length + 1)..];
        }
    }

    /// <summary>The name of this parameter in block <paramref name="layer"/> (the pattern itself for non-block parameters).</summary>
    public string Name(int layer) => PerBlock ? Pattern.Replace(LayerPlaceholder,
        layer.ToString(System.Globalization.CultureInfo.InvariantCulture), StringComparison.Ordinal) : Pattern;

    /// <summary>The shape this parameter has in a model of shape <paramref name="shape"/>.</summary>
    public long[] Shape(ModelShape shape)
    {
        ArgumentNullException.ThrowIfNull(shape);
        return Columns is { } c ? [shape.Size(Rows.Space), shape.Size(c.Space)] : [shape.Size(Rows.Space)];
    }

    /// <summary>The rule in words, e.g. <c>[Mlp, Residual (read)]</c>.</summary>
    public string Describe() => Columns is { } c ? $"[{Rows}, {c}]" : $"[{Rows}]";
}
