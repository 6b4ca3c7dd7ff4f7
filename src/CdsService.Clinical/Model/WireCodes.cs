using System.Collections.Frozen;
using System.Text;

namespace CdsService.Clinical.Model;

/// <summary>
/// The kebab-case codes of the public assessment contract (the "org.hypogonadism-cds.assessment" extension, docs/cards.md).
/// Derived from the enum member names so the two cannot drift; the few codes that kebab-casing
/// would spell differently from the contract are listed explicitly.
/// </summary>
public static class WireCodes
{
    private static readonly FrozenDictionary<Enum, string> Overrides = new Dictionary<Enum, string>
    {
        [TrtContraindication.HematocritAbove48] = "hematocrit-above-48",
        [TrtContraindication.PsaAbove4] = "psa-above-4",
        [Classification.NotApplicable] = "not-applicable",

        // Kebab-casing splits at capitals only, which would write "type2-diabetes".
        [Cause.Type2Diabetes] = "type-2-diabetes",
        [ConditionKind.Type2Diabetes] = "type-2-diabetes",
    }.ToFrozenDictionary();

    public static string ToCode<TEnum>(this TEnum value)
        where TEnum : struct, Enum
    {
        if (Overrides.TryGetValue(value, out var code))
        {
            return code;
        }

        return Kebab(value.ToString());
    }

    public static bool TryParse<TEnum>(string code, out TEnum value)
        where TEnum : struct, Enum
    {
        foreach (var candidate in Enum.GetValues<TEnum>())
        {
            if (string.Equals(candidate.ToCode(), code, StringComparison.Ordinal))
            {
                value = candidate;
                return true;
            }
        }

        value = default;
        return false;
    }

    private static string Kebab(string pascal)
    {
        var builder = new StringBuilder(pascal.Length + 8);
        for (var i = 0; i < pascal.Length; i++)
        {
            var c = pascal[i];
            if (char.IsUpper(c) && i > 0)
            {
                builder.Append('-');
            }

            builder.Append(char.ToLowerInvariant(c));
        }

        return builder.ToString();
    }
}
