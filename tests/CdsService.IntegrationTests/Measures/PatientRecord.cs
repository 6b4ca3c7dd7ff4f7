using System.Globalization;
using System.Text.Json.Nodes;

namespace CdsService.IntegrationTests.Measures;

/// <summary>
/// A LOINC-coded result kind with the UCUM unit it is sent in. The codes are those of
/// fhir-profiles/terminology/ValueSet-analyte-*.json, so a change there that drops one shows up as a changed answer.
/// </summary>
internal sealed record LabCode(string Analyte, string Loinc, string Display, string Ucum, string PrintedUnit, string Category = "laboratory")
{
    public static IReadOnlyList<LabCode> All { get; } =
    [
        new("total-testosterone", "2986-8", "Testosterone [Mass/volume] in Serum or Plasma", "ng/dL", "ng/dL"),
        new("total-testosterone", "14913-8", "Testosterone [Moles/volume] in Serum or Plasma", "nmol/L", "nmol/L"),

        // Published once with a wrong unit (Urology 1999: "40 ng/mL" against a 225–900 range); sent as printed, so the
        // case shows what the service does with a unit it cannot use for this analyte.
        new("total-testosterone", "2986-8", "Testosterone [Mass/volume] in Serum or Plasma", "ng/mL", "ng/mL"),
        new("free-testosterone", "2991-8", "Testosterone Free [Mass/volume] in Serum or Plasma", "pg/mL", "pg/mL"),
        new("free-testosterone-calculated", "96559-0", "Testosterone Free [Moles/volume] in Serum or Plasma by calculation", "pmol/L", "pmol/L"),
        new("shbg", "13967-5", "Sex hormone binding globulin [Moles/volume] in Serum or Plasma", "nmol/L", "nmol/L"),
        new("lh", "10501-5", "Lutropin [Units/volume] in Serum or Plasma", "[IU]/L", "IU/L"),
        new("lh", "10501-5", "Lutropin [Units/volume] in Serum or Plasma", "m[IU]/mL", "mIU/mL"),
        new("fsh", "15067-2", "Follitropin [Units/volume] in Serum or Plasma", "[IU]/L", "IU/L"),
        new("fsh", "15067-2", "Follitropin [Units/volume] in Serum or Plasma", "m[IU]/mL", "mIU/mL"),
        new("prolactin", "2842-3", "Prolactin [Mass/volume] in Serum or Plasma", "ng/mL", "ng/mL"),
        new("prolactin", "15081-3", "Prolactin [Units/volume] in Serum or Plasma", "m[IU]/L", "mIU/L"),
        new("estradiol", "14715-7", "Estradiol (E2) [Moles/volume] in Serum or Plasma", "pmol/L", "pmol/L"),
        new("hematocrit", "4544-3", "Hematocrit [Volume Fraction] of Blood by Automated count", "%", "%"),
        new("psa", "2857-1", "Prostate specific Ag [Mass/volume] in Serum or Plasma", "ng/mL", "ng/mL"),
        new("ferritin", "2276-4", "Ferritin [Mass/volume] in Serum or Plasma", "ng/mL", "ng/mL"),
        new("transferrin-saturation", "2502-3", "Iron saturation [Mass Fraction] in Serum or Plasma", "%", "%"),
        new("bmi", "39156-5", "Body mass index (BMI) [Ratio]", "kg/m2", "kg/m2", "vital-signs"),
    ];

    /// <summary>The code for an analyte in a printed unit ("IU/L", "nmol/L"…); an unknown pair fails loudly.</summary>
    public static LabCode For(string analyte, string unit) =>
        All.FirstOrDefault(c => c.Analyte == analyte && (c.PrintedUnit == unit || c.Ucum == unit))
        ?? throw new InvalidDataException($"No LOINC code is set up for {analyte} in {unit}.");
}

