using Bus.Core.Model;

namespace Bus.Growth.Operators;

/// <summary>
/// The axes of every canonical parameter under <see cref="FunctionPreservingWidth"/>: the residual stream is
/// copied where it is written (embeddings, attn.o, fc2, LayerNorms) and split where it is read (q, k, v, fc1, head);
/// the attention axis is copied by q (rescaled), k, v and split by o; the MLP axis is copied by fc1 and split by fc2.
/// </summary>
internal sealed record WidthPlan(TransformerConfig Source, TransformerConfig Target, AxisMap Residual, AxisMap Attention, AxisMap Query, AxisMap[] Ffn)
{
    /// <summary>(row axis, column axis or null for vectors) of parameter <paramref name="name"/>.</summary>
    public (AxisMap Rows, AxisMap? Cols) Axes(string name)
    {
        AxisMap write = Residual.Copied(), read = Residual.Split();
        switch (name)
        {
            case ParameterNames.TokenEmbedding: return (AxisMap.Identity(Target.VocabSize), write);
            case ParameterNames.PositionEmbedding: return (AxisMap.Identity(Target.MaxLength), write);
            case ParameterNames.FinalNormWeight or ParameterNames.FinalNormBias: return (write, null);
            case ParameterNames.HeadWeight: return (AxisMap.Identity(Target.OutputSize), read);
            case ParameterNames.HeadBias: return (AxisMap.Identity(Target.OutputSize), null);
        }
        if (!ParameterNames.TryParseBlock(name, out int layer, out var suffix))
            throw new ArgumentException($"Unknown parameter '{name}'.", nameof(name));
        return suffix switch
        {
            "ln1.weight" or "ln1.bias" or "ln2.weight" or "ln2.bias" => (write, null),
            "attn.q.weight" => (Query, read),
            "attn.q.bias" => (Query, null),
            "attn.k.weight" or "attn.v.weight" => (Attention.Copied(), read),
            "attn.k.bias" or "attn.v.bias" => (Attention.Copied(), null),
            "attn.o.weight" => (write, Attention.Split()),
            "attn.o.bias" => (write, null),
            "mlp.fc1.weight" => (Ffn[layer].Copied(), read),
            "mlp.fc1.bias" => (Ffn[layer].Copied(), null),
            "mlp.fc2.weight" => (write, Ffn[layer].Split()),
            "mlp.fc2.bias" => (write, null),
            _ => throw new ArgumentException($"Unknown block parameter '{name}'.", nameof(name)),
        };
    }
}
