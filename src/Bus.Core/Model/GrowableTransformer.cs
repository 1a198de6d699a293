using Bus.Core.LayerDropping;

namespace Bus.Core.Model;

/// <summary>
/// The transformers Bus grows, in one of two families (<see cref="TransformerConfig.Architecture"/>):
/// <list type="bullet">
/// <item><term>GPT</term><description>token + learned position embeddings, <see cref="TransformerConfig.Layers"/> pre-LN
/// blocks (<see cref="TransformerBlock"/>), a final LayerNorm and a linear head with bias.</description></item>
/// <item><term>Llama</term><description>token embedding only (rotary positions inside attention),
/// pre-RMSNorm blocks (<see cref="LlamaBlock"/>: grouped-query attention, SwiGLU), a final RMSNorm and a linear head
/// without bias, or the token embedding itself when <see cref="TransformerConfig.TieEmbeddings"/>.</description></item>
/// </list>
/// Encoder mode attends bidirectionally, decoder mode causally, in both families. Parameter names are canonical
/// (<see cref="ParameterNames"/>) so growth operators and checkpoints can map them by name.
/// </summary>
public sealed class GrowableTransformer : nn.Module<Tensor, Tensor>, Training.IRecomputedBlocks
{
    private readonly Embedding tok_emb;
    private readonly Embedding? pos_emb;
    private readonly ModuleList<ResidualBlock> blocks;
    private readonly nn.Module<Tensor, Tensor> ln_f;
    private readonly Linear? head;
    private readonly Dropout drop;

    /// <summary>The (validated) shape of this model.</summary>
    public TransformerConfig Config { get; }

    /// <summary>The parameter table of this model's family (<see cref="ModelLayout.For"/>).</summary>
    public ModelLayout Layout => ModelLayout.For(Config);

    /// <summary>The sizes of this model's axes (<see cref="ModelShape.From"/>).</summary>
    public ModelShape Shape => ModelShape.From(Config);

    /// <summary>Optional per-pass block gate used in training mode (layer dropping); null runs every block.</summary>
    public ILayerGate? LayerGate { get; set; }

    /// <summary>
    /// Optional mask of masked structural growth (<see cref="GrowthMask"/>): scales the residual branches of the new
    /// blocks in training and evaluation alike; null (the default, and after the ramp) runs every block unmasked.
    /// Masked blocks always run, so a step costs what the grown model costs. A width mask (<see cref="GrowthMask.Width"/>)
    /// runs the forward through <see cref="MaskedTransformer"/>, where every block runs (the layer gate is not consulted).
    /// </summary>
    public GrowthMask? Mask { get; set; }

    /// <summary>
    /// Activation recompute per block in training mode (<see cref="Training.ActivationRecompute"/>): less memory, one more
    /// forward pass of every block in backward; the gradients are the same bit for bit. Not used by the width-masked path.
    /// </summary>
    public bool Recompute { get; set; }

    /// <summary>Creates a model with GPT-2 style initialisation (normal(0, 0.02) weights, zero biases).</summary>
    /// <param name="config">Model shape; validated here before any native allocation.</param>
    /// <param name="device">Device for the parameters; CPU when null.</param>
    public GrowableTransformer(TransformerConfig config, Device? device = null) : base("transformer")
    {
        ArgumentNullException.ThrowIfNull(config);
        Config = config.Validate();
        bool llama = config.Architecture == ModelArchitecture.Llama;
        tok_emb = nn.Embedding(config.VocabSize, config.DModel);
        pos_emb = llama ? null : nn.Embedding(config.MaxLength, config.DModel);
        blocks = new ModuleList<ResidualBlock>(Enumerable.Range(0, config.Layers)
            .Select(_ => llama ? (ResidualBlock)new LlamaBlock(config) : new TransformerBlock(config)).ToArray());
        ln_f = llama ? new RmsNorm(config.DModel) : nn.LayerNorm(config.DModel);
        head = config.TieEmbeddings ? null : nn.Linear(config.DModel, config.OutputSize, hasBias: !llama);
        drop = nn.Dropout(config.Dropout);
        RegisterComponents();
        InitialiseWeights();
        if (device is not null && device.type != DeviceType.CPU) this.to(device);
    }

    /// <summary>Blocks that ran in the last forward pass (fewer than <see cref="TransformerConfig.Layers"/> when layers were
    /// dropped).</summary>
    public int LastActiveLayers { get; private set; }

    /// <summary>Creates a model whose initial weights are determined by <paramref name="seed"/>.</summary>
    public static GrowableTransformer Create(TransformerConfig config, long seed, Device? device = null)
    {
        ArgumentNullException.ThrowIfNull(config);
        config.Validate();
        random.manual_seed(seed);
        return new GrowableTransformer(config, device);
    }

    /// <summary>The device holding the parameters.</summary>
    public Device Device => tok_emb.weight!.device;

