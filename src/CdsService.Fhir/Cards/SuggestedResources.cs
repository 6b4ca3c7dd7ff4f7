using System.Text.Json;
using System.Text.Json.Nodes;
using Hl7.Fhir.Model;
using Hl7.Fhir.Serialization;
using HookCoding = CdsService.Fhir.Hooks.Coding;

namespace CdsService.Fhir.Cards;

/// <summary>
/// The FHIR resources a suggestion creates. Built as Firely R4 POCOs and serialised by Firely's System.Text.Json
/// converter, so what leaves the service is R4 JSON the EHR can put straight into its FHIR transaction
/// (CDS Hooks 2.0 §Action: "resource" is a FHIR resource). No ids: the EHR assigns them when it creates the order.
/// </summary>
internal static class SuggestedResources
{
    private static readonly JsonSerializerOptions FhirJson = new JsonSerializerOptions().ForFhir();

    /// <summary>
    /// Clomiphene citrate 25 mg by mouth once daily, as half of a 50 mg tablet (AUA 2018; clinical brief §3.3,
    /// Liel 2017). Off-label in men, which the note says so the prescriber sees it in the order.
    /// </summary>
    public static JsonNode ClomipheneOrder(string patientId)
    {
        var request = new MedicationRequest
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
        };

        return ToNode(request);
    }

    /// <summary>Referral to reproductive urology for a man with primary hypogonadism who wants children (AUA 2018; EAU).</summary>
    public static JsonNode ReproductiveUrologyReferral(string patientId, string reason)
    {
        var request = new ServiceRequest
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
        };

        return ToNode(request);
    }

    /// <summary>A laboratory order coded in LOINC, optionally due on a date (monitoring plans).</summary>
    public static JsonNode LabOrder(string patientId, HookCoding loinc, string text, DateOnly? due, string? patientInstruction)
    {
        var request = new ServiceRequest
        {
            Status = RequestStatus.Draft,
            Intent = RequestIntent.Order,
            Category = [Concept(CardTerminology.LaboratoryCategory, "Laboratory")],
            Code = Concept(loinc, text),
            Subject = new ResourceReference($"Patient/{patientId}"),
            Occurrence = due is { } date ? new FhirDateTime(date.Year, date.Month, date.Day) : null,
            PatientInstruction = patientInstruction,
        };

        return ToNode(request);
    }

    private static CodeableConcept Concept(HookCoding coding, string text) =>
        new(coding.System, coding.Code, coding.Display, text);

    private static JsonNode ToNode(Resource resource) =>
        JsonSerializer.SerializeToNode(resource, resource.GetType(), FhirJson)
        ?? throw new InvalidOperationException("Firely serialised a resource to JSON null.");
}
