using System.Buffers;
using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using HookCoding = CdsService.Protocol.Coding;

namespace CdsService.Cards;

/// <summary>
/// The FHIR R4 resources a suggestion creates (CDS Hooks 2.0 §Action: "resource" is a FHIR resource the EHR can put
/// straight into its FHIR transaction). No ids: the EHR assigns them when it creates the order.
/// </summary>
/// <remarks>
/// Written directly as JSON rather than built as Firely POCOs and serialised (that was half of the card
/// composer's time and most of its allocations; docs/performance.md, round 2 item 10). The members and their order are those of Firely's R4 serialiser
/// (element order of the R4 StructureDefinitions, "resourceType" first, absent elements omitted), and the unit tests
/// (tests/CdsService.UnitTests/Cards/SuggestedResourcesTests.cs) compare every shape with Firely's output and parse it
/// strictly as R4. The parts that never change are serialised once; only the patient reference, the lab order's code,
/// text, due date and instruction are written per call.
/// </remarks>
internal static partial class SuggestedResources
{
    private static readonly JsonEncodedText ResourceTypeName = JsonEncodedText.Encode("resourceType");
    private static readonly JsonEncodedText StatusName = JsonEncodedText.Encode("status");
    private static readonly JsonEncodedText IntentName = JsonEncodedText.Encode("intent");
    private static readonly JsonEncodedText CategoryName = JsonEncodedText.Encode("category");
    private static readonly JsonEncodedText CodeName = JsonEncodedText.Encode("code");
    private static readonly JsonEncodedText CodingName = JsonEncodedText.Encode("coding");
    private static readonly JsonEncodedText SystemName = JsonEncodedText.Encode("system");
    private static readonly JsonEncodedText DisplayName = JsonEncodedText.Encode("display");
    private static readonly JsonEncodedText TextName = JsonEncodedText.Encode("text");
    private static readonly JsonEncodedText SubjectName = JsonEncodedText.Encode("subject");
    private static readonly JsonEncodedText ReferenceName = JsonEncodedText.Encode("reference");
    private static readonly JsonEncodedText ReasonCodeName = JsonEncodedText.Encode("reasonCode");
    private static readonly JsonEncodedText NoteName = JsonEncodedText.Encode("note");
    private static readonly JsonEncodedText OccurrenceDateTimeName = JsonEncodedText.Encode("occurrenceDateTime");
    private static readonly JsonEncodedText PatientInstructionName = JsonEncodedText.Encode("patientInstruction");
    private static readonly JsonEncodedText MedicationCodeableConceptName = JsonEncodedText.Encode("medicationCodeableConcept");
    private static readonly JsonEncodedText DosageInstructionName = JsonEncodedText.Encode("dosageInstruction");

    private static readonly JsonEncodedText MedicationRequestType = JsonEncodedText.Encode("MedicationRequest");
    private static readonly JsonEncodedText ServiceRequestType = JsonEncodedText.Encode("ServiceRequest");
    private static readonly JsonEncodedText Draft = JsonEncodedText.Encode("draft");
    private static readonly JsonEncodedText Order = JsonEncodedText.Encode("order");

    private const string PatientReferencePrefix = "Patient/";

    /// <summary>
    /// Longest "Patient/{id}" composed on the stack (a FHIR id is at most 64 characters, R4 §2.24.0.1); a longer one,
    /// which only a non-conformant client sends, is concatenated on the heap.
    /// </summary>
    private const int MaxStackReferenceLength = 256;

    private static readonly byte[] ClomipheneConcept = Fragment(writer =>
        WriteConcept(writer, CardTerminology.ClomipheneTablet, "Clomiphene citrate 25 mg (half of a 50 mg tablet)"));

    private static readonly byte[] ClomipheneReason = Fragment(writer =>
    {
        writer.WriteStartArray();
        WriteConcept(writer, CardTerminology.Hypogonadism, "Secondary hypogonadism, fertility desired");
        writer.WriteEndArray();
    });

    private static readonly byte[] ClomipheneNote = Fragment(writer => WriteNote(writer,
        "Off-label in men. Check total testosterone and estradiol at 4-8 weeks; stop if visual symptoms occur."));

