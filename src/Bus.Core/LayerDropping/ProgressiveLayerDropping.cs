namespace Bus.Core.LayerDropping;

/// <summary>
/// Progressive layer dropping (Zhang &amp; He, NeurIPS 2020). At each <see cref="TrainingEvent.StepStart"/>:
/// theta(t) = (1 - theta_bar) exp(-gamma t) + theta_bar (Eq. 6), and block l = 1..L is kept with probability
/// p_l = 1 - (l/L)(1 - theta) (Eq. 7), one Bernoulli draw per block per step from the run's seeded random
/// source. Convention (fixed here, unlike DeepSpeedExamples' p_(l-1)/p_l mix): a block is SAMPLED with p_l
/// and, when kept, its residual branches are SCALED by 1/p_l, so E[branch contribution] is unchanged.
/// Evaluation runs every block unscaled (<see cref="GrowableTransformer"/> ignores the gate in eval mode).
/// Gates a <see cref="GrowableTransformer"/>, or, for any other module, the first <see cref="IGatedBlocks"/>
/// (e.g. <see cref="GatedResidualBlocks"/>) among the module and its sub-modules.
/// Fewer active blocks are charged to the budget through <see cref="StepCost.ActiveLayers"/>.
/// </summary>
public sealed class ProgressiveLayerDropping : ITrainingAlgorithm, ILayerGate
{
    private double[] _scales = [];

    /// <summary>Creates the algorithm.</summary>
    public ProgressiveLayerDropping(ProgressiveLayerDroppingOptions? options = null) =>
        Options = options ?? new ProgressiveLayerDroppingOptions();

    /// <summary>The schedule's options.</summary>
    public ProgressiveLayerDroppingOptions Options { get; }

    /// <summary>theta of the current step (1 before the first step).</summary>
    public double CurrentTheta { get; private set; } = 1;

    /// <summary>Residual scale of each block for the current step (0 = dropped).</summary>
    public IReadOnlyList<double> CurrentScales => _scales;

    /// <inheritdoc />
    public string Name => "progressive-layer-dropping";

    /// <inheritdoc />
    public AlgorithmTraits Traits => AlgorithmTraits.GatesLayers;

    /// <summary>Eq. (6): theta(t) = (1 - theta_bar) exp(-gamma t) + theta_bar.</summary>
    public static double Theta(double t, double thetaBar, double gamma)
    {
        Guard.NonNegative(t, nameof(t));
        Guard.InRange(thetaBar, 0, 1, nameof(thetaBar), minExclusive: true);
        Guard.NonNegative(gamma, nameof(gamma));
        return (1 - thetaBar) * Math.Exp(-gamma * t) + thetaBar;
    }

    /// <summary>Eq. (7): keep probability of block <paramref name="layer"/> (1-based) of <paramref name="layerCount"/>: 1 - (l/L)(1 -
    /// theta).</summary>
    public static double KeepProbability(int layer, int layerCount, double theta)
    {
        Guard.Positive(layerCount, nameof(layerCount));
        Guard.InRange(layer, 1, layerCount, nameof(layer));
        Guard.InRange(theta, 0, 1, nameof(theta), minExclusive: true);
        return 1 - (double)layer / layerCount * (1 - theta);
    }

    /// <summary>theta at time <paramref name="t"/> under this instance's options.</summary>
    public double ThetaAt(double t) => Theta(t, Options.ThetaBar, Options.Gamma);

    /// <summary>Draws which blocks run at <paramref name="theta"/>: keep block l with p_l, then scale it by 1/p_l.</summary>
    public void Sample(int layerCount, double theta, Random random)
    {
        ArgumentNullException.ThrowIfNull(random);
        var scales = new double[Guard.Positive(layerCount, nameof(layerCount))];
        for (int l = 1; l <= layerCount; l++)
        {
            double p = KeepProbability(l, layerCount, theta);
            scales[l - 1] = random.NextDouble() < p ? 1 / p : 0;
        }
        CurrentTheta = theta;
        _scales = scales;
    }

    /// <inheritdoc />
    public double ResidualScale(int layer, int layerCount)
    {
        if (_scales.Length != layerCount)
            throw new InvalidOperationException(
                $"Layer gates were sampled for {_scales.Length} blocks but the model has {layerCount}; gates are drawn at each StepStart.");
        return _scales[layer];
    }

    private static IGatedBlocks GatedBlocksOf(TrainingState state) =>
        state.Module as IGatedBlocks
        ?? state.Module.modules().OfType<IGatedBlocks>().FirstOrDefault()
        ?? throw new InvalidOperationException(
            $"Layer dropping needs a GrowableTransformer or a module containing IGatedBlocks (e.g. GatedResidualBlocks); " +
            $"{state.Module.GetType().Name} has neither.");

    /// <inheritdoc />
    public void OnEvent(TrainingEvent trainingEvent, TrainingState state)
    {
        ArgumentNullException.ThrowIfNull(state);
        switch (trainingEvent)
        {
            case TrainingEvent.FitStart:
                _scales = [];
                CurrentTheta = 1;
                break;
            case TrainingEvent.StepStart:
                double t = Options.Clock == PldClock.Steps ? state.Meter.Steps : state.Meter.Fraction;
                if (state.Module is GrowableTransformer transformer)
                {
                    Sample(transformer.Config.Layers, ThetaAt(t), state.Random);
                    transformer.LayerGate = this;
                }
                else
                {
                    var blocks = GatedBlocksOf(state);
                    Sample(blocks.BlockCount, ThetaAt(t), state.Random);
                    blocks.LayerGate = this;
                }
                break;
            case TrainingEvent.FitEnd:
                if (state.Module is GrowableTransformer grown) { if (ReferenceEquals(grown.LayerGate, this)) grown.LayerGate = null; }
                else if (ReferenceEquals(GatedBlocksOf(state).LayerGate, this)) GatedBlocksOf(state).LayerGate = null;
                break;
        }
    }
}