/// <summary>
/// One synthetic patient's record as FHIR R4 resources, shaped like the example Bundles of fhir-profiles/examples
/// (same codings, statuses and categories), so <see cref="HookRequests.For(JsonObject)"/> answers each prefetch key
/// from it exactly as it does for the example patients. Ids are derived from the patient id and a counter, so the same
/// inputs always give the same JSON.
/// </summary>
internal sealed class PatientRecord
{
    public const string Icd10 = "http://hl7.org/fhir/sid/icd-10-cm";
    public const string Snomed = "http://snomed.info/sct";
    public const string RxNorm = "http://www.nlm.nih.gov/research/umls/rxnorm";

    private readonly List<JsonObject> resources = [];
    private int counter;

    /// <param name="patientId">Patient.id (and the prefix of every other resource id).</param>
    /// <param name="birthDate">Null leaves Patient.birthDate out (the age was not published).</param>
    public PatientRecord(string patientId, DateOnly? birthDate)
    {
        PatientId = patientId;
        var patient = new JsonObject
        {
            ["resourceType"] = "Patient",
            ["id"] = patientId,
            ["meta"] = new JsonObject
            {
                ["tag"] = new JsonArray(new JsonObject
                {
                    ["system"] = "http://terminology.hl7.org/CodeSystem/v3-ActReason",
                    ["code"] = "HTEST",
                    ["display"] = "test health data",
                }),
            },
            ["active"] = true,
            ["gender"] = "male",
        };
        if (birthDate is { } born)
        {
            patient["birthDate"] = born.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
        }

        resources.Add(patient);
    }

    public string PatientId { get; }

    private JsonObject Subject => new() { ["reference"] = $"Patient/{PatientId}" };

    /// <summary>A final result with a UCUM quantity (and, when given, a comparator such as "&lt;").</summary>
    public PatientRecord Lab(LabCode code, decimal value, string effective, string? comparator = null)
    {
        ArgumentNullException.ThrowIfNull(code);
        var quantity = new JsonObject();
        if (comparator is not null)
        {
            quantity["comparator"] = comparator;
        }

        quantity["value"] = value;
        quantity["unit"] = code.PrintedUnit;
        quantity["system"] = "http://unitsofmeasure.org";
        quantity["code"] = code.Ucum;
        resources.Add(new JsonObject
        {
            ["resourceType"] = "Observation",
            ["id"] = NextId("lab"),
            ["status"] = "final",
            ["category"] = new JsonArray(new JsonObject
            {
                ["coding"] = new JsonArray(new JsonObject
                {
                    ["system"] = "http://terminology.hl7.org/CodeSystem/observation-category",
                    ["code"] = code.Category,
                }),
            }),
            ["code"] = new JsonObject
            {
                ["coding"] = new JsonArray(new JsonObject { ["system"] = "http://loinc.org", ["code"] = code.Loinc, ["display"] = code.Display }),
                ["text"] = code.Display,
            },
            ["subject"] = Subject,
            ["effectiveDateTime"] = effective,
            ["valueQuantity"] = quantity,
        });
        return this;
    }

    /// <summary>An active, confirmed problem-list entry.</summary>
    public PatientRecord Condition(string system, string code, string display, string? onset = null)
    {
        var condition = new JsonObject
        {
            ["resourceType"] = "Condition",
            ["id"] = NextId("condition"),
            ["clinicalStatus"] = Coded("http://terminology.hl7.org/CodeSystem/condition-clinical", "active"),
            ["verificationStatus"] = Coded("http://terminology.hl7.org/CodeSystem/condition-ver-status", "confirmed"),
            ["category"] = new JsonArray(Coded("http://terminology.hl7.org/CodeSystem/condition-category", "problem-list-item")),
            ["code"] = new JsonObject
            {
                ["coding"] = new JsonArray(new JsonObject { ["system"] = system, ["code"] = code, ["display"] = display }),
                ["text"] = display,
            },
            ["subject"] = Subject,
        };
        if (onset is not null)
        {
            condition["onsetDateTime"] = onset;
        }

        resources.Add(condition);
        return this;
    }

