using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using CdsService.Clinical.Hypogonadism;
using HookCoding = CdsService.Protocol.Coding;

namespace CdsService.Cards;

/// <summary>
/// The resources the renewal and fertility-intent suggestions create: the patient's answer to "pregnancy intention in
/// the next year" as a final Observation (US Core pregnancy intent: LOINC 86645-9, SNOMED CT answer), and a urology
/// referral for a PSA finding on testosterone. Same conventions as the rest of <see cref="SuggestedResources"/>: Firely's
/// R4 member order, no ids.
/// </summary>
internal static partial class SuggestedResources
{
    private static readonly JsonEncodedText EffectiveDateTimeName = JsonEncodedText.Encode("effectiveDateTime");
    private static readonly JsonEncodedText ValueCodeableConceptName = JsonEncodedText.Encode("valueCodeableConcept");
    private static readonly JsonEncodedText ObservationType = JsonEncodedText.Encode("Observation");
    private static readonly JsonEncodedText Final = JsonEncodedText.Encode("final");

    private static readonly byte[] SocialHistoryCategory = Fragment(writer =>
    {
        writer.WriteStartArray();
        WriteConcept(writer, CardTerminology.SocialHistoryCategory, null);
        writer.WriteEndArray();
    });

    private static readonly byte[] PregnancyIntentionCode = Fragment(writer => WriteConcept(writer, CardTerminology.PregnancyIntention, null));

    // No SNOMED CT "referral to urology" concept was verified, so the service is named in text, as for endocrinology.
    private static readonly byte[] UrologyReferralCode = Fragment(writer =>
    {
        writer.WriteStartObject();
        writer.WriteString(TextName, "Referral to urology");
        writer.WriteEndObject();
    });

    private static readonly byte[] UrologyReferralNote = Fragment(writer => WriteNote(writer,
        "PSA finding on testosterone therapy (Endocrine Society 2018, Table 8: urological consultation for a confirmed PSA rise above 1.4 ng/mL within 12 months or a confirmed PSA above 4.0 ng/mL)."));

    /// <summary>
    /// The patient's answer as a final Observation of LOINC 86645-9 with the US Core SNOMED CT answer code, for this
    /// patient, effective at <paramref name="recordedAt"/> (the service clock, never the wall clock).
    /// </summary>
    public static JsonObject FertilityIntentObservation(string patientId, FertilityIntentCode answer, DateTimeOffset recordedAt)
    {
        var resource = JsonObjectWriter.Start();
        var writer = resource.Json;
        writer.WriteStartObject();
        writer.WriteString(ResourceTypeName, ObservationType);
        writer.WriteString(StatusName, Final);
        WriteRaw(writer, CategoryName, SocialHistoryCategory);
        WriteRaw(writer, CodeName, PregnancyIntentionCode);
        WriteSubject(writer, patientId);

        // FHIR dateTime with seconds and offset (R4 §2.24.0.1), as Firely writes a DateTimeOffset.
        writer.WriteString(EffectiveDateTimeName, recordedAt.ToString("yyyy-MM-dd'T'HH:mm:sszzz", CultureInfo.InvariantCulture));
        writer.WritePropertyName(ValueCodeableConceptName);
        WriteConcept(writer, new HookCoding { System = answer.System, Code = answer.Code, Display = answer.Display }, null);
        writer.WriteEndObject();
        return resource.ToObject();
    }

    /// <summary>Referral to urology for a PSA rise or a PSA above the limit on testosterone (ES 2018 Table 8).</summary>
    public static JsonObject UrologyReferral(string patientId, string reason) =>
        Referral(patientId, reason, UrologyReferralCode, UrologyReferralNote);
}
