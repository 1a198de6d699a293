namespace Bus.Core.Interop;

/// <summary>One tensor of a Hugging Face checkpoint and the Bus parameters it holds.</summary>
/// <param name="HfName">The Hugging Face name, e.g. <c>transformer.h.0.attn.c_attn.weight</c>.</param>
/// <param name="BusNames">Bus parameters concatenated along their output axis (dim 0) to form it (q|k|v for GPT-2's <c>c_attn</c>).</param>
/// <param name="Shape">The shape config.json implies, each dimension with the config field it comes from.</param>
/// <param name="Conv1D">True for GPT-2's Conv1D weights, stored [in, out] (the transpose of Bus's [out, in] linears).</param>
internal sealed record HfTensor(string HfName, IReadOnlyList<string> BusNames, IReadOnlyList<HfDim> Shape, bool Conv1D = false);

/// <summary>One dimension of an <see cref="HfTensor"/>: its size and the config.json field (or expression) that sets it.</summary>
/// <param name="Size">The size config.json implies.</param>
/// <param name="Field">The field, e.g. <c>n_embd</c>, or an expression naming it, e.g. <c>3 x n_embd</c>.</param>
internal sealed record HfDim(long Size, string Field);
