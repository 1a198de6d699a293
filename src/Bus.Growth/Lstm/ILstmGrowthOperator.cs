namespace Bus.Growth.Lstm;

/// <summary>Grows a <see cref="CharLstm"/> to more hidden units (seeds 000/001, "Growing LSTMs").</summary>
public interface ILstmGrowthOperator
{
    /// <summary>Name used in reports ("cascade", "fully-connected").</summary>
    string Name { get; }

    /// <summary>
    /// Returns a new model with <paramref name="hiddenSize"/> units; <paramref name="source"/> is unchanged (the caller disposes
    /// it).
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="hiddenSize"/> is smaller than the source's.</exception>
    CharLstm Grow(CharLstm source, int hiddenSize, long seed);
}
