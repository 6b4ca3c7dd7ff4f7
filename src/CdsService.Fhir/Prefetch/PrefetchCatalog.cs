using System.Collections.Immutable;
using CdsService.Clinical.Model;
using CdsService.Fhir.Terminology;
using CdsService.Protocol;

namespace CdsService.Fhir.Prefetch;

/// <summary>The prefetch keys every hypogonadism service declares, built from the terminology ValueSets.</summary>
public static class PrefetchCatalog
{
    public const string PatientKey = "patient";
    public const string HormoneLabsKey = "hormoneLabs";
    public const string SafetyLabsKey = "safetyLabs";
    public const string ConditionsKey = "conditions";
    public const string MedicationRequestsKey = "medicationRequests";
    public const string MedicationStatementsKey = "medicationStatements";
    public const string FertilityIntentKey = "fertilityIntent";
    public const string FamilyHistoryKey = "familyHistory";

    public const string PatientToken = "{{context.patientId}}";
    public const string UserPractitionerToken = "{{userPractitionerId}}";

    // Bounded pages (spec brief §1.5: _count is a prefetch-supported parameter; best practice: never query
    // unbounded). Labs are newest first so the first page holds what the 12-month lookback needs.
    internal const int HormoneLabsPageSize = 100;
    internal const int SafetyLabsPageSize = 50;
    internal const int ConditionsPageSize = 100;
    internal const int MedicationsPageSize = 100;
    internal const int FertilityIntentPageSize = 10;
    internal const int FamilyHistoryPageSize = 50;

    private static readonly Analyte[] HormoneAnalytes =
    [
        Analyte.TotalTestosterone, Analyte.FreeTestosterone, Analyte.BioavailableTestosterone, Analyte.Shbg,
        Analyte.Albumin, Analyte.Lh, Analyte.Fsh, Analyte.Prolactin, Analyte.Estradiol,
    ];

    // Transferrin saturation and BMI join the safety labs for the iron-overload and obesity causes
    // (docs/clinical/hypogonadism-rules.md §5 Causes; evidence note confirmation-causes-scope.md §9 and §10).
    private static readonly Analyte[] SafetyAnalytes =
        [Analyte.Hematocrit, Analyte.Psa, Analyte.Ferritin, Analyte.TransferrinSaturation, Analyte.Bmi];

    public static IReadOnlyList<PrefetchQuery> All { get; } = Build(TerminologyCatalog.Default);

    /// <summary>Looks a key up; null for a key this service does not declare.</summary>
    public static PrefetchQuery? Find(string key) => All.FirstOrDefault(q => q.Key == key);

    /// <summary>Builds the catalog from a terminology catalog (public for tests that load their own terminology).</summary>
    public static ImmutableArray<PrefetchQuery> Build(TerminologyCatalog terminology)
    {
        ArgumentNullException.ThrowIfNull(terminology);
        return
        [
            new(PatientKey, "Patient", "Patient/" + PatientToken, RequiredForAssessment: true),
            new(HormoneLabsKey, "Observation", ObservationQuery(HormoneAnalytes.SelectMany(a => terminology.CodesFor(a)), HormoneLabsPageSize), RequiredForAssessment: true)
            {
                PageSize = HormoneLabsPageSize,
            },
            new(SafetyLabsKey, "Observation", ObservationQuery(SafetyAnalytes.SelectMany(a => terminology.CodesFor(a)), SafetyLabsPageSize), RequiredForAssessment: true)
            {
                PageSize = SafetyLabsPageSize,
            },
            new(ConditionsKey, "Condition",
                $"Condition?patient={PatientToken}&clinical-status=active,recurrence,relapse&_count={ConditionsPageSize}",
                RequiredForAssessment: true)
            {
                PageSize = ConditionsPageSize,
            },

            // _include brings the referenced Medication resources into the same Bundle, so medicationReference can be
            // resolved without a second round trip (FHIR R4 §search _include; supported by HAPI and the sandbox).
            new(MedicationRequestsKey, "MedicationRequest",
                $"MedicationRequest?patient={PatientToken}&status=active,on-hold,completed,stopped,unknown&_include=MedicationRequest:medication&_count={MedicationsPageSize}",
                RequiredForAssessment: true)
            {
                PageSize = MedicationsPageSize,
            },
            new(FertilityIntentKey, "Observation", ObservationQuery(terminology.FertilityIntentQuestionCodes, FertilityIntentPageSize), RequiredForAssessment: true)
            {
                PageSize = FertilityIntentPageSize,
            },

            // Optional: many EHRs record outside or self-reported androgen use only as MedicationStatement. Read
            // when sent or fetchable; its absence alone does not make the call a 412.
            new(MedicationStatementsKey, "MedicationStatement",
                $"MedicationStatement?patient={PatientToken}&status=active,completed,on-hold,unknown&_include=MedicationStatement:medication&_count={MedicationsPageSize}",
                RequiredForAssessment: false)
            {
                PageSize = MedicationsPageSize,
            },

            // Optional: a first-degree relative with prostate cancer lowers the PSA limit to 3 ng/mL (ES 2018 Table 4).
            // Few EHRs send it; without it the rules claim no family-history risk (they never guess one).
            new(FamilyHistoryKey, "FamilyMemberHistory",
                $"FamilyMemberHistory?patient={PatientToken}&_count={FamilyHistoryPageSize}",
                RequiredForAssessment: false)
            {
                PageSize = FamilyHistoryPageSize,
            },
        ];
    }

    private static string ObservationQuery(IEnumerable<(string System, string Code)> codes, int pageSize)
    {
        var codeList = string.Join(',', codes.Select(c => c.System + "|" + c.Code));
        return $"Observation?patient={PatientToken}&code={codeList}&_sort=-date&_count={pageSize}";
    }
}
