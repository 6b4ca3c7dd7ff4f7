using System.Collections.Frozen;
using CdsService.Clinical.Model;
using Hl7.Fhir.Model;

namespace CdsService.Fhir.Terminology;

/// <summary>
/// The project's own CodeSystem <c>org.hypogonadism-cds</c>: one top-level concept per group (classification,
/// recommendation…), members coded <c>&lt;group&gt;.&lt;wire-code&gt;</c> so that equal wire codes in different groups
/// (missing-data.prolactin, additional-workup.prolactin) stay distinct codes.
/// </summary>
public sealed class ProjectCodeSystem
{
    public const string Id = "org.hypogonadism-cds";
    public const string Url = TerminologyCatalog.CanonicalBase + "/CodeSystem/" + Id;

    private static readonly FrozenDictionary<Type, string> Groups = new Dictionary<Type, string>
    {
        [typeof(Classification)] = "classification",
        [typeof(Recommendation)] = "recommendation",
        [typeof(AndrogenStatus)] = "androgen-status",
        [typeof(MissingData)] = "missing-data",
        [typeof(AdditionalWorkup)] = "additional-workup",
        [typeof(TrtContraindication)] = "trt-contraindication",
        [typeof(TherapyKind)] = "therapy-kind",
        [typeof(FertilityIntent)] = "fertility-intent",
        [typeof(Cause)] = "cause",
        [typeof(OrderContraindication)] = "order-contraindication",
        [typeof(ContraindicationSeverity)] = "contraindication-severity",
    }.ToFrozenDictionary();

    private readonly FrozenDictionary<string, string> _displays;

    internal ProjectCodeSystem(CodeSystem codeSystem)
    {
        if (codeSystem.Url != Url)
        {
            throw new InvalidDataException($"CodeSystem {Id} must have url {Url}.");
        }

        var displays = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var group in codeSystem.Concept)
        {
            foreach (var member in group.Concept)
            {
                var code = member.Code ?? throw new InvalidDataException($"CodeSystem {Id} has a concept without a code.");
                displays.Add(code, member.Display ?? code);
            }
        }

        _displays = displays.ToFrozenDictionary(StringComparer.Ordinal);
        Version = codeSystem.Version;

        // Every enum member the service can put on the wire must be defined, or startup fails.
        foreach (var (type, _) in Groups)
        {
            foreach (Enum value in Enum.GetValues(type))
            {
                var code = CodeOf(value);
                if (!_displays.ContainsKey(code))
                {
                    throw new InvalidDataException($"CodeSystem {Id} has no code {code}.");
                }
            }
        }
    }

    public string? Version { get; }

    /// <summary>The CodeSystem code of an assessment value, e.g. <c>classification.secondary</c>.</summary>
    public static string CodeOf<TEnum>(TEnum value)
        where TEnum : struct, Enum => Groups[typeof(TEnum)] + "." + value.ToCode();

    /// <summary>The system, code and display of an assessment value, ready for a FHIR or CDS Hooks Coding.</summary>
    public (string System, string Code, string Display) Coding<TEnum>(TEnum value)
        where TEnum : struct, Enum
    {
        var code = CodeOf(value);
        return (Url, code, _displays[code]);
    }

    private static string CodeOf(Enum value)
    {
        // WireCodes.ToCode is generic over struct enums; the boxed path goes through the same method by reflection-free
        // dispatch on the known group types.
        return value switch
        {
            Classification v => CodeOf(v),
            Recommendation v => CodeOf(v),
            AndrogenStatus v => CodeOf(v),
            MissingData v => CodeOf(v),
            AdditionalWorkup v => CodeOf(v),
            TrtContraindication v => CodeOf(v),
            TherapyKind v => CodeOf(v),
            FertilityIntent v => CodeOf(v),
            Cause v => CodeOf(v),
            OrderContraindication v => CodeOf(v),
            ContraindicationSeverity v => CodeOf(v),
            _ => throw new ArgumentOutOfRangeException(nameof(value)),
        };
    }
}
