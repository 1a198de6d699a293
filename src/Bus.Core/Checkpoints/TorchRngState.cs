namespace Bus.Core.Checkpoints;

/// <summary>
/// Checks a saved torch CPU generator state in C# before <c>set_rng_state</c> sees it: libtorch aborts the whole
/// process (not an exception) on an invalid mt19937 state. Layout (ATen <c>CPUGeneratorImplState</c>, little-endian):
/// the legacy part is uint64 seed @0, int32 left @8, int32 seeded @12, uint64 next @16, uint64 state[624] @24,
/// three doubles and an int32 (5,048 bytes with padding); the current format appends a float and a bool (5,056 bytes).
/// libtorch accepts the state when seeded != 0, 1 &lt;= left &lt;= 624 and (uint32)next &lt;= 624.
/// </summary>
internal static class TorchRngState
{
    private const int MersenneN = 624;

    /// <summary>Sizes of the legacy and current state structures, in bytes.</summary>
    public static readonly int[] Sizes = [5048, 5056];

    /// <summary>Throws <see cref="InvalidDataException"/> (the caller names the entry) when libtorch would reject
    /// <paramref name="state"/>.</summary>
    public static void Validate(ReadOnlySpan<byte> state)
    {
        if (!Sizes.Contains(state.Length))
            throw new InvalidDataException(
                string.Create(CultureInfo.InvariantCulture,
                    $"{state.Length} bytes; a torch CPU generator state has {Sizes[0]} or {Sizes[1]}."));
        int left = BinaryPrimitives.ReadInt32LittleEndian(state[8..]);
        int seeded = BinaryPrimitives.ReadInt32LittleEndian(state[12..]);
        ulong next = BinaryPrimitives.ReadUInt64LittleEndian(state[16..]);
        if (seeded == 0 || left < 1 || left > MersenneN || next > MersenneN)
            throw new InvalidDataException(
                string.Create(CultureInfo.InvariantCulture,
                    $"not a valid mt19937 state (left {left}, seeded {seeded}, next {next}; expected seeded != 0, left in " +
                    $"1..{MersenneN}, next in 0..{MersenneN})."));
        for (int i = 0; i < MersenneN; i++)
        {
            if (BinaryPrimitives.ReadUInt64LittleEndian(state[(24 + 8 * i)..]) > uint.MaxValue)
                throw new InvalidDataException(
                    string.Create(CultureInfo.InvariantCulture, $"not a valid mt19937 state (word {i} exceeds 32 bits)."));
        }
    }
}
