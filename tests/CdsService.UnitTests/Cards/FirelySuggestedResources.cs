using System.Text.Json;
using System.Text.Json.Nodes;
using CdsService.Cards;
using Hl7.Fhir.Model;
using Hl7.Fhir.Serialization;
using HookCoding = CdsService.Protocol.Coding;

namespace CdsService.UnitTests.Cards;

/// <summary>
/// The oracle for <see cref="SuggestedResources"/>: the same resources built as Firely R4 POCOs and serialised by
/// Firely's System.Text.Json converter, as the service did before it wrote them directly (docs/performance.md,
/// round 2 item 10). Kept here so that
/// any difference between what the service sends and what Firely would send fails a test.
/// </summary>
internal static class FirelySuggestedResources
{
    private static readonly JsonSerializerOptions FhirJson = new JsonSerializerOptions().ForFhir();

    public static JsonNode ClomipheneOrder(string patientId) => ToNode(new MedicationRequest
    {
        Status = MedicationRequest.MedicationrequestStatus.Draft,
        Intent = MedicationRequest.MedicationRequestIntent.Order,
        Medication = Concept(CardTerminology.ClomipheneTablet, "Clomiphene citrate 25 mg (half of a 50 mg tablet)"),
        Subject = new ResourceReference($"Patient/{patientId}"),
        ReasonCode = [Concept(CardTerminology.Hypogonadism, "Secondary hypogonadism, fertility desired")],
        DosageInstruction =
        [
            new Dosage
            {
                Text = "Take half a 50 mg tablet (25 mg) by mouth once daily",
                Timing = new Timing
                {
                    Repeat = new Timing.RepeatComponent { Frequency = 1, Period = 1, PeriodUnit = Timing.UnitsOfTime.D },
                },
                Route = Concept(CardTerminology.OralRoute, "Oral"),
                DoseAndRate =
                [
                    new Dosage.DoseAndRateComponent
                    {
                        Dose = new Quantity { Value = 25m, Unit = "mg", System = CardTerminology.Ucum, Code = "mg" },
                    },
                ],
            },
        ],
        Note =
        [
            new Annotation
            {
                Text = new Markdown(
                    "Off-label in men. Check total testosterone and estradiol at 4-8 weeks; stop if visual symptoms occur."),
            },
        ],
    });

    public static JsonNode HcgOrder(string patientId) => TextOnlyOrder(patientId,
        "Chorionic gonadotropin (hCG) injection",
        "Dose set by the prescriber; in hypogonadotropic hypogonadism typically 1,500-2,500 IU subcutaneously or intramuscularly 2-3 times a week, titrated to mid-normal testosterone",
        "Check total testosterone at 4-6 weeks (aim mid-normal) and hematocrit; semen analysis every 2-3 months; add FSH if still azoospermic after 3-6 months.");

    public static JsonNode EnclomipheneOrder(string patientId) => TextOnlyOrder(patientId,
        "Enclomiphene citrate 12.5 mg oral (not FDA-approved)",
        "12.5 mg by mouth once daily",
        "Not FDA-approved (no approved NDA; the EMA refused authorisation in 2018): only where it is legally available. Trials used 12.5-25 mg daily (Wiehle 2014). Check total testosterone and estradiol at 4-8 weeks.");

    private static JsonNode TextOnlyOrder(string patientId, string medication, string dosage, string note) => ToNode(new MedicationRequest
    {
        Status = MedicationRequest.MedicationrequestStatus.Draft,
        Intent = MedicationRequest.MedicationRequestIntent.Order,
        Medication = new CodeableConcept { Text = medication },
        Subject = new ResourceReference($"Patient/{patientId}"),
        ReasonCode = [Concept(CardTerminology.Hypogonadism, "Secondary hypogonadism, fertility desired")],
        DosageInstruction = [new Dosage { Text = dosage }],
        Note = [new Annotation { Text = new Markdown(note) }],
    });

