using System.Globalization;
using System.Text.Json.Nodes;
using CdsService.Clinical.Model;

namespace CdsService.LoadTool;

/// <summary>
/// The synthetic benchmark patient (docs/performance.md, case 3): a 47-year-old man with low morning total testosterone and
/// normal-to-low gonadotropins (secondary hypogonadism) who does not want children, with 60 laboratory Observations
/// over 13 months (52 hormone labs, 7 safety labs, 1 pregnancy-intention answer), 10 active Conditions and 5
/// MedicationRequests. Every Observation uses a code of the project's analyte ValueSets, so all 60 land in the
/// prefetch that <see cref="CdsService.Examples.ExampleRequestBuilder"/> derives from the discovery templates.
/// Dates are relative to <c>now</c> so the labs stay inside the 12-month lookback whenever the benchmark runs.
/// Written as a FHIR transaction Bundle so the same file seeds the FHIR sandbox (case 6): both paths read the same data.
/// </summary>
internal static class BenchPatient
{
    public const string PatientId = "load-bench-1";

    // (LOINC code, display, UCUM unit, count, first value, step between results). Values are plausible for the story
    // above: total testosterone 240–300 ng/dL (below the 264–300 ng/dL cut-offs on most draws), LH 2–4 IU/L.
    private static readonly (string Code, string Display, string Unit, int Count, decimal Value, decimal Step)[] HormoneSeries =
    [
        (Loinc.TotalTestosterone, "Testosterone [Mass/volume] in Serum or Plasma", "ng/dL", 14, 238m, 4m),
        ("14913-8", "Testosterone [Moles/volume] in Serum or Plasma", "nmol/L", 2, 8.4m, 0.3m),
        ("2991-8", "Testosterone Free [Mass/volume] in Serum or Plasma", "pg/mL", 4, 42m, 2m),
        (Loinc.Shbg, "Sex hormone binding globulin [Moles/volume] in Serum or Plasma", "nmol/L", 6, 24m, 1m),
        ("1751-7", "Albumin [Mass/volume] in Serum or Plasma", "g/dL", 6, 4.1m, 0.05m),
        (Loinc.Lh, "Lutropin [Units/volume] in Serum or Plasma", "[IU]/L", 8, 2.2m, 0.2m),
        (Loinc.Fsh, "Follitropin [Units/volume] in Serum or Plasma", "[IU]/L", 6, 3.1m, 0.2m),
        (Loinc.Prolactin, "Prolactin [Mass/volume] in Serum or Plasma", "ng/mL", 3, 9.5m, 0.5m),
        (Loinc.Estradiol, "Estradiol (E2) [Mass/volume] in Serum or Plasma", "pg/mL", 3, 22m, 1m),
    ];

    private static readonly (string Code, string Display, string Unit, int Count, decimal Value, decimal Step)[] SafetySeries =
    [
        (Loinc.Hematocrit, "Hematocrit [Volume Fraction] of Blood by Automated count", "%", 3, 44m, 0.4m),
        (Loinc.Psa, "Prostate specific Ag [Mass/volume] in Serum or Plasma", "ng/mL", 3, 0.9m, 0.1m),
        ("2276-4", "Ferritin [Mass/volume] in Serum or Plasma", "ng/mL", 1, 110m, 0m),
    ];

    // ICD-10-CM 2024: one hypogonadism diagnosis and nine common comorbidities that no rule acts on.
    private static readonly (string Code, string Display)[] ConditionCodes =
    [
        ("E29.1", "Testicular hypofunction"),
        ("I10", "Essential (primary) hypertension"),
        ("E11.9", "Type 2 diabetes mellitus without complications"),
        ("E78.5", "Hyperlipidemia, unspecified"),
        ("E66.9", "Obesity, unspecified"),
        ("K21.9", "Gastro-esophageal reflux disease without esophagitis"),
        ("J30.9", "Allergic rhinitis, unspecified"),
        ("F41.1", "Generalized anxiety disorder"),
        ("N40.0", "Benign prostatic hyperplasia without lower urinary tract symptoms"),
        ("M54.50", "Low back pain, unspecified"),
    ];