    /// <summary>tokens: int64 [batch, time] with time &lt;= max length -> logits [batch, time, output size].</summary>
    public override Tensor forward(Tensor tokens)
    {
        if (tokens.dim() != 2)
            throw new ArgumentException($"Expected tokens of shape [batch, time], got [{string.Join(", ", tokens.shape)}].",
                nameof(tokens));
        long t = tokens.shape[1];
        if (t > Config.MaxLength)
            throw new ArgumentException($"Sequence length {t} exceeds MaxLength {Config.MaxLength}.", nameof(tokens));
        if (Mask is { Width: not null } widthMask)
        {
            LastActiveLayers = blocks.Count;
            return MaskedTransformer.Forward(named_parameters().ToDictionary(p => p.name, p => (Tensor)p.parameter), Config, tokens,
                widthMask, training);
        }
        using var scope = NewDisposeScope();
        var embedded = tok_emb.forward(tokens);
        if (pos_emb is not null)
        {
            using var positions = arange(t, dtype: int64, device: tokens.device);
            embedded = embedded + pos_emb.forward(positions);
        }
        var x = drop.forward(embedded);
        int active = 0;
        for (int l = 0; l < blocks.Count; l++)
        {
            double scale = training && LayerGate is { } gate ? gate.ResidualScale(l, blocks.Count) : 1.0;
            if (scale == 0) continue; // block dropped for this pass
            if (Mask is { } mask) scale *= mask.BlockScale(l);
            var block = blocks[l];
            x = Recompute && training
                ? Training.ActivationRecompute.Run(a => block.ForwardScaled(a, scale), x, block.parameters(), Config.Dropout > 0)
                : block.ForwardScaled(x, scale);
            active++;
        }
        LastActiveLayers = active;
        var final = ln_f.forward(x);
        // tied head: logits = h E^T with E the token embedding
        var logits = head is null ? nn.functional.linear(final, tok_emb.weight!) : head.forward(final);
        return logits.MoveToOuterDisposeScope();
    }

    /// <summary>Copies the named tensors into this model's parameters (shapes must match exactly).</summary>
    /// <exception cref="ArgumentException">A name is missing or unknown, or a shape differs.</exception>
    public void LoadWeights(IReadOnlyDictionary<string, Tensor> weights)
    {
        ArgumentNullException.ThrowIfNull(weights);
        var own = named_parameters().ToDictionary(p => p.name, p => p.parameter);
        foreach (var name in weights.Keys)
            if (!own.ContainsKey(name))
                throw new ArgumentException($"Unknown parameter '{name}' for config {Config}.", nameof(weights));
        using var noGrad = no_grad();
        foreach (var (name, parameter) in own)
        {
            if (!weights.TryGetValue(name, out var source))
                throw new ArgumentException($"Missing parameter '{name}'.", nameof(weights));
            if (!source.shape.SequenceEqual(parameter.shape))
                throw new ArgumentException(
                    $"Parameter '{name}' has shape [{string.Join(", ", source.shape)}], expected [{string.Join(", ", parameter.shape)}].",
                    nameof(weights));
            parameter.copy_(source);
        }
    }

    /// <summary>Detached copies of every parameter, keyed by canonical name (caller disposes).</summary>
    public Dictionary<string, Tensor> CloneWeights()
    {
        using var noGrad = no_grad();
        return named_parameters().ToDictionary(p => p.name, p => p.parameter.detach().clone());
    }

    /// <summary>Total number of parameters.</summary>
    public long ParameterCount => parameters().Sum(p => p.numel());

    private void InitialiseWeights()
    {
        using var noGrad = no_grad();
        var layout = Layout;
        foreach (var (name, p) in named_parameters())
            FreshInitialise(layout.Resolve(name).Rule.Kind, p);
    }

    /// <summary>GPT-2 style initialisation of one parameter by its kind: normal(0, 0.02) for weights and embeddings, 0 for biases and norm
    /// shifts, 1 for norm gains.</summary>
    /// <param name="kind">What the parameter is.</param>
    /// <param name="parameter">Tensor overwritten in place.</param>
    /// <param name="generator">Random source; the global one when null.</param>
    public static void FreshInitialise(ParameterKind kind, Tensor parameter, Generator? generator = null)
    {
        ArgumentNullException.ThrowIfNull(parameter);
        using var noGrad = no_grad();
        switch (kind)
        {
            case ParameterKind.Bias or ParameterKind.NormBias: parameter.zero_(); break;
            case ParameterKind.NormGain: parameter.fill_(1); break;
            // TorchSharp's nn.init.normal_ ignores its generator argument: draw through the tensor method when one is given
            default:
                if (generator is null) nn.init.normal_(parameter, 0.0, 0.02);
                else parameter.normal_(0.0, 0.02, generator);
                break;
        }
    }
}