    public static JsonNode ReproductiveUrologyReferral(string patientId, string reason) => ToNode(new ServiceRequest
    {
        Status = RequestStatus.Draft,
        Intent = RequestIntent.Order,
        Category = [Concept(CardTerminology.ReferralCategory, "Referral")],
        Code = Concept(CardTerminology.FertilityClinicReferral, "Referral to reproductive urology (male fertility)"),
        Subject = new ResourceReference($"Patient/{patientId}"),
        ReasonCode = [Concept(CardTerminology.Hypogonadism, reason)],
        Note =
        [
            new Annotation
            {
                Text = new Markdown("Semen analysis, karyotype, sperm banking; micro-TESE if azoospermic. No testosterone until sperm is banked."),
            },
        ],
    });

    public static JsonNode EndocrinologyReferral(string patientId, string reason) => ToNode(new ServiceRequest
    {
        Status = RequestStatus.Draft,
        Intent = RequestIntent.Order,
        Category = [Concept(CardTerminology.ReferralCategory, "Referral")],
        Code = new CodeableConcept { Text = "Referral to endocrinology" },
        Subject = new ResourceReference($"Patient/{patientId}"),
        ReasonCode = [Concept(CardTerminology.Hypogonadism, reason)],
        Note =
        [
            new Annotation
            {
                Text = new Markdown(
                    "Prolactin or pituitary cause of low testosterone. Not clomiphene or enclomiphene (label: contraindicated with a pituitary tumour); for fertility hCG with or without FSH."),
            },
        ],
    });

    public static JsonNode LabOrder(string patientId, HookCoding loinc, string text, DateOnly? due, string? patientInstruction) =>
        ToNode(new ServiceRequest
        {
            Status = RequestStatus.Draft,
            Intent = RequestIntent.Order,
            Category = [Concept(CardTerminology.LaboratoryCategory, "Laboratory")],
            Code = Concept(loinc, text),
            Subject = new ResourceReference($"Patient/{patientId}"),
            Occurrence = due is { } date ? new FhirDateTime(date.Year, date.Month, date.Day) : null,
            PatientInstruction = patientInstruction,
        });

    public static JsonNode FertilityIntentObservation(string patientId, CdsService.Clinical.Hypogonadism.FertilityIntentCode answer,
        DateTimeOffset recordedAt) => ToNode(new Observation
        {
            Status = ObservationStatus.Final,
            Category = [new CodeableConcept(CardTerminology.SocialHistoryCategory.System, CardTerminology.SocialHistoryCategory.Code,
                CardTerminology.SocialHistoryCategory.Display, null)],
            Code = new CodeableConcept(CardTerminology.PregnancyIntention.System, CardTerminology.PregnancyIntention.Code,
                CardTerminology.PregnancyIntention.Display, null),
            Subject = new ResourceReference($"Patient/{patientId}"),
            Effective = new FhirDateTime(recordedAt),
            Value = new CodeableConcept(answer.System, answer.Code, answer.Display, null),
        });

    public static JsonNode UrologyReferral(string patientId, string reason) => ToNode(new ServiceRequest
    {
        Status = RequestStatus.Draft,
        Intent = RequestIntent.Order,
        Category = [Concept(CardTerminology.ReferralCategory, "Referral")],
        Code = new CodeableConcept { Text = "Referral to urology" },
        Subject = new ResourceReference($"Patient/{patientId}"),
        ReasonCode = [Concept(CardTerminology.Hypogonadism, reason)],
        Note =
        [
            new Annotation
            {
                Text = new Markdown(
                    "PSA finding on testosterone therapy (Endocrine Society 2018, Table 8: urological consultation for a confirmed PSA rise above 1.4 ng/mL within 12 months or a confirmed PSA above 4.0 ng/mL)."),
            },
        ],
    });

    private static CodeableConcept Concept(HookCoding coding, string text) =>
        new(coding.System, coding.Code, coding.Display, text);

    private static JsonNode ToNode(Resource resource) =>
        JsonSerializer.SerializeToNode(resource, resource.GetType(), FhirJson)
        ?? throw new InvalidOperationException("Firely serialised a resource to JSON null.");
}