    // RxNorm SCDs; the last is a completed course of clomiphene (same code as the example draft orders).
    private static readonly (string Code, string Display, string Status, int StartedDaysAgo)[] Medications =
    [
        ("314076", "lisinopril 10 MG Oral Tablet", "active", 700),
        ("861007", "metformin hydrochloride 500 MG Oral Tablet", "active", 540),
        ("617310", "atorvastatin 20 MG Oral Tablet", "active", 400),
        ("197361", "amlodipine 5 MG Oral Tablet", "active", 300),
        ("1093060", "clomiphene citrate 50 MG Oral Tablet", "completed", 900),
    ];

    /// <summary>How many resources of each kind the bundle holds (checked against the built prefetch).</summary>
    public static int ObservationCount => HormoneSeries.Sum(s => s.Count) + SafetySeries.Sum(s => s.Count) + 1;

    public static int ConditionCount => ConditionCodes.Length;

    public static int MedicationRequestCount => Medications.Length;

    public static JsonObject Build(DateTimeOffset now)
    {
        var entries = new JsonArray { Entry(Patient(now)) };
        var index = 0;
        foreach (var series in HormoneSeries.Concat(SafetySeries))
        {
            for (var i = 0; i < series.Count; i++)
            {
                // Spread over ~13 months, newest 5 days ago; every fourth draw is an afternoon sample.
                var daysAgo = 5 + (i * 390 / Math.Max(series.Count, 1)) + (index % 3);
                var hour = i % 4 == 3 ? 15 : 8;
                entries.Add(Entry(LabObservation(++index, series.Code, series.Display, series.Unit, series.Value + (series.Step * i), At(now, daysAgo, hour))));
            }
        }

        entries.Add(Entry(IntentObservation(++index, At(now, 20, 10))));
        for (var i = 0; i < ConditionCodes.Length; i++)
        {
            entries.Add(Entry(Condition(i + 1, ConditionCodes[i].Code, ConditionCodes[i].Display, Date(now, 400 + (i * 90)))));
        }

        for (var i = 0; i < Medications.Length; i++)
        {
            var (code, display, status, startedDaysAgo) = Medications[i];
            entries.Add(Entry(MedicationRequest(i + 1, code, display, status, Date(now, startedDaysAgo))));
        }

        return new JsonObject
        {
            ["resourceType"] = "Bundle",
            ["id"] = "load-benchmark-patient",
            ["type"] = "transaction",
            ["entry"] = entries,
        };
    }

    private static JsonObject Patient(DateTimeOffset now) => new()
    {
        ["resourceType"] = "Patient",
        ["id"] = PatientId,
        ["meta"] = TestTag(),
        ["active"] = true,
        ["name"] = new JsonArray(new JsonObject { ["use"] = "official", ["family"] = "Synthetic", ["given"] = new JsonArray("Benchmark") }),
        ["gender"] = "male",
        ["birthDate"] = Date(now, (47 * 365) + 120),
    };

    private static JsonObject LabObservation(int n, string code, string display, string unit, decimal value, string effective) => new()
    {
        ["resourceType"] = "Observation",
        ["id"] = $"{PatientId}-lab-{n}",
        ["status"] = "final",
        ["category"] = new JsonArray(Concept("http://terminology.hl7.org/CodeSystem/observation-category", "laboratory", "Laboratory")),
        ["code"] = Concept(CodeSystems.Loinc, code, display),
        ["subject"] = new JsonObject { ["reference"] = $"Patient/{PatientId}" },
        ["effectiveDateTime"] = effective,
        ["valueQuantity"] = new JsonObject { ["value"] = value, ["unit"] = unit == "[IU]/L" ? "IU/L" : unit, ["system"] = CodeSystems.Ucum, ["code"] = unit },
    };

