using Bus.Core.Tasks.LetterCounting;

namespace Bus.Experiments;

/// <summary>The task an experiment trains on.</summary>
public enum ExperimentTaskKind
{
    /// <summary>Seed 002's letter counting: per-position count of earlier occurrences, capped at 2 (accuracy).</summary>
    LetterCounting,
    /// <summary>Next-character prediction (bits per character).</summary>
    CharLm,
}

/// <summary>Builds the train/dev data, objective and base config of an experiment task from text8 text.</summary>
public static class ExperimentTask
{
    /// <summary>Splits <paramref name="text8"/> into the task's train and dev sets.</summary>
    public static (SequenceDataset Train, SequenceDataset Dev) Build(ExperimentTaskKind kind, string text8, int sequenceLength,
        int? maxWindows) => kind switch
    {
        ExperimentTaskKind.LetterCounting => LetterCountingTaskData.Build(text8, sequenceLength, 0.1, maxWindows),
        ExperimentTaskKind.CharLm => CharLmTaskData.Build(text8, sequenceLength, 0.1, maxWindows),
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, "Unknown task."),
    };

    /// <summary>The task's loss and metric.</summary>
    public static SequenceObjective Objective(ExperimentTaskKind kind) =>
        kind == ExperimentTaskKind.LetterCounting ? SequenceObjective.TokenClassification : SequenceObjective.LanguageModel;

    /// <summary>
    /// <paramref name="model"/> (default: a new <see cref="TransformerConfig"/>) with the task's mode, vocabulary, output classes and
    /// length <paramref name="sequenceLength"/>; its width, depth, heads, d_ff and family are kept.
    /// </summary>
    public static TransformerConfig Shape(ExperimentTaskKind kind, int sequenceLength, TransformerConfig? model = null) =>
        kind == ExperimentTaskKind.LetterCounting
            ? (model ?? new()) with { Mode = ModelMode.Encoder, Classes = LetterCounting.ClassCount(), MaxLength = sequenceLength,
                VocabSize = CharVocabulary.Size }
            : (model ?? new()) with { Mode = ModelMode.Decoder, MaxLength = sequenceLength, VocabSize = CharVocabulary.Size };
}
