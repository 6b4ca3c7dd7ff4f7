using CdsService.Clinical.Model;

namespace CdsService.Clinical.Hypogonadism;

/// <summary>
/// Compares a result with a threshold honouring its comparator conservatively: "&lt; 20" is below 300 for sure, but
/// "&lt; 500" could be either side of 300, so it decides nothing (null) instead of being read as 500, which would make
/// an unknown value look normal (docs/clinical/hypogonadism-rules.md §2).
/// </summary>
internal static class ThresholdComparison
{
    /// <summary>True when the true value is certainly below <paramref name="threshold"/>, false when certainly not, else null.</summary>
    public static bool? IsBelow(decimal value, ValueComparator comparator, decimal threshold) => comparator switch
    {
        ValueComparator.Equal => value < threshold,
        ValueComparator.LessThan => value <= threshold ? true : null,
        ValueComparator.LessOrEqual => value < threshold ? true : null,
        ValueComparator.GreaterThan or ValueComparator.GreaterOrEqual => value >= threshold ? false : null,
        _ => null,
    };

    /// <summary>True when the true value is certainly above <paramref name="threshold"/>, false when certainly not, else null.</summary>
    public static bool? IsAbove(decimal value, ValueComparator comparator, decimal threshold) => comparator switch
    {
        ValueComparator.Equal => value > threshold,
        ValueComparator.GreaterThan => value >= threshold ? true : null,
        ValueComparator.GreaterOrEqual => value > threshold ? true : null,
        ValueComparator.LessThan or ValueComparator.LessOrEqual => value <= threshold ? false : null,
        _ => null,
    };

    public static string Symbol(ValueComparator comparator) => comparator switch
    {
        ValueComparator.LessThan => "< ",
        ValueComparator.LessOrEqual => "≤ ",
        ValueComparator.GreaterThan => "> ",
        ValueComparator.GreaterOrEqual => "≥ ",
        _ => string.Empty,
    };
}
