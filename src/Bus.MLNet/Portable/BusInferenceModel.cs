using TorchSharp;

namespace Bus.MLNet.Portable;

/// <summary>
/// A trained Bus model rebuilt from its header and flat weights, on the CPU in eval mode, answering one
/// text at a time. Forward passes are serialised with a lock, so one instance may serve several cursors.
/// </summary>
public sealed class BusInferenceModel
{
    private readonly GrowableTransformer _model;
    private readonly object _gate = new();

    /// <summary>The header the model was built from.</summary>
    public BusModelHeader Header { get; }

    /// <summary>Rebuilds the model; <paramref name="weights"/> must hold exactly the header's tensors, in order.</summary>
    /// <exception cref="ArgumentException">The weight count differs from the header's tensors, or a name or shape does not
    /// fit the config.</exception>
    public BusInferenceModel(BusModelHeader header, ReadOnlySpan<float> weights)
    {
        ArgumentNullException.ThrowIfNull(header);
        if (weights.Length != header.WeightCount)
            throw new ArgumentException($"The model has {weights.Length} weights; its header describes {header.WeightCount}.",
                nameof(weights));
        Header = header;
        var config = TransformerConfig.FromJson(header.Config);
        _model = new GrowableTransformer(config);
        using var scope = NewDisposeScope();
        var tensors = new Dictionary<string, Tensor>(StringComparer.Ordinal);
        int offset = 0;
        foreach (var entry in header.Tensors)
        {
            int count = checked((int)entry.Shape.Aggregate(1L, (a, b) => a * b));
            tensors[entry.Name] = tensor(weights.Slice(offset, count).ToArray(), entry.Shape);
            offset += count;
        }
        _model.LoadWeights(tensors);
        _model.eval();
    }

    /// <summary>The model's config.</summary>
    public TransformerConfig Config => _model.Config;

    /// <summary>Per-position logits of <paramref name="ids"/> ([T] ids -> [T, C] row-major).</summary>
    public float[] Logits(long[] ids)
    {
        ArgumentNullException.ThrowIfNull(ids);
        lock (_gate)
        {
            using var noGrad = no_grad();
            using var scope = NewDisposeScope();
            using var tokens = tensor(ids, [1, ids.Length], ScalarType.Int64);
            return _model.forward(tokens).to_type(ScalarType.Float32).data<float>().ToArray();
        }
    }

    /// <summary>
    /// Sequence classification: p = softmax(z), z the pooled logits of the header's <see cref="BusModelHeader.Pooling"/>
    /// (mean over the text's characters, the first token, or all <see cref="TransformerConfig.MaxLength"/> positions),
    /// computed by Bus.Core's <see cref="SequenceClassificationObjective.Pool"/>, as in training.
    /// </summary>
    public float[] ClassProbabilities(string? text)
    {
        var (ids, length) = BusText.Encode(text, Config.MaxLength);
        lock (_gate)
        {
            using var noGrad = no_grad();
            using var scope = NewDisposeScope();
            using var tokens = tensor(ids, [1, ids.Length], ScalarType.Int64);
            var pooled = PooledTargets.Pool(_model.forward(tokens), length, Header.Pooling);
            return pooled.to_type(ScalarType.Float64).softmax(-1).to_type(ScalarType.Float32).data<float>().ToArray();
        }
    }

    /// <summary>Per-character task: the arg-max class at each real character; positions past the text are NaN.</summary>
    public float[] CharacterPredictions(string? text)
    {
        var (ids, length) = BusText.Encode(text, Config.MaxLength);
        float[] logits = Logits(ids);
        int classes = Config.Classes;
        var predictions = new float[ids.Length];
        for (int t = 0; t < ids.Length; t++)
        {
            if (t >= length) { predictions[t] = float.NaN; continue; }
            int best = 0;
            for (int c = 1; c < classes; c++)
                if (logits[t * classes + c] > logits[t * classes + best]) best = c;
            predictions[t] = best;
        }
        return predictions;
    }

    /// <summary>Flattens <paramref name="model"/>'s parameters (canonical order) into a header and a weight vector.</summary>
    /// <param name="model">The trained model.</param>
    /// <param name="task">What it predicts.</param>
    /// <param name="labelNames">Class names in key order.</param>
    /// <param name="pooling">The sequence classifier's read-out (ignored by per-character models).</param>
    public static (BusModelHeader Header, float[] Weights) Export(GrowableTransformer model, BusModelTask task,
        IReadOnlyList<string> labelNames, SequencePooling pooling = SequencePooling.Mean)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(labelNames);
        using var noGrad = no_grad();
        using var scope = NewDisposeScope();
        var entries = new List<BusTensorEntry>();
        var weights = new List<float>();
        foreach (var (name, parameter) in model.named_parameters())
        {
            entries.Add(new BusTensorEntry(name, parameter.shape));
            weights.AddRange(parameter.detach().cpu().to_type(ScalarType.Float32).contiguous().data<float>().ToArray());
        }
        var header = new BusModelHeader(Guid.NewGuid().ToString("N"), task, model.Config.ToJson(), labelNames.ToArray(),
            entries) { Pooling = pooling };
        return (header, weights.ToArray());
    }
}