    private static readonly byte[] ClomipheneDosage = Fragment(writer =>
    {
        writer.WriteStartArray();
        writer.WriteStartObject();
        writer.WriteString(TextName, "Take half a 50 mg tablet (25 mg) by mouth once daily");
        writer.WriteStartObject("timing");
        writer.WriteStartObject("repeat");
        writer.WriteNumber("frequency", 1);
        writer.WriteNumber("period", 1m);
        writer.WriteString("periodUnit", "d");
        writer.WriteEndObject();
        writer.WriteEndObject();
        writer.WritePropertyName("route");
        WriteConcept(writer, CardTerminology.OralRoute, "Oral");
        writer.WriteStartArray("doseAndRate");
        writer.WriteStartObject();
        writer.WriteStartObject("doseQuantity");
        writer.WriteNumber("value", 25m);
        writer.WriteString("unit", "mg");
        writer.WriteString(SystemName, CardTerminology.Ucum);
        writer.WriteString(CodeName, "mg");
        writer.WriteEndObject();
        writer.WriteEndObject();
        writer.WriteEndArray();
        writer.WriteEndObject();
        writer.WriteEndArray();
    });

    private static readonly byte[] ReferralCategory = Fragment(writer =>
    {
        writer.WriteStartArray();
        WriteConcept(writer, CardTerminology.ReferralCategory, "Referral");
        writer.WriteEndArray();
    });

    private static readonly byte[] ReferralCode = Fragment(writer =>
        WriteConcept(writer, CardTerminology.FertilityClinicReferral, "Referral to reproductive urology (male fertility)"));

    private static readonly byte[] ReferralNote = Fragment(writer => WriteNote(writer,
        "Semen analysis, karyotype, sperm banking; micro-TESE if azoospermic. No testosterone until sperm is banked."));

    // No SNOMED CT "referral to endocrinology" concept could be verified (public examples disagree on the code), so
    // the service wanted is sent as text only, as CardTerminology does with anything it could not verify.
    private static readonly byte[] EndocrinologyReferralCode = Fragment(writer =>
    {
        writer.WriteStartObject();
        writer.WriteString(TextName, "Referral to endocrinology");
        writer.WriteEndObject();
    });

    private static readonly byte[] EndocrinologyReferralNote = Fragment(writer => WriteNote(writer,
        "Prolactin or pituitary cause of low testosterone. Not clomiphene or enclomiphene (label: contraindicated with a pituitary tumour); for fertility hCG with or without FSH."));

    private static readonly byte[] LaboratoryCategory = Fragment(writer =>
    {
        writer.WriteStartArray();
        WriteConcept(writer, CardTerminology.LaboratoryCategory, "Laboratory");
        writer.WriteEndArray();
    });

    /// <summary>
    /// Clomiphene citrate 25 mg by mouth once daily, as half of a 50 mg tablet (AUA 2018; clinical brief §3.3,
    /// Liel 2017). Off-label in men, which the note says so the prescriber sees it in the order.
    /// </summary>
    public static JsonObject ClomipheneOrder(string patientId)
    {
        var resource = StartDraftOrder(MedicationRequestType);
        var writer = resource.Json;
        WriteRaw(writer, MedicationCodeableConceptName, ClomipheneConcept);
        WriteSubject(writer, patientId);
        WriteRaw(writer, ReasonCodeName, ClomipheneReason);
        WriteRaw(writer, NoteName, ClomipheneNote);
        WriteRaw(writer, DosageInstructionName, ClomipheneDosage);
        writer.WriteEndObject();
        return resource.ToObject();
    }

    // hCG and enclomiphene are named in text only: no RxNorm code for either could be verified from a stored source
    // (clinical brief §5.4 marks the hCG ingredient RxCUI and enclomiphene [R]); the prescriber picks the product in
    // the EHR. No structured dose either: the dose is the prescriber's (clinical brief §3.3 hCG row, marked [R]).
    private static readonly byte[] HcgConcept = Fragment(writer => WriteTextConcept(writer, "Chorionic gonadotropin (hCG) injection"));

