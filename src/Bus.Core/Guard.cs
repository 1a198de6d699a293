namespace Bus.Core;

/// <summary>
/// The value checks of Bus's options and arguments. Each returns the value when it is valid and otherwise throws
/// <see cref="ArgumentOutOfRangeException"/> whose parameter is <c>name</c> and whose message names the rule and the value.
/// </summary>
public static class Guard
{
    /// <summary><paramref name="value"/> &gt; 0.</summary>
    public static int Positive(int value, string name) => value > 0 ? value : throw Fail(name, value, "must be positive");

    /// <summary><paramref name="value"/> finite and &gt; 0.</summary>
    public static double Positive(double value, string name) =>
        double.IsFinite(value) && value > 0 ? value : throw Fail(name, value, "must be positive and finite");

    /// <summary><paramref name="value"/> &gt;= 0.</summary>
    public static int NonNegative(int value, string name) => value >= 0 ? value : throw Fail(name, value, "must be non-negative");

    /// <summary><paramref name="value"/> finite and &gt;= 0.</summary>
    public static double NonNegative(double value, string name) =>
        double.IsFinite(value) && value >= 0 ? value : throw Fail(name, value, "must be finite and non-negative");

    /// <summary><paramref name="value"/> &gt;= <paramref name="min"/>.</summary>
    public static int AtLeast(int value, int min, string name) => value >= min ? value : throw Fail(name, value, $"must be at least {min}");

    /// <summary><paramref name="value"/> finite and &gt;= <paramref name="min"/>.</summary>
    public static double AtLeast(double value, double min, string name) =>
        double.IsFinite(value) && value >= min ? value
            : throw Fail(name, value, string.Create(CultureInfo.InvariantCulture, $"must be finite and at least {min}"));

    /// <summary><paramref name="value"/> in [<paramref name="min"/>, <paramref name="max"/>].</summary>
    public static int InRange(int value, int min, int max, string name) =>
        value >= min && value <= max ? value : throw Fail(name, value, $"must be in [{min}, {max}]");

    /// <summary>
    /// <paramref name="value"/> finite and between <paramref name="min"/> and <paramref name="max"/>, each bound
    /// included unless <paramref name="minExclusive"/> or <paramref name="maxExclusive"/> is set.
    /// </summary>
    public static double InRange(double value, double min, double max, string name, bool minExclusive = false, bool maxExclusive = false)
    {
        bool ok = double.IsFinite(value)
            && (minExclusive ? value > min : value >= min)
            && (maxExclusive ? value < max : value <= max);
        return ok ? value : throw Fail(name, value, string.Create(CultureInfo.InvariantCulture,
            $"must be in {(minExclusive ? '(' : '[')}{min}, {max}{(maxExclusive ? ')' : ']')}"));
    }

    /// <summary><paramref name="value"/> is a named member of <typeparamref name="TEnum"/>.</summary>
    public static TEnum Defined<TEnum>(TEnum value, string name) where TEnum : struct, Enum =>
        Enum.IsDefined(value) ? value : throw Fail(name, value, $"must be one of {string.Join(", ", Enum.GetNames<TEnum>())}");

    private static ArgumentOutOfRangeException Fail<T>(string name, T value, string rule) =>
        new(name, value, string.Create(CultureInfo.InvariantCulture, $"{name} {rule}, got {value}."));
}
