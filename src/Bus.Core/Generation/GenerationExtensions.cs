namespace Bus.Core.Generation;

/// <summary><c>model.Generate(prompt, options)</c> on a <see cref="GrowableTransformer"/> (either family).</summary>
public static class GenerationExtensions
{
    /// <summary>Generates token ids after <paramref name="prompt"/>, streamed lazily (<see cref="TokenGenerator.Generate"/>).</summary>
    /// <param name="model">A decoder.</param>
    /// <param name="prompt">At least one token id.</param>
    /// <param name="options">Sampling, length and stop settings (default: <see cref="GenerationOptions"/>'s defaults).</param>
    /// <param name="cancellationToken">Checked before every step.</param>
    public static IEnumerable<int> Generate(this GrowableTransformer model, IReadOnlyList<int> prompt, GenerationOptions? options = null,
        CancellationToken cancellationToken = default) =>
        TokenGenerator.Generate(model, prompt, options ?? new GenerationOptions(), cancellationToken);
}
