namespace Bus.Optimizers;

/// <summary>
/// Builds <see cref="Muon"/> for the trainer (name "muon"): the 2-D hidden matrices (<see cref="IsHiddenMatrix"/>) in a
/// Muon group, everything else (embeddings, head, norms, biases) in an AdamW group, both at the trainer's learning rate
/// and weight decay. Moonlight's update scaling makes Muon's step RMS match AdamW's, so the AdamW-scale rate applies
/// to both groups unchanged (the factory sets each group's peak once; the trainer only multiplies it by the schedule).
/// </summary>
/// <param name="Momentum">Muon momentum, in [0, 1) (Moonlight: 0.95).</param>
/// <param name="Nesterov">Nesterov momentum (Moonlight: true).</param>
/// <param name="NewtonSchulzSteps">Newton-Schulz iterations, 1..100 (5).</param>
/// <param name="AdamWBeta1">AdamW beta1 of the other parameters, in [0, 1) (0.9).</param>
/// <param name="AdamWBeta2">AdamW beta2 of the other parameters, in [0, 1) (Moonlight: 0.95).</param>
public sealed record MuonFactory(double Momentum = 0.95, bool Nesterov = true, int NewtonSchulzSteps = 5, double AdamWBeta1 = 0.9,
    double AdamWBeta2 = 0.95) : IOptimizerFactory
{
    // Every value is validated once, by MuonOptions (the factory's learning rate and weight decay are the trainer's).
    private readonly MuonOptions _options = new()
    {
        Momentum = Momentum, Nesterov = Nesterov, NewtonSchulzSteps = NewtonSchulzSteps, AdamWBeta1 = AdamWBeta1, AdamWBeta2 = AdamWBeta2,
    };

    /// <summary>Muon momentum, in [0, 1).</summary>
    public double Momentum { get => _options.Momentum; init => _options = _options with { Momentum = value }; }

    /// <summary>Nesterov momentum.</summary>
    public bool Nesterov { get => _options.Nesterov; init => _options = _options with { Nesterov = value }; }

    /// <summary>Newton-Schulz iterations, 1..100.</summary>
    public int NewtonSchulzSteps { get => _options.NewtonSchulzSteps; init => _options = _options with { NewtonSchulzSteps = value }; }

    /// <summary>AdamW beta1, in [0, 1).</summary>
    public double AdamWBeta1 { get => _options.AdamWBeta1; init => _options = _options with { AdamWBeta1 = value }; }

    /// <summary>AdamW beta2, in [0, 1).</summary>
    public double AdamWBeta2 { get => _options.AdamWBeta2; init => _options = _options with { AdamWBeta2 = value }; }

    /// <inheritdoc />
    public string Name => "muon";

    /// <summary>
    /// True for a parameter Muon updates: a matrix whose name does not mark an embedding or an output head
    /// (<c>emb</c>, <c>wte</c>, <c>wpe</c>, <c>head</c>; e.g. Bus's <c>tok_emb.weight</c>, <c>head.weight</c>,
    /// Hugging Face's <c>embed_tokens</c>, <c>lm_head</c>).
    /// </summary>
    public static bool IsHiddenMatrix(string name, Parameter parameter)
    {
        ArgumentNullException.ThrowIfNull(name);
        ArgumentNullException.ThrowIfNull(parameter);
        if (parameter.dim() != 2) return false;
        string lower = name.ToLowerInvariant();
        return !(lower.Contains("emb", StringComparison.Ordinal) || lower.Contains("wte", StringComparison.Ordinal)
                 || lower.Contains("wpe", StringComparison.Ordinal) || lower.Contains("head", StringComparison.Ordinal));
    }

    /// <summary>Without names every matrix is taken as hidden: prefer the named overload, which the trainer uses.</summary>
    public optim.Optimizer Create(IEnumerable<Parameter> parameters, double learningRate, double weightDecay) =>
        Create(parameters.Select((p, i) => ($"p{i}", p)), learningRate, weightDecay);

    /// <summary>Muon over the hidden matrices and AdamW over the rest, at the trainer's rate and weight decay.</summary>
    public optim.Optimizer Create(IEnumerable<(string Name, Parameter Parameter)> parameters, double learningRate, double weightDecay)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        var list = parameters.ToList();
        var hidden = list.Where(p => IsHiddenMatrix(p.Name, p.Parameter)).Select(p => p.Parameter).ToList();
        var other = list.Where(p => !IsHiddenMatrix(p.Name, p.Parameter)).Select(p => p.Parameter).ToList();
        var groups = new List<Muon.ParamGroup>();
        if (hidden.Count > 0) groups.Add(new Muon.ParamGroup(hidden, new Muon.Options { use_muon = true }));
        if (other.Count > 0) groups.Add(new Muon.ParamGroup(other, new Muon.Options { use_muon = false }));
        return Muon.Create(groups, _options with { LearningRate = learningRate, WeightDecay = weightDecay });
    }
}
