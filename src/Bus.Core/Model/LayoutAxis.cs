namespace Bus.Core.Model;

/// <summary>
/// One axis of a parameter: the <see cref="AxisSpace"/> it indexes, and whether the parameter <see cref="Reads"/> that
/// space (its values are summed over the axis by the next computation: the input columns of a linear, or a gain whose
/// output a tied head sums) or produces / lives in it (rows of a linear, embedding columns, biases, norm gains).
/// Under Net2Net-style width growth a read axis is split (divided by the number of copies), a produced axis copied.
/// </summary>
/// <param name="Space">The space the axis indexes.</param>
/// <param name="Reads">True when the axis is summed over by the computation that follows.</param>
public readonly record struct LayoutAxis(AxisSpace Space, bool Reads = false)
{
    /// <summary>Short form for messages and docs, e.g. <c>residual (read)</c>.</summary>
    public override string ToString() => Reads ? $"{Space} (read)" : Space.ToString();
}