    /// <summary>
    /// A MedicationRequest (status active, completed or stopped); a finished one carries its last day as
    /// dispenseRequest.validityPeriod.end, which the exogenous-androgen and fertility-therapy windows read.
    /// </summary>
    public PatientRecord MedicationRequest(string text, string? rxNormCode, string status, string authoredOn, string? ended = null)
    {
        var concept = new JsonObject { ["text"] = text };
        if (rxNormCode is not null)
        {
            concept["coding"] = new JsonArray(new JsonObject { ["system"] = RxNorm, ["code"] = rxNormCode });
        }

        var request = new JsonObject
        {
            ["resourceType"] = "MedicationRequest",
            ["id"] = NextId("medication"),
            ["status"] = status,
            ["intent"] = "order",
            ["medicationCodeableConcept"] = concept,
            ["subject"] = Subject,
            ["authoredOn"] = authoredOn,
        };
        if (ended is not null)
        {
            request["dispenseRequest"] = new JsonObject { ["validityPeriod"] = new JsonObject { ["start"] = authoredOn, ["end"] = ended } };
        }

        resources.Add(request);
        return this;
    }

    /// <summary>
    /// A MedicationStatement: what the patient reports taking (e.g. anabolic steroids bought without a prescription).
    /// With no period at all it is an undated course.
    /// </summary>
    public PatientRecord MedicationStatement(string text, string status, string? start = null, string? end = null)
    {
        var statement = new JsonObject
        {
            ["resourceType"] = "MedicationStatement",
            ["id"] = NextId("statement"),
            ["status"] = status,
            ["medicationCodeableConcept"] = new JsonObject { ["text"] = text },
            ["subject"] = Subject,
        };
        if (start is not null || end is not null)
        {
            var period = new JsonObject();
            if (start is not null)
            {
                period["start"] = start;
            }

            if (end is not null)
            {
                period["end"] = end;
            }

            statement["effectivePeriod"] = period;
        }

        resources.Add(statement);
        return this;
    }

    /// <summary>The US Core pregnancy-intent answer (LOINC 86645-9) with a SNOMED CT answer code.</summary>
    public PatientRecord FertilityIntent(string snomedAnswer, string display, string effective)
    {
        resources.Add(new JsonObject
        {
            ["resourceType"] = "Observation",
            ["id"] = NextId("intent"),
            ["status"] = "final",
            ["category"] = new JsonArray(Coded("http://terminology.hl7.org/CodeSystem/observation-category", "social-history")),
            ["code"] = new JsonObject
            {
                ["coding"] = new JsonArray(new JsonObject
                {
                    ["system"] = "http://loinc.org",
                    ["code"] = "86645-9",
                    ["display"] = "Pregnancy intention in the next year - Reported",
                }),
            },
            ["subject"] = Subject,
            ["effectiveDateTime"] = effective,
            ["valueCodeableConcept"] = new JsonObject
            {
                ["coding"] = new JsonArray(new JsonObject { ["system"] = Snomed, ["code"] = snomedAnswer, ["display"] = display }),
            },
        });
        return this;
    }

    /// <summary>The record as a collection Bundle (the shape <see cref="HookRequests.For(JsonObject)"/> reads).</summary>
    public JsonObject ToBundle() => new()
    {
        ["resourceType"] = "Bundle",
        ["type"] = "collection",
        ["entry"] = new JsonArray([.. resources.Select(r => (JsonNode)new JsonObject { ["resource"] = r.DeepClone() })]),
    };

    private string NextId(string kind) => $"{PatientId}-{kind}-{++counter}";

    private static JsonObject Coded(string system, string code) => new()
    {
        ["coding"] = new JsonArray(new JsonObject { ["system"] = system, ["code"] = code }),
    };
}
