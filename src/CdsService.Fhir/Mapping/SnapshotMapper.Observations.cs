using System.Collections.Frozen;
using System.Text.Json;
using System.Text.RegularExpressions;
using CdsService.Clinical.Model;
using CdsService.Fhir.Terminology;

namespace CdsService.Fhir.Mapping;

/// <summary>Observations: lab results of the analytes the rules read, and pregnancy-intention answers.</summary>
internal sealed partial class SnapshotMapper
{
    private static readonly FrozenDictionary<Analyte, string> AnalyteNames = new Dictionary<Analyte, string>
    {
        [Analyte.TotalTestosterone] = "total testosterone",
        [Analyte.FreeTestosterone] = "free testosterone",
        [Analyte.BioavailableTestosterone] = "bioavailable testosterone",
        [Analyte.Shbg] = "SHBG",
        [Analyte.Albumin] = "albumin",
        [Analyte.Lh] = "LH",
        [Analyte.Fsh] = "FSH",
        [Analyte.Prolactin] = "prolactin",
        [Analyte.Estradiol] = "estradiol",
        [Analyte.Hematocrit] = "hematocrit",
        [Analyte.Psa] = "PSA",
        [Analyte.Ferritin] = "ferritin",
        [Analyte.TransferrinSaturation] = "transferrin saturation",
        [Analyte.Bmi] = "BMI",
    }.ToFrozenDictionary();

    // The Observation codes the catalog knows (analytes and the pregnancy-intention question): a coding's code is
    // recognised in the request's UTF-8 and cited as one of these shared instances, so reading 60 results allocates
    // no code strings. What the catalog says of each (known system, known code) pair is asked once, here, rather than
    // three times per coding per request; any other pair is asked of the catalog as it comes.
    private readonly KnownStrings _observationCodes;
    private readonly ObservationCodeFacts[,] _observationCodeFacts;

    /// <summary>What the catalog says of an Observation coding (all three are pure functions of system and code).</summary>
    private readonly record struct ObservationCodeFacts(bool IsFertilityIntentQuestion, Analyte? Analyte, bool IsCalculated);

    private ObservationCodeFacts ObservationFacts(string? system, string? code) => new(
        _terminology.IsFertilityIntentQuestion(system, code),
        _terminology.TryGetAnalyte(system, code, out var analyte) ? analyte : null,
        _terminology.IsCalculated(system, code));

    private void MapObservation(FhirJsonResource resource, ref PooledList<LabResult> labs, ref PooledList<FertilityIntentRecord> intents, List<DataIssue> issues)
    {
        var observation = resource.Json;
        Analyte? analyte = null;
        string? code = null;
        var calculated = false;
        foreach (var coding in FhirJson.Array(FhirJson.Object(observation, "code"u8), "coding"u8))
        {
            var systemIndex = FhirJson.KnownSystems.IndexOf(FhirJson.Member(coding, "system"u8));
            var codeIndex = _observationCodes.IndexOf(FhirJson.Member(coding, "code"u8));
            var codingCode = codeIndex >= 0 ? _observationCodes[codeIndex] : FhirJson.String(coding, "code"u8);
            var facts = systemIndex >= 0 && codeIndex >= 0
                ? _observationCodeFacts[systemIndex, codeIndex]
                : ObservationFacts(systemIndex >= 0 ? FhirJson.KnownSystems[systemIndex] : FhirJson.String(coding, "system"u8), codingCode);
            if (facts.IsFertilityIntentQuestion)
            {
                MapFertilityIntent(resource, ref intents, issues);
                return;
            }

            if (analyte is null && facts.Analyte is { } found)
            {
                analyte = found;
                code = codingCode;
            }

            calculated |= facts.IsCalculated;
        }

        if (analyte is not { } known)
        {
            return;
        }

        var name = AnalyteNames[known];

        // Observation.status (observation-status, required binding).
        switch (ObservationStatus(observation))
        {
            case Usability.Final:
                break;
            case Usability.Pending:
                issues.Add(new DataIssue("unusable-status", $"A {name} result is not final yet and was not used."));
                return;
            default:
                // entered-in-error and cancelled retract the result; unknown cannot be trusted.
                return;
        }

        var quantity = FhirJson.Object(observation, "valueQuantity"u8);
        if (FhirJson.Has(observation, "dataAbsentReason"u8) || FhirJson.Decimal(quantity, "value"u8) is not { } value)
        {
            issues.Add(new DataIssue("no-value", $"A {name} result has no numeric value and was not used."));
            return;
        }

        if (!TryUnit(known, quantity, out var unit, out var unitText))
        {
            issues.Add(new DataIssue("unknown-unit", $"A {name} result in unit '{Truncate(unitText ?? "none")}' was not used: the unit is not understood."));
            return;
        }

        if (FhirDates.ToSampleTime(observation) is not { } effective)
        {
            issues.Add(new DataIssue("no-date", $"A {name} result has no usable sample date and was not used."));
            return;
        }

        labs.Add(new LabResult
        {
            Analyte = known,
            Quantity = new LabQuantity(value, unit),
            Comparator = Comparator(quantity),
            EffectiveTime = effective,
            ReferenceRange = MapReferenceRange(known, observation),
            IsCalculated = calculated,
            Method = known == Analyte.FreeTestosterone ? FreeTestosteroneMethodOf(observation, calculated) : FreeTestosteroneMethod.Unknown,
            Code = code,
            SourceId = resource.SourceId,
        });
    }

