using Bus.Core.Tasks.CharLm;

namespace Bus.Core.Tasks;

/// <summary>The dev-set metric a task reports.</summary>
public enum TaskMetric
{
    /// <summary>Fraction of positions whose arg-max class equals the label (higher is better).</summary>
    Accuracy,

    /// <summary>Cross-entropy in bits per character, CE / ln 2 (lower is better).</summary>
    BitsPerCharacter,

    /// <summary>Perplexity exp(mean cross-entropy in nats) (lower is better).</summary>
    Perplexity,
}
