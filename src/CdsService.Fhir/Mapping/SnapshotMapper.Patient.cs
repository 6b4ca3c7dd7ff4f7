using System.Text.Json;
using CdsService.Clinical.Model;

namespace CdsService.Fhir.Mapping;

/// <summary>Patient: sex and birth date, and the patient in context every other resource's subject is checked against.</summary>
internal sealed partial class SnapshotMapper
{
    private static (AdministrativeSex Sex, DateOnly? BirthDate) MapPatient(FhirJsonResource? resource, string patientId, List<DataIssue> issues)
    {
        if (resource is not { Json: var patient })
        {
            return (AdministrativeSex.Unknown, null);
        }

        // Never mix patients within one request (OWASP API1, security brief B4): a Patient that is not the context
        // patient is not used at all.
        if (FhirJson.TryGet(patient, "id"u8, out var id) && id.ValueKind == JsonValueKind.String && !id.ValueEquals(patientId))
        {
            issues.Add(new DataIssue("other-patient", "The Patient resource sent is not the patient in context and was not used."));
            return (AdministrativeSex.Unknown, null);
        }

        // Patient.gender is bound (required) to administrative-gender: male | female | other | unknown.
        var sex = FhirJson.Is(patient, "gender"u8, "male"u8) ? AdministrativeSex.Male
            : FhirJson.Is(patient, "gender"u8, "female"u8) ? AdministrativeSex.Female
            : FhirJson.Is(patient, "gender"u8, "other"u8) ? AdministrativeSex.Other
            : AdministrativeSex.Unknown;

        var birthDate = FhirDates.ToBirthDate(FhirJson.String(patient, "birthDate"u8), out var imprecise);
        if (imprecise && birthDate is not null)
        {
            issues.Add(new DataIssue("imprecise-birth-date", "The birth date is partial; the latest possible date was used for age."));
        }

        return (sex, birthDate);
    }

    /// <summary>The patient in context, to tell whether a resource's <c>subject</c> is someone else (OWASP API1).</summary>
    private sealed class Subject(string patientId)
    {
        private readonly byte[] _relative = RelativeReference(patientId);

        // "Patient/{id}" in UTF-8, composed directly (no intermediate string).
        private static byte[] RelativeReference(string patientId)
        {
            var prefix = "Patient/"u8;
            var bytes = new byte[prefix.Length + System.Text.Encoding.UTF8.GetByteCount(patientId)];
            prefix.CopyTo(bytes);
            System.Text.Encoding.UTF8.GetBytes(patientId, bytes.AsSpan(prefix.Length));
            return bytes;
        }

        public bool IsOther(JsonElement resource, List<DataIssue> issues)
        {
            if (!FhirJson.TryGet(FhirJson.Object(resource, "subject"u8), "reference"u8, out var element) || element.ValueKind != JsonValueKind.String)
            {
                return false;
            }

            // The usual shape, "Patient/{id}", is recognised without reading the string out.
            if (element.ValueEquals(_relative))
            {
                return false;
            }

            var reference = element.GetString();
            if (string.IsNullOrEmpty(reference) || reference.StartsWith("urn:", StringComparison.Ordinal) || reference[0] == '#')
            {
                return false;
            }

            // Relative or absolute (".../Patient/123", optionally with _history): the segment after the last "Patient".
            var parts = reference.Split('/', StringSplitOptions.RemoveEmptyEntries);
            var index = System.Array.LastIndexOf(parts, "Patient");
            if (index < 0 || index + 1 >= parts.Length || parts[index + 1] == patientId)
            {
                return false;
            }

            issues.Add(new DataIssue("other-patient", "Some resources belonged to a different patient and were not used."));
            return true;
        }
    }
}
