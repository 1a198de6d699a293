namespace Bus.Core.LayerDropping;

/// <summary>
/// Runs residual branches f_l in order, x ← x + s_l · f_l(x), where s_l comes from <see cref="LayerGate"/> in
/// training mode (0 skips block l; 1/p_l is progressive layer dropping's inverse-probability scale, Zhang &amp; He
/// 2020, Eq. 7) and is 1 in evaluation mode. Use it for the block list of any model so layer dropping can gate it.
/// </summary>
public sealed class GatedResidualBlocks : nn.Module<Tensor, Tensor>, IGatedBlocks, IRecomputedBlocks
{
    private readonly TorchSharp.Modules.ModuleList<nn.Module<Tensor, Tensor>> blocks;

    /// <summary>Wraps <paramref name="branches"/>: each maps x [.., d] to a residual update of the same shape.</summary>
    /// <exception cref="ArgumentException">The list is empty.</exception>
    public GatedResidualBlocks(IEnumerable<nn.Module<Tensor, Tensor>> branches, string name = "gated_blocks") : base(name)
    {
        ArgumentNullException.ThrowIfNull(branches);
        blocks = nn.ModuleList(branches.ToArray());
        if (blocks.Count == 0) throw new ArgumentException("Give at least one residual branch.", nameof(branches));
        RegisterComponents();
    }

    /// <inheritdoc />
    public int BlockCount => blocks.Count;

    /// <inheritdoc />
    public ILayerGate? LayerGate { get; set; }

    /// <inheritdoc />
    public int LastActiveBlocks { get; private set; }

    /// <inheritdoc />
    public bool Recompute { get; set; }

    /// <summary>True when a branch holds a dropout module (any type named *Dropout*): its recomputation replays the generator.</summary>
    private static bool HasDropout(nn.Module branch) =>
        branch.modules().Prepend(branch).Any(m => m.GetType().Name.Contains("Dropout", StringComparison.Ordinal));

    /// <summary>x ← x + s_l · f_l(x) for l = 0..L-1, skipping blocks whose scale is 0.</summary>
    public override Tensor forward(Tensor input)
    {
        ArgumentNullException.ThrowIfNull(input);
        var x = input;
        int active = 0;
        for (int l = 0; l < blocks.Count; l++)
        {
            double scale = training && LayerGate is { } gate ? gate.ResidualScale(l, blocks.Count) : 1.0;
            if (scale == 0) continue;
            var branch = blocks[l];
            using var update = Recompute && training
                ? ActivationRecompute.Run(branch.forward, x, branch.parameters(), HasDropout(branch))
                : branch.forward(x);
            using var s = scale.ToScalar(); // held during the native call (see ConstantScalars)
            var next = scale == 1.0 ? x + update : x + update * s;
            if (!ReferenceEquals(x, input)) x.Dispose();
            x = next;
            active++;
        }
        LastActiveBlocks = active;
        return ReferenceEquals(x, input) ? input.alias() : x;
    }
}
