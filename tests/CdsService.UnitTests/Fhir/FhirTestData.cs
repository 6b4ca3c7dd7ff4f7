using System.Collections.Frozen;
using System.Text.Json;
using CdsService.Clinical.Model;
using CdsService.Fhir.Prefetch;
using CdsService.Protocol;

namespace CdsService.UnitTests.Fhir;

/// <summary>Synthetic FHIR JSON for the data-layer tests (no real PHI), as raw strings like the Firely SDK's own tests.</summary>
internal static class FhirTestData
{
    public const string PatientId = "p1";
    public const string Loinc = CodeSystems.Loinc;
    public const string Ucum = CodeSystems.Ucum;

    public static string Patient(string id = PatientId, string gender = "male", string birthDate = "1980-04-02") =>
        $$$"""{"resourceType":"Patient","id":"{{{id}}}","gender":"{{{gender}}}","birthDate":"{{{birthDate}}}","name":[{"family":"Testperson"}]}""";

    public static string Observation(
        string id, string code, decimal? value, string unit, string effective = "\"effectiveDateTime\":\"2026-10-01T08:30:00-05:00\"",
        string status = "final", string? comparator = null, string unitSystem = Ucum, string extra = "", string subject = PatientId)
    {
        var comparatorJson = comparator is null ? "" : $",\"comparator\":\"{comparator}\"";
        var valueJson = value is null
            ? "\"dataAbsentReason\":{\"coding\":[{\"system\":\"http://terminology.hl7.org/CodeSystem/data-absent-reason\",\"code\":\"error\"}]}"
            : $"\"valueQuantity\":{{\"value\":{value.Value.ToString(System.Globalization.CultureInfo.InvariantCulture)}{comparatorJson},\"unit\":\"{unit}\",\"system\":\"{unitSystem}\",\"code\":\"{unit}\"}}";
        return $$$"""
            {"resourceType":"Observation","id":"{{{id}}}","status":"{{{status}}}",
             "category":[{"coding":[{"system":"http://terminology.hl7.org/CodeSystem/observation-category","code":"laboratory"}]}],
             "code":{"coding":[{"system":"{{{Loinc}}}","code":"{{{code}}}"}]},
             "subject":{"reference":"Patient/{{{subject}}}"},{{{effective}}},{{{valueJson}}}{{{extra}}}}
            """;
    }

    public static string FertilityIntent(string id, string system, string code, string effective = "2026-09-15") =>
        $$$"""
        {"resourceType":"Observation","id":"{{{id}}}","status":"final",
         "code":{"coding":[{"system":"http://loinc.org","code":"86645-9"}]},
         "subject":{"reference":"Patient/{{{PatientId}}}"},"effectiveDateTime":"{{{effective}}}",
         "valueCodeableConcept":{"coding":[{"system":"{{{system}}}","code":"{{{code}}}"}]}}
        """;

    public static string Condition(string id, string system, string code, string clinicalStatus = "active", string? verification = null, string onset = "2026-08-01")
    {
        var verificationJson = verification is null
            ? ""
            : ",\"verificationStatus\":{\"coding\":[{\"system\":\"http://terminology.hl7.org/CodeSystem/condition-ver-status\",\"code\":\"" + verification + "\"}]}";
        return $$$"""
            {"resourceType":"Condition","id":"{{{id}}}",
             "clinicalStatus":{"coding":[{"system":"http://terminology.hl7.org/CodeSystem/condition-clinical","code":"{{{clinicalStatus}}}"}]}{{{verificationJson}}},
             "code":{"coding":[{"system":"{{{system}}}","code":"{{{code}}}"}]},
             "subject":{"reference":"Patient/{{{PatientId}}}"},"onsetDateTime":"{{{onset}}}"}
            """;
    }

    public static string MedicationRequestCoded(string id, string rxnorm, string display, string status = "active", string authoredOn = "2026-06-01") =>
        $$$"""
        {"resourceType":"MedicationRequest","id":"{{{id}}}","status":"{{{status}}}","intent":"order",
         "medicationCodeableConcept":{"coding":[{"system":"http://www.nlm.nih.gov/research/umls/rxnorm","code":"{{{rxnorm}}}","display":"{{{display}}}"}]},
         "subject":{"reference":"Patient/{{{PatientId}}}"},"authoredOn":"{{{authoredOn}}}"}
        """;

    public static string MedicationRequestByReference(string id, string reference, string status = "completed", string contained = "") =>
        $$$"""
        {"resourceType":"MedicationRequest","id":"{{{id}}}","status":"{{{status}}}","intent":"order"{{{contained}}},
         "medicationReference":{"reference":"{{{reference}}}"},
         "subject":{"reference":"Patient/{{{PatientId}}}"},"authoredOn":"2026-01-10",
         "dispenseRequest":{"validityPeriod":{"start":"2026-01-10","end":"2026-04-10"} } }
        """;

    public static string Medication(string id, string text) =>
        $$$"""{"resourceType":"Medication","id":"{{{id}}}","code":{"text":"{{{text}}}"}}""";