    private static readonly byte[] HcgNote = Fragment(writer => WriteNote(writer,
        "Check total testosterone at 4-6 weeks (aim mid-normal) and hematocrit; semen analysis every 2-3 months; add FSH if still azoospermic after 3-6 months."));

    private static readonly byte[] HcgDosage = Fragment(writer => WriteTextDosage(writer,
        "Dose set by the prescriber; in hypogonadotropic hypogonadism typically 1,500-2,500 IU subcutaneously or intramuscularly 2-3 times a week, titrated to mid-normal testosterone"));

    private static readonly byte[] EnclomipheneConcept = Fragment(writer => WriteTextConcept(writer, "Enclomiphene citrate 12.5 mg oral (not FDA-approved)"));

    private static readonly byte[] EnclomipheneNote = Fragment(writer => WriteNote(writer,
        "Not FDA-approved (no approved NDA; the EMA refused authorisation in 2018): only where it is legally available. Trials used 12.5-25 mg daily (Wiehle 2014). Check total testosterone and estradiol at 4-8 weeks."));

    private static readonly byte[] EnclomipheneDosage = Fragment(writer => WriteTextDosage(writer, "12.5 mg by mouth once daily"));

    /// <summary>
    /// hCG for secondary hypogonadism with a wish for children, the alternative to a SERM (AUA 2018; ES 2018: hCG with or
    /// without FSH; clinical brief §3.3). Product and dose are left to the prescriber (text only).
    /// </summary>
    public static JsonObject HcgOrder(string patientId) => TextOnlyMedicationOrder(patientId, HcgConcept, HcgNote, HcgDosage);

    /// <summary>
    /// Enclomiphene where it is available: not FDA-approved, which the order's text and note say (clinical brief §3.3,
    /// Wiehle et al. Fertil Steril 2014).
    /// </summary>
    public static JsonObject EnclomipheneOrder(string patientId) => TextOnlyMedicationOrder(patientId, EnclomipheneConcept, EnclomipheneNote, EnclomipheneDosage);

    private static JsonObject TextOnlyMedicationOrder(string patientId, byte[] concept, byte[] note, byte[] dosage)
    {
        var resource = StartDraftOrder(MedicationRequestType);
        var writer = resource.Json;
        WriteRaw(writer, MedicationCodeableConceptName, concept);
        WriteSubject(writer, patientId);
        WriteRaw(writer, ReasonCodeName, ClomipheneReason);
        WriteRaw(writer, NoteName, note);
        WriteRaw(writer, DosageInstructionName, dosage);
        writer.WriteEndObject();
        return resource.ToObject();
    }

    private static void WriteTextConcept(Utf8JsonWriter writer, string text)
    {
        writer.WriteStartObject();
        writer.WriteString(TextName, text);
        writer.WriteEndObject();
    }

    private static void WriteTextDosage(Utf8JsonWriter writer, string text)
    {
        writer.WriteStartArray();
        writer.WriteStartObject();
        writer.WriteString(TextName, text);
        writer.WriteEndObject();
        writer.WriteEndArray();
    }

    /// <summary>Referral to reproductive urology for a man with primary hypogonadism who wants children (AUA 2018; EAU).</summary>
    public static JsonObject ReproductiveUrologyReferral(string patientId, string reason) =>
        Referral(patientId, reason, ReferralCode, ReferralNote);

    /// <summary>
    /// Referral to endocrinology for hyperprolactinaemia or pituitary disease (AUA 2018 statement 8; ES 2018): the same
    /// shape as the reproductive-urology referral, with the service named in text.
    /// </summary>
    public static JsonObject EndocrinologyReferral(string patientId, string reason) =>
        Referral(patientId, reason, EndocrinologyReferralCode, EndocrinologyReferralNote);

    // Every referral is one ServiceRequest shape; only the service code and the note differ.
    private static JsonObject Referral(string patientId, string reason, byte[] code, byte[] note)
    {
        var resource = StartDraftOrder(ServiceRequestType);
        var writer = resource.Json;
        WriteRaw(writer, CategoryName, ReferralCategory);
        WriteRaw(writer, CodeName, code);
        WriteSubject(writer, patientId);
        writer.WriteStartArray(ReasonCodeName);
        WriteConcept(writer, CardTerminology.Hypogonadism, reason);
        writer.WriteEndArray();
        WriteRaw(writer, NoteName, note);
        writer.WriteEndObject();
        return resource.ToObject();
    }

