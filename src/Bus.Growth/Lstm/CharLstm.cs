namespace Bus.Growth.Lstm;

/// <summary>
/// A character language model with one hand-written LSTM layer (Hochreiter &amp; Schmidhuber 1997), so the growth
/// operators can address every weight: embedding [V, E]; gate weights W_ih [4H, E], W_hh [4H, H], bias [4H] with
/// gate blocks in the order i, f, g, o (rows q·H .. q·H+H-1 belong to gate q); head [V, H] and bias [V].
/// Per step: [i f g o] = W_ih x_t + W_hh h_{t-1} + b; c_t = σ(f)⊙c_{t-1} + σ(i)⊙tanh(g); h_t = σ(o)⊙tanh(c_t).
/// </summary>
public sealed class CharLstm : nn.Module<Tensor, Tensor>
{
    private readonly Parameter embedding, w_ih, w_hh, bias, head_weight, head_bias;

    /// <summary>Creates a model with PyTorch's LSTM initialisation U(-1/√H, 1/√H) (embedding N(0, 1)).</summary>
    /// <exception cref="ArgumentOutOfRangeException">A size is not positive.</exception>
    public CharLstm(int vocabSize, int embeddingSize, int hiddenSize, Device? device = null) : base("char_lstm")
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(vocabSize);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(embeddingSize);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(hiddenSize);
        (VocabSize, EmbeddingSize, HiddenSize) = (vocabSize, embeddingSize, hiddenSize);
        double k = 1 / Math.Sqrt(hiddenSize);
        embedding = new Parameter(randn(vocabSize, embeddingSize));
        w_ih = new Parameter(empty(4 * hiddenSize, embeddingSize).uniform_(-k, k));
        w_hh = new Parameter(empty(4 * hiddenSize, hiddenSize).uniform_(-k, k));
        bias = new Parameter(empty(4 * hiddenSize).uniform_(-k, k));
        head_weight = new Parameter(empty(vocabSize, hiddenSize).uniform_(-k, k));
        head_bias = new Parameter(zeros(vocabSize));
        RegisterComponents();
        if (device is not null && device.type != DeviceType.CPU) this.to(device);
    }

    /// <summary>Creates a model whose initial weights are determined by <paramref name="seed"/>.</summary>
    public static CharLstm Create(int vocabSize, int embeddingSize, int hiddenSize, long seed, Device? device = null)
    {
        random.manual_seed(seed);
        return new CharLstm(vocabSize, embeddingSize, hiddenSize, device);
    }

    /// <summary>Number of symbols.</summary>
    public int VocabSize { get; }

    /// <summary>Embedding width E.</summary>
    public int EmbeddingSize { get; }

    /// <summary>Hidden units H.</summary>
    public int HiddenSize { get; }

    /// <summary>The device holding the parameters.</summary>
    public Device Device => embedding.device;

    /// <summary>Embedding [V, E].</summary>
    public Parameter Embedding => embedding;

    /// <summary>Input-to-gate weights [4H, E] (gate order i, f, g, o).</summary>
    public Parameter InputWeights => w_ih;

    /// <summary>Hidden-to-gate (recurrent) weights [4H, H].</summary>
    public Parameter RecurrentWeights => w_hh;

    /// <summary>Gate bias [4H].</summary>
    public Parameter GateBias => bias;

    /// <summary>Head weight [V, H].</summary>
    public Parameter HeadWeight => head_weight;

    /// <summary>Head bias [V].</summary>
    public Parameter HeadBias => head_bias;

    /// <summary>tokens int64 [B, T] -> next-character logits [B, T, V] (zero initial state).</summary>
    public override Tensor forward(Tensor tokens)
    {
        ArgumentNullException.ThrowIfNull(tokens);
        if (tokens.dim() != 2)
            throw new ArgumentException($"Expected tokens of shape [batch, time], got [{string.Join(", ", tokens.shape)}].",
                nameof(tokens));
        using var scope = NewDisposeScope();
        long b = tokens.shape[0], t = tokens.shape[1];
        var x = embedding.index_select(0, tokens.flatten()).view(b, t, EmbeddingSize);
        var inputGates = nn.functional.linear(x, w_ih, bias);                 // W_ih x_t + b for every t at once
        var h = zeros(b, HiddenSize, device: tokens.device);
        var c = zeros(b, HiddenSize, device: tokens.device);
        var outputs = new Tensor[t];
        for (long s = 0; s < t; s++)
        {
            var gates = (inputGates.select(1, s) + h.matmul(w_hh.t())).chunk(4, 1);
            c = gates[1].sigmoid() * c + gates[0].sigmoid() * gates[2].tanh();
            h = gates[3].sigmoid() * c.tanh();
            outputs[s] = h;
        }
        return nn.functional.linear(stack(outputs, 1), head_weight, head_bias).MoveToOuterDisposeScope();
    }

    /// <summary>Replaces every weight (shapes must match this model); used by the growth operators.</summary>
    /// <exception cref="ArgumentException">A shape differs.</exception>
    public void LoadWeights(Tensor embeddingWeights, Tensor inputWeights, Tensor recurrentWeights, Tensor gateBias, Tensor headWeight,
        Tensor headBias)
    {
        using var noGrad = no_grad();
        foreach (var (target, source, name) in new[]
                 {
                     (embedding, embeddingWeights, nameof(embeddingWeights)), (w_ih, inputWeights, nameof(inputWeights)),
                     (w_hh, recurrentWeights, nameof(recurrentWeights)), (bias, gateBias, nameof(gateBias)),
                     (head_weight, headWeight, nameof(headWeight)), (head_bias, headBias, nameof(headBias)),
                 })
        {
            ArgumentNullException.ThrowIfNull(source, name);
            if (!source.shape.SequenceEqual(target.shape))
                throw new ArgumentException($"Shape [{string.Join(", ", source.shape)}] differs from [{string.Join(", ", target.shape)}].",
                    name);
            target.copy_(source);
        }
    }
}