    // How a free testosterone was measured. LOINC does not say whether a measured value came from equilibrium
    // dialysis or a direct analog immunoassay (evidence note docs/clinical/evidence/confirmation-causes-scope.md §1.3),
    // so the words of Observation.method and code.text decide. The reliable methods are looked for first, so
    // "equilibrium dialysis then immunoassay" is dialysis; whole words, case-insensitive; NonBacktracking and a
    // length cap keep matching linear on hostile input (docs/security.md §7 Bad input).
    private const RegexOptions MethodWordOptions = RegexOptions.IgnoreCase | RegexOptions.CultureInvariant | RegexOptions.NonBacktracking;
    private const int MaxMethodTextLength = 512;

    private static readonly (FreeTestosteroneMethod Method, Regex Words)[] MethodWords =
    [
        (FreeTestosteroneMethod.EquilibriumDialysis, new Regex(@"\b(?:dialysis|equilibrium|ultrafiltration)\b", MethodWordOptions)),
        (FreeTestosteroneMethod.MassSpectrometry, new Regex(@"\b(?:LC-MS|LC/MS|mass spectrometry|tandem)\b", MethodWordOptions)),
        (FreeTestosteroneMethod.DirectImmunoassay, new Regex(
            @"\b(?:direct|analog|analogue|immunoassay|radioimmunoassay|EIA|RIA|ELISA|chemiluminescent|chemiluminescence)\b", MethodWordOptions)),
    ];

    /// <summary>
    /// A free testosterone's method: Calculated for a code in the lab-calculated ValueSet; else the first method whose
    /// words occur in Observation.method (coding displays and codes, text) or code.text; else Unknown.
    /// </summary>
    private static FreeTestosteroneMethod FreeTestosteroneMethodOf(JsonElement observation, bool calculated)
    {
        if (calculated)
        {
            return FreeTestosteroneMethod.Calculated;
        }

        var texts = default(PooledList<string?>);
        try
        {
            var method = FhirJson.Object(observation, "method"u8);
            texts.Add(FhirJson.String(method, "text"u8));
            foreach (var coding in FhirJson.Array(method, "coding"u8))
            {
                texts.Add(FhirJson.String(coding, "display"u8));
                texts.Add(FhirJson.String(coding, "code"u8));
            }

            texts.Add(FhirJson.String(FhirJson.Object(observation, "code"u8), "text"u8));
            foreach (var (candidate, words) in MethodWords)
            {
                foreach (var text in texts.Items)
                {
                    if (!string.IsNullOrWhiteSpace(text) && words.IsMatch(text.AsSpan(0, Math.Min(text.Length, MaxMethodTextLength))))
                    {
                        return candidate;
                    }
                }
            }

            return FreeTestosteroneMethod.Unknown;
        }
        finally
        {
            texts.Dispose();
        }
    }

    private static readonly KnownStrings KnownUnits = new(UnitNormalizer.KnownSpellings);
    private static readonly KnownStrings UcumOnly = new([CodeSystems.Ucum]);

    private enum Usability
    {
        Other,
        Final,
        Pending,
    }

