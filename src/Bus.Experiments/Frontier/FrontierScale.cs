namespace Bus.Experiments.Frontier;

/// <summary>
/// One scale of the frontier study: the full model (width, depth, heads, family) whose scratch sizes form the frontier
/// and which every growth arm of the scale ends at.
/// </summary>
/// <param name="Name">Folder and table name, e.g. "gpt-d64".</param>
/// <param name="DModel">Width of the full model (even).</param>
/// <param name="Layers">Depth of the full model (at least 2, so half depth exists).</param>
/// <param name="Heads">Attention heads of the full model (even, so half width keeps the head size).</param>
/// <param name="Architecture">Model family.</param>
/// <param name="Growth">Whether the growth arms run at this scale (the scratch frontier always does).</param>
public sealed record FrontierScale(string Name, int DModel, int Layers, int Heads, ModelArchitecture Architecture = ModelArchitecture.Gpt,
    bool Growth = true)
{
    /// <summary>Checks the sizes; returns this scale.</summary>
    /// <exception cref="ArgumentException">A name with characters outside [a-z0-9-], an odd width or head count, fewer than 2
    /// layers.</exception>
    public FrontierScale Validate()
    {
        if (string.IsNullOrWhiteSpace(Name) || !Name.All(c => char.IsAsciiLetterLower(c) || char.IsAsciiDigit(c) || c == '-'))
            throw new ArgumentException($"Scale name must use a-z, 0-9 and '-', got '{Name}'.", nameof(Name));
        if (DModel < 4 || DModel % 2 != 0)
            throw new ArgumentOutOfRangeException(nameof(DModel), DModel, $"DModel must be even and at least 4, got {DModel}.");
        Guard.AtLeast(Layers, 2, nameof(Layers));
        if (Heads < 2 || Heads % 2 != 0 || DModel % Heads != 0)
            throw new ArgumentOutOfRangeException(nameof(Heads), Heads, $"Heads must be even and divide DModel {DModel}, got {Heads}.");
        if (!Enum.IsDefined(Architecture))
            throw new ArgumentOutOfRangeException(nameof(Architecture), Architecture, "Unknown architecture.");
        return this;
    }
}
