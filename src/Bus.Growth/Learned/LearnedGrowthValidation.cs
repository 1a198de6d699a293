namespace Bus.Growth.Learned;

/// <summary>Option checks shared by the learned operators; each throws <see cref="ArgumentOutOfRangeException"/> naming the option and its value.</summary>
internal static class LearnedGrowthValidation
{
    public static int NonNegative(int value, string name) =>
        value >= 0 ? value : throw new ArgumentOutOfRangeException(name, value, $"{name} must be non-negative, got {value}.");

    public static double PositiveFinite(double value, string name) =>
        double.IsFinite(value) && value > 0 ? value : throw new ArgumentOutOfRangeException(name, value, $"{name} must be positive and finite, got {value}.");
}