    private static JsonObject IntentObservation(int n, string effective) => new()
    {
        ["resourceType"] = "Observation",
        ["id"] = $"{PatientId}-intent-{n}",
        ["status"] = "final",
        ["category"] = new JsonArray(Concept("http://terminology.hl7.org/CodeSystem/observation-category", "social-history", "Social History")),
        ["code"] = Concept(CodeSystems.Loinc, Loinc.PregnancyIntention, "Pregnancy intention in the next year - Reported"),
        ["subject"] = new JsonObject { ["reference"] = $"Patient/{PatientId}" },
        ["effectiveDateTime"] = effective,
        ["valueCodeableConcept"] = Concept(CodeSystems.Snomed, "454401000124105", "Does not want to become pregnant (finding)"),
    };

    private static JsonObject Condition(int n, string code, string display, string onset) => new()
    {
        ["resourceType"] = "Condition",
        ["id"] = $"{PatientId}-condition-{n}",
        ["clinicalStatus"] = Concept("http://terminology.hl7.org/CodeSystem/condition-clinical", "active", "Active"),
        ["verificationStatus"] = Concept("http://terminology.hl7.org/CodeSystem/condition-ver-status", "confirmed", "Confirmed"),
        ["category"] = new JsonArray(Concept("http://terminology.hl7.org/CodeSystem/condition-category", "problem-list-item", "Problem List Item")),
        ["code"] = Concept(CodeSystems.Icd10Cm, code, display),
        ["subject"] = new JsonObject { ["reference"] = $"Patient/{PatientId}" },
        ["onsetDateTime"] = onset,
        ["recordedDate"] = onset,
    };

    private static JsonObject MedicationRequest(int n, string code, string display, string status, string authoredOn) => new()
    {
        ["resourceType"] = "MedicationRequest",
        ["id"] = $"{PatientId}-medication-{n}",
        ["status"] = status,
        ["intent"] = "order",
        ["medicationCodeableConcept"] = Concept(CodeSystems.RxNorm, code, display),
        ["subject"] = new JsonObject { ["reference"] = $"Patient/{PatientId}" },
        ["authoredOn"] = authoredOn,
        ["dosageInstruction"] = new JsonArray(new JsonObject { ["text"] = "1 tablet by mouth once daily" }),
    };

    private static JsonObject Concept(string system, string code, string display) => new()
    {
        ["coding"] = new JsonArray(new JsonObject { ["system"] = system, ["code"] = code, ["display"] = display }),
        ["text"] = display,
    };

    private static JsonObject TestTag() => new()
    {
        ["tag"] = new JsonArray(new JsonObject
        {
            ["system"] = "http://terminology.hl7.org/CodeSystem/v3-ActReason",
            ["code"] = "HTEST",
            ["display"] = "test health data",
        }),
    };

    private static JsonObject Entry(JsonObject resource) => new()
    {
        ["fullUrl"] = $"urn:bench:{resource["resourceType"]}/{resource["id"]}",
        ["resource"] = resource,
        ["request"] = new JsonObject { ["method"] = "PUT", ["url"] = $"{resource["resourceType"]}/{resource["id"]}" },
    };

    /// <summary>A dateTime <paramref name="daysAgo"/> days before <paramref name="now"/> at a local clock hour, UTC−05:00.</summary>
    private static string At(DateTimeOffset now, int daysAgo, int hour)
    {
        var day = now.ToOffset(TimeSpan.FromHours(-5)).Date.AddDays(-daysAgo);
        return new DateTimeOffset(day.Year, day.Month, day.Day, hour, 20, 0, TimeSpan.FromHours(-5)).ToString("yyyy-MM-ddTHH:mm:sszzz", CultureInfo.InvariantCulture);
    }

    private static string Date(DateTimeOffset now, int daysAgo) =>
        now.UtcDateTime.Date.AddDays(-daysAgo).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
}
