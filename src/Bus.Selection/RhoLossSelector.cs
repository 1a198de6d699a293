namespace Bus.Selection;

/// <summary>
/// RHO-LOSS batch selection (Mindermann et al., ICML 2022, Alg. 1). For each step the trainer draws
/// n_B candidates (see <see cref="RhoLossOptions.SelectionFraction"/>); the selector scores them with the
/// current model under no_grad, ranks them by reducible loss = loss - IL[index], and back-propagates the
/// top n_b. The n_B scoring forwards are reported as <see cref="SelectedBatch.ForwardOnlyExamples"/>.
/// </summary>
public sealed class RhoLossSelector : IBatchSelector
{
    private readonly IrreducibleLossCache _cache;
    private Tensor? _irreducible;

    /// <summary>Creates a selector over the irreducible losses in <paramref name="cache"/>.</summary>
    public RhoLossSelector(IrreducibleLossCache cache, RhoLossOptions? options = null)
    {
        _cache = cache ?? throw new ArgumentNullException(nameof(cache));
        Options = options ?? new RhoLossOptions();
    }

    /// <summary>The selector's options.</summary>
    public RhoLossOptions Options { get; }

    /// <inheritdoc />
    public string Name => "rho-loss";

    /// <inheritdoc />
    public int CandidateCount(int batchSize) => RhoLoss.CandidateCount(batchSize, Options.SelectionFraction);

    /// <inheritdoc />
    /// <exception cref="InvalidOperationException">The cache was built for another dataset (both fingerprints named).</exception>
    /// <exception cref="ArgumentException">The training data is not an in-memory <see cref="SequenceDataset"/>.</exception>
    public void Prepare(ITrainingData train, ITrainingObjective objective)
    {
        ArgumentNullException.ThrowIfNull(train);
        ArgumentNullException.ThrowIfNull(objective);
        var rows = train as SequenceDataset ?? throw new ArgumentException(
            $"RHO-LOSS needs an in-memory SequenceDataset (its irreducible losses are cached per row); got a {train.GetType().Name}.",
                nameof(train));
        _cache.RequireMatches(rows);
        _irreducible?.Dispose();
        _irreducible = _cache.ToTensor(rows.Inputs.device);
    }

    /// <inheritdoc />
    public SelectedBatch? Select(CandidateBatch candidates, SelectionContext context)
    {
        ArgumentNullException.ThrowIfNull(candidates);
        ArgumentNullException.ThrowIfNull(context);
        var irreducible = _irreducible ?? throw new InvalidOperationException("Call Prepare with the training set before Select.");
        int n = (int)candidates.Inputs.shape[0];
        using var scope = NewDisposeScope();
        var loss = CandidateScoring.PerExampleLoss(context.Model, context.Objective, candidates.Inputs, candidates.Targets, Options.Mode);
        var il = irreducible.index_select(0, candidates.ExampleIndices.to(irreducible.device));
        var keep = RhoLoss.Select(loss, il, Options.SelectionFraction).to(candidates.Inputs.device);
        return new SelectedBatch(
            candidates.Inputs.index_select(0, keep).MoveToOuterDisposeScope(),
            candidates.Targets.index_select(0, keep).MoveToOuterDisposeScope(),
            n);
    }
}
