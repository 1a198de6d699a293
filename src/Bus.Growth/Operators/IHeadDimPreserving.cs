namespace Bus.Growth.Operators;

/// <summary>
/// Marks a width-growth operator that keeps each head's width (head_dim): widening d_model adds heads, so a target
/// must grow the heads with d_model (HyperCloning clones whole heads; MSG's width mask ramps new heads in). Front ends
/// (the CLI's <c>--grow</c>, ML.NET's <c>StartHeads</c>) use it to pick the heads when only the width is given.
/// </summary>
public interface IHeadDimPreserving;