    /// <summary>A relative's condition (relationship: v3 RoleCode; condition: SNOMED CT).</summary>
    public static string FamilyMemberHistory(string id, string relationship, string snomed, string patient = "Patient/p1") =>
        $$$"""
        {"resourceType":"FamilyMemberHistory","id":"{{{id}}}","status":"completed","patient":{"reference":"{{{patient}}}"},
         "date":"2026-10-01",
         "relationship":{"coding":[{"system":"http://terminology.hl7.org/CodeSystem/v3-RoleCode","code":"{{{relationship}}}"}]},
         "condition":[{"code":{"coding":[{"system":"http://snomed.info/sct","code":"{{{snomed}}}"}]}}]}
        """;

    public static string MedicationStatement(string id, string text, string status = "active") =>
        $$$"""
        {"resourceType":"MedicationStatement","id":"{{{id}}}","status":"{{{status}}}",
         "medicationCodeableConcept":{"text":"{{{text}}}"},
         "subject":{"reference":"Patient/{{{PatientId}}}"},"effectivePeriod":{"start":"2025-11-01"}}
        """;

    public static string Bundle(IEnumerable<string> resources, string? nextUrl = null, bool withType = true)
    {
        var entries = string.Join(",", resources.Select(r => $"{{\"resource\":{r}}}"));
        var type = withType ? "\"type\":\"searchset\"," : "";
        var link = nextUrl is null ? "" : $",\"link\":[{{\"relation\":\"next\",\"url\":\"{nextUrl}\"}}]";
        return $$$"""{"resourceType":"Bundle",{{{type}}}"entry":[{{{entries}}}]{{{link}}}}""";
    }

    public static string Bundle(params string[] resources) => Bundle((IEnumerable<string>)resources);

    /// <summary>One realistic data set, split by prefetch key, used for the full/partial/no-prefetch comparisons.</summary>
    public static IReadOnlyDictionary<string, string> Scenario() => new Dictionary<string, string>
    {
        [PrefetchCatalog.PatientKey] = Patient(),
        [PrefetchCatalog.HormoneLabsKey] = Bundle(
            Observation("tt1", "2986-8", 250m, "ng/dL"),
            Observation("tt2", "14913-8", 8.1m, "nmol/L", "\"effectiveDateTime\":\"2026-09-20T07:45:00+02:00\""),
            Observation("lh1", "10501-5", 2.1m, "m[IU]/mL", "\"effectivePeriod\":{\"start\":\"2026-10-01T08:30:00-05:00\"}"),
            Observation("shbg1", "13967-5", 30m, "nmol/L", "\"effectiveInstant\":\"2026-10-01T08:30:00.000-05:00\"")),
        [PrefetchCatalog.SafetyLabsKey] = Bundle(
            Observation("hct1", "4544-3", 45m, "%", "\"effectiveDateTime\":\"2026-10-01\""),
            Observation("psa1", "2857-1", 0.5m, "ng/mL", comparator: "<")),
        [PrefetchCatalog.ConditionsKey] = Bundle(Condition("c1", "http://hl7.org/fhir/sid/icd-10-cm", "E23.0")),
        [PrefetchCatalog.MedicationRequestsKey] = Bundle(
            MedicationRequestByReference("mr1", "Medication/med1"),
            Medication("med1", "Testosterone cypionate 200 mg/mL injection")),
        [PrefetchCatalog.MedicationStatementsKey] = Bundle(MedicationStatement("ms1", "Anastrozole 1 mg tablet")),
        [PrefetchCatalog.FertilityIntentKey] = Bundle(FertilityIntent("fi1", "http://snomed.info/sct", "454411000124108")),
        [PrefetchCatalog.FamilyHistoryKey] = Bundle(FamilyMemberHistory("fmh1", "FTH", "399068003")),
    };

    public static HookRequest Request(
        IReadOnlyDictionary<string, string?>? prefetch = null, Uri? fhirServer = null, string? token = "secret-token",
        HookKind hook = HookKind.PatientView, string context = "{\"patientId\":\"p1\"}")
    {
        var entries = new Dictionary<string, PrefetchEntry>(StringComparer.Ordinal);
        foreach (var query in PrefetchCatalog.All)
        {
            if (prefetch is null || !prefetch.TryGetValue(query.Key, out var json))
            {
                entries[query.Key] = PrefetchEntry.Absent;
            }
            else if (json is null)
            {
                entries[query.Key] = new PrefetchEntry(PrefetchState.Null, default);
            }
            else
            {
                var element = JsonDocument.Parse(json).RootElement.Clone();
                var state = element.TryGetProperty("resourceType", out var type) && type.GetString() == "OperationOutcome"
                    ? PrefetchState.OperationOutcome
                    : PrefetchState.Present;
                entries[query.Key] = new PrefetchEntry(state, element);
            }
        }

        return new HookRequest
        {
            ServiceId = "hypogonadism-patient-view",
            Hook = hook,
            HookInstance = "d1577c69-dfbe-44ad-ba6d-3e05e953b2ea",
            PatientId = PatientId,
            FhirServer = fhirServer,
            FhirAccessToken = token,
            Context = JsonDocument.Parse(context).RootElement.Clone(),
            Prefetch = entries.ToFrozenDictionary(StringComparer.Ordinal),
        };
    }
}