    private static Usability ObservationStatus(JsonElement observation)
    {
        if (!FhirJson.TryGet(observation, "status"u8, out var status) || status.ValueKind != JsonValueKind.String)
        {
            return Usability.Other;
        }

        return status.ValueEquals("final"u8) || status.ValueEquals("amended"u8) || status.ValueEquals("corrected"u8) ? Usability.Final
            : status.ValueEquals("preliminary"u8) || status.ValueEquals("registered"u8) ? Usability.Pending
            : Usability.Other;
    }

    // Quantity.comparator (quantity-comparator): < | <= | >= | >. Anything else is read as an exact value, as before.
    private static ValueComparator Comparator(JsonElement quantity) =>
        !FhirJson.TryGet(quantity, "comparator"u8, out var comparator) || comparator.ValueKind != JsonValueKind.String ? ValueComparator.Equal
        : comparator.ValueEquals("<"u8) ? ValueComparator.LessThan
        : comparator.ValueEquals("<="u8) ? ValueComparator.LessOrEqual
        : comparator.ValueEquals(">"u8) ? ValueComparator.GreaterThan
        : comparator.ValueEquals(">="u8) ? ValueComparator.GreaterOrEqual
        : ValueComparator.Equal;

    /// <summary>Quantity.system/code/unit through <see cref="UnitNormalizer"/>; <paramref name="shown"/> names the unit in an issue.</summary>
    private static bool TryUnit(Analyte analyte, JsonElement quantity, out LabUnit unit, out string? shown)
    {
        var system = FhirJson.Known(quantity, "system"u8, UcumOnly);
        var code = FhirJson.Known(quantity, "code"u8, KnownUnits);
        var text = FhirJson.Known(quantity, "unit"u8, KnownUnits);
        shown = code ?? text;
        return UnitNormalizer.TryNormalize(analyte, system, code, text, out unit);
    }

    private static ReferenceRange? MapReferenceRange(Analyte analyte, JsonElement observation)
    {
        // The first range without an "applies to" qualifier is the lab's normal range for this result.
        JsonElement? first = null;
        JsonElement? unqualified = null;
        foreach (var candidate in FhirJson.Array(observation, "referenceRange"u8))
        {
            if (!FhirJson.IsObject(candidate))
            {
                continue;
            }

            first ??= candidate;
            if (!FhirJson.HasItems(candidate, "appliesTo"u8) && !FhirJson.Has(candidate, "age"u8))
            {
                unqualified = candidate;
                break;
            }
        }

        if ((unqualified ?? first) is not { } range)
        {
            return null;
        }

        var low = ToQuantity(analyte, FhirJson.Object(range, "low"u8));
        var high = ToQuantity(analyte, FhirJson.Object(range, "high"u8));
        return low is null && high is null ? null : new ReferenceRange(low, high);
    }

    private static LabQuantity? ToQuantity(Analyte analyte, JsonElement quantity) =>
        FhirJson.Decimal(quantity, "value"u8) is { } value && TryUnit(analyte, quantity, out var unit, out _)
            ? new LabQuantity(value, unit)
            : null;

    private void MapFertilityIntent(FhirJsonResource resource, ref PooledList<FertilityIntentRecord> intents, List<DataIssue> issues)
    {
        var observation = resource.Json;
        if (ObservationStatus(observation) != Usability.Final)
        {
            return;
        }

        var intent = FertilityIntent.Unknown;
        foreach (var coding in FhirJson.Codings(FhirJson.Object(observation, "valueCodeableConcept"u8)))
        {
            if (_terminology.TryGetFertilityAnswer(coding.System, coding.Code, out var answer))
            {
                intent = answer;
                break;
            }
        }

        if (intent == FertilityIntent.Unknown)
        {
            issues.Add(new DataIssue("unknown-answer", "A pregnancy-intention answer was not a recognised code and was not used."));
            return;
        }

        var recorded = FhirDates.ToSampleTime(observation)?.Value ?? FhirDates.ToDateTimeOffset(FhirJson.Member(observation, "issued"u8), latest: false);
        if (recorded is null)
        {
            issues.Add(new DataIssue("no-date", "A pregnancy-intention answer has no date and was not used."));
            return;
        }

        intents.Add(new FertilityIntentRecord(intent, recorded.Value, resource.SourceId));
    }
}