    /// <summary>Opens a request resource in Firely's R4 member order: resourceType, then status "draft", intent "order".</summary>
    private static JsonObjectWriter StartDraftOrder(JsonEncodedText resourceType)
    {
        var resource = JsonObjectWriter.Start();
        var writer = resource.Json;
        writer.WriteStartObject();
        writer.WriteString(ResourceTypeName, resourceType);
        writer.WriteString(StatusName, Draft);
        writer.WriteString(IntentName, Order);
        return resource;
    }

    /// <summary>A laboratory order coded in LOINC, optionally due on a date (monitoring plans).</summary>
    public static JsonObject LabOrder(string patientId, HookCoding loinc, string text, DateOnly? due, string? patientInstruction)
    {
        var resource = StartDraftOrder(ServiceRequestType);
        var writer = resource.Json;
        WriteRaw(writer, CategoryName, LaboratoryCategory);
        writer.WritePropertyName(CodeName);
        WriteConcept(writer, loinc, text);
        WriteSubject(writer, patientId);
        if (due is { } date)
        {
            // FHIR dateTime at day precision (R4 §2.24.0.1 dateTime: YYYY-MM-DD), as Firely writes FhirDateTime(y, m, d).
            Span<byte> formatted = stackalloc byte[10];
            date.TryFormat(formatted, out var written, "yyyy-MM-dd", CultureInfo.InvariantCulture);
            writer.WriteString(OccurrenceDateTimeName, formatted[..written]);
        }

        if (patientInstruction is not null)
        {
            writer.WriteString(PatientInstructionName, patientInstruction);
        }

        writer.WriteEndObject();
        return resource.ToObject();
    }

    /// <summary>A CodeableConcept with one coding, members omitted when absent, as Firely writes <c>new CodeableConcept(system, code, display, text)</c>.</summary>
    private static void WriteConcept(Utf8JsonWriter writer, HookCoding coding, string? text)
    {
        writer.WriteStartObject();
        writer.WriteStartArray(CodingName);
        writer.WriteStartObject();
        if (coding.System is not null)
        {
            writer.WriteString(SystemName, coding.System);
        }

        writer.WriteString(CodeName, coding.Code);
        if (coding.Display is not null)
        {
            writer.WriteString(DisplayName, coding.Display);
        }

        writer.WriteEndObject();
        writer.WriteEndArray();
        if (text is not null)
        {
            writer.WriteString(TextName, text);
        }

        writer.WriteEndObject();
    }

    private static void WriteNote(Utf8JsonWriter writer, string text)
    {
        writer.WriteStartArray();
        writer.WriteStartObject();
        writer.WriteString(TextName, text);
        writer.WriteEndObject();
        writer.WriteEndArray();
    }

    private static void WriteSubject(Utf8JsonWriter writer, string patientId)
    {
        writer.WriteStartObject(SubjectName);
        var length = PatientReferencePrefix.Length + patientId.Length;
        if (length <= MaxStackReferenceLength)
        {
            Span<char> reference = stackalloc char[length];
            PatientReferencePrefix.CopyTo(reference);
            patientId.CopyTo(reference[PatientReferencePrefix.Length..]);
            writer.WriteString(ReferenceName, reference);
        }
        else
        {
            writer.WriteString(ReferenceName, PatientReferencePrefix + patientId);
        }

        writer.WriteEndObject();
    }

    private static void WriteRaw(Utf8JsonWriter writer, JsonEncodedText name, byte[] fragment)
    {
        writer.WritePropertyName(name);
        // The fragments were written by Utf8JsonWriter at start-up, so they are valid JSON already.
        writer.WriteRawValue(fragment, skipInputValidation: true);
    }

    private static byte[] Fragment(Action<Utf8JsonWriter> write)
    {
        var buffer = new ArrayBufferWriter<byte>(256);
        using (var writer = new Utf8JsonWriter(buffer))
        {
            write(writer);
        }

        return buffer.WrittenSpan.ToArray();
    }
}
