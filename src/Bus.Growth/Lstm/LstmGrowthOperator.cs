namespace Bus.Growth.Lstm;

/// <summary>
/// What every <see cref="ILstmGrowthOperator"/> does around its own rule: the checks, a new <see cref="CharLstm"/> of the
/// wider hidden size, and its gate, recurrent and head weights replaced by the grown ones (embedding and head bias kept).
/// </summary>
public abstract class LstmGrowthOperator : ILstmGrowthOperator
{
    private protected LstmGrowthOperator(string name) => Name = name;

    /// <inheritdoc />
    public string Name { get; }

    /// <inheritdoc />
    public CharLstm Grow(CharLstm source, int hiddenSize, long seed)
    {
        ArgumentNullException.ThrowIfNull(source);
        ArgumentOutOfRangeException.ThrowIfLessThan(hiddenSize, source.HiddenSize);
        BeforeNewModel(seed);
        var grown = new CharLstm(source.VocabSize, source.EmbeddingSize, hiddenSize, source.Device);
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        var (wih, whh, bias, head) = Widen(source, grown, seed);
        grown.LoadWeights(source.Embedding, wih, whh, bias, head, source.HeadBias);
        return grown;
    }

    /// <summary>Runs before the grown model is made (and initialised from TorchSharp's global generator).</summary>
    private protected virtual void BeforeNewModel(long seed)
    {
    }

    /// <summary>
    /// The grown input, recurrent, gate-bias and head weights of <paramref name="grown"/>'s size (gate blocks in order),
    /// from <paramref name="source"/> and, where the rule wants fresh weights, <paramref name="grown"/>'s initialisation.
    /// </summary>
    private protected abstract (Tensor Wih, Tensor Whh, Tensor Bias, Tensor Head) Widen(CharLstm source, CharLstm grown, long seed);
}
