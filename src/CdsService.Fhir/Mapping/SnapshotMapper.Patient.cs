using System.Collections.Immutable;
using System.Text.Json;
using CdsService.Clinical.Model;

namespace CdsService.Fhir.Mapping;

/// <summary>
/// Patient: administrative sex, birth sex, sex for clinical use, gender identity and birth date, and the patient in
/// context every other resource's subject is checked against. The sex and gender extensions are the ones the rules
/// spec's scope rule reads (evidence note docs/clinical/evidence/confirmation-causes-scope.md §12).
/// </summary>
internal sealed partial class SnapshotMapper
{
    private static readonly byte[] BirthSexUrl = "http://hl7.org/fhir/us/core/StructureDefinition/us-core-birthsex"u8.ToArray();
    private static readonly byte[] SexForClinicalUseUrl = "http://hl7.org/fhir/StructureDefinition/patient-sexParameterForClinicalUse"u8.ToArray();
    private static readonly byte[] UsCoreGenderIdentityUrl = "http://hl7.org/fhir/us/core/StructureDefinition/us-core-genderIdentity"u8.ToArray();
    private static readonly byte[] IndividualGenderIdentityUrl = "http://hl7.org/fhir/StructureDefinition/individual-genderIdentity"u8.ToArray();

    // SNOMED CT gender identity concepts (US Core genderIdentity ValueSet): "identifies as male / female gender".
    private const string IdentifiesAsMale = "446151000124109";
    private const string IdentifiesAsFemale = "446141000124107";

    private static readonly byte[] UsCoreRaceUrl = "http://hl7.org/fhir/us/core/StructureDefinition/us-core-race"u8.ToArray();

    private readonly record struct PatientFacts(
        AdministrativeSex Sex, AdministrativeSex? BirthSex, AdministrativeSex? SexForClinicalUse, AdministrativeSex? GenderIdentity, DateOnly? BirthDate)
    {
        /// <summary>US Core race OMB categories (ombCategory valueCoding codes), e.g. 2054-5.</summary>
        public ImmutableArray<string> RaceCategories { get; init; } = [];
    }

    private PatientFacts MapPatient(FhirJsonResource? resource, string patientId, List<DataIssue> issues)
    {
        if (resource is not { Json: var patient })
        {
            return new PatientFacts(AdministrativeSex.Unknown, null, null, null, null);
        }

        // Never mix patients within one request (OWASP API1, security brief B4): a Patient that is not the context
        // patient is not used at all.
        if (FhirJson.TryGet(patient, "id"u8, out var id) && id.ValueKind == JsonValueKind.String && !id.ValueEquals(patientId))
        {
            issues.Add(new DataIssue("other-patient", "The Patient resource sent is not the patient in context and was not used."));
            return new PatientFacts(AdministrativeSex.Unknown, null, null, null, null);
        }

        // Patient.gender is bound (required) to administrative-gender: male | female | other | unknown.
        var sex = FhirJson.Is(patient, "gender"u8, "male"u8) ? AdministrativeSex.Male
            : FhirJson.Is(patient, "gender"u8, "female"u8) ? AdministrativeSex.Female
            : FhirJson.Is(patient, "gender"u8, "other"u8) ? AdministrativeSex.Other
            : AdministrativeSex.Unknown;

        // A missing birth date stays null: the patient is assessed as an adult of unknown age (docs/clinical/hypogonadism-rules.md, CLS-1).
        var birthDate = FhirDates.ToBirthDate(FhirJson.String(patient, "birthDate"u8), out var imprecise);
        if (imprecise && birthDate is not null)
        {
            issues.Add(new DataIssue("imprecise-birth-date", "The birth date is partial; the latest possible date was used for age."));
        }

        var now = _timeProvider.GetUtcNow();
        return new PatientFacts(
            sex,
            BirthSex(patient),
            SexForClinicalUse(Chosen(patient, SexForClinicalUseUrl, now)),
            GenderIdentity(patient, now),
            birthDate)
        {
            RaceCategories = RaceCategories(patient),
        };
    }

    /// <summary>
    /// US Core race: the codes of every <c>ombCategory</c> sub-extension (valueCoding in the CDC Race and Ethnicity code
    /// system). Only OMB categories are read: a detailed race code alone does not state one (US Core race profile), and the
    /// rules claim a risk factor only when the record states it.
    /// </summary>
    private static ImmutableArray<string> RaceCategories(JsonElement patient)
    {
        List<string>? codes = null;
        foreach (var race in Extensions(patient, UsCoreRaceUrl))
        {
            foreach (var sub in FhirJson.Array(race, "extension"u8))
            {
                if (!FhirJson.Is(sub, "url"u8, "ombCategory"u8))
                {
                    continue;
                }

                var coding = FhirJson.Object(sub, "valueCoding"u8);
                if (FhirJson.String(coding, "system"u8) is CodeSystems.CdcRaceAndEthnicity && FhirJson.String(coding, "code"u8) is { } code
                    && !(codes ??= []).Contains(code))
                {
                    codes.Add(code);
                }
            }
        }

        return codes is null ? [] : [.. codes.Order(StringComparer.Ordinal)];
    }

    /// <summary>
    /// US Core birth sex (valueCode, ValueSet birthsex): M → Male, F → Female, UNK or any other code → Unknown;
    /// null when the extension is absent or has no code.
    /// </summary>
    private static AdministrativeSex? BirthSex(JsonElement patient)
    {
        foreach (var extension in Extensions(patient, BirthSexUrl))
        {
            if (FhirJson.TryGet(extension, "valueCode"u8, out var code) && code.ValueKind == JsonValueKind.String)
            {
                return code.ValueEquals("M"u8) ? AdministrativeSex.Male
                    : code.ValueEquals("F"u8) ? AdministrativeSex.Female
                    : AdministrativeSex.Unknown;
            }
        }

        return null;
    }

    /// <summary>
    /// Sex parameter for clinical use (sub-extension <c>value</c>, ValueSet sex-parameter-for-clinical-use):
    /// male-typical → Male, female-typical → Female, specified, unknown or any other code → Unknown; null when there is
    /// no such extension or its value has no code.
    /// </summary>
    private static AdministrativeSex? SexForClinicalUse(JsonElement extension)
    {
        AdministrativeSex? result = null;
        foreach (var coding in FhirJson.Array(FhirJson.Object(SubExtension(extension, "value"u8), "valueCodeableConcept"u8), "coding"u8))
        {
            if (!FhirJson.TryGet(coding, "code"u8, out var code) || code.ValueKind != JsonValueKind.String)
            {
                continue;
            }

            if (code.ValueEquals("male-typical"u8))
            {
                return AdministrativeSex.Male;
            }

            if (code.ValueEquals("female-typical"u8))
            {
                return AdministrativeSex.Female;
            }

            result = AdministrativeSex.Unknown;
        }

        return result;
    }

    /// <summary>
    /// Gender identity: the R5 individual-genderIdentity extension (sub-extension <c>value</c>) when it gives one,
    /// else US Core genderIdentity (valueCodeableConcept), which US Core retires in its favour (evidence note §12).
    /// </summary>
    private static AdministrativeSex? GenderIdentity(JsonElement patient, DateTimeOffset now) =>
        GenderIdentity(FhirJson.Object(SubExtension(Chosen(patient, IndividualGenderIdentityUrl, now), "value"u8), "valueCodeableConcept"u8))
        ?? GenderIdentity(FhirJson.Object(Last(patient, UsCoreGenderIdentityUrl), "valueCodeableConcept"u8));

    /// <summary>
    /// SNOMED CT 446151000124109 (identifies as male) → Male, 446141000124107 (identifies as female) → Female, any
    /// other code (non-binary, transgender…) → Other; asked-declined and unknown (data-absent-reason, v3 NullFlavor),
    /// or no code at all, → null (not recorded).
    /// </summary>
    private static AdministrativeSex? GenderIdentity(JsonElement concept)
    {
        AdministrativeSex? result = null;
        foreach (var coding in FhirJson.Array(concept, "coding"u8))
        {
            if (!FhirJson.TryGet(coding, "code"u8, out var code) || code.ValueKind != JsonValueKind.String)
            {
                continue;
            }

            if (code.ValueEquals(IdentifiesAsMale))
            {
                return AdministrativeSex.Male;
            }

            if (code.ValueEquals(IdentifiesAsFemale))
            {
                return AdministrativeSex.Female;
            }

            if (!IsNotRecorded(code))
            {
                result = AdministrativeSex.Other;
            }
        }

        return result;
    }

    // data-absent-reason asked-declined / unknown / asked-unknown, v3 NullFlavor ASKU / UNK.
    private static bool IsNotRecorded(JsonElement code) =>
        code.ValueEquals("asked-declined"u8) || code.ValueEquals("unknown"u8) || code.ValueEquals("asked-unknown"u8)
        || code.ValueEquals("ASKU"u8) || code.ValueEquals("UNK"u8);

    /// <summary>The Patient's extensions with the given url, in order (entries that are not objects are skipped).</summary>
    private static IEnumerable<JsonElement> Extensions(JsonElement resource, byte[] url)
    {
        foreach (var extension in FhirJson.Array(resource, "extension"u8))
        {
            if (FhirJson.Is(extension, "url"u8, url))
            {
                yield return extension;
            }
        }
    }

    private static JsonElement Last(JsonElement resource, byte[] url)
    {
        JsonElement last = default;
        foreach (var extension in Extensions(resource, url))
        {
            last = extension;
        }

        return last;
    }

    /// <summary>
    /// Of several entries of a complex extension, the last whose <c>period</c> sub-extension includes now, else the last
    /// (the HL7 extension allows several, each with a period: the one in force applies); default when there is none.
    /// </summary>
    private static JsonElement Chosen(JsonElement resource, byte[] url, DateTimeOffset now)
    {
        JsonElement current = default;
        JsonElement last = default;
        foreach (var extension in Extensions(resource, url))
        {
            last = extension;
            var period = FhirJson.Object(SubExtension(extension, "period"u8), "valuePeriod"u8);
            if (FhirJson.IsObject(period)
                && FhirDates.ToDateTimeOffset(FhirJson.Member(period, "start"u8), latest: false) is var start
                && FhirDates.ToDateTimeOffset(FhirJson.Member(period, "end"u8), latest: true) is var end
                && (start is null || start <= now) && (end is null || end >= now))
            {
                current = extension;
            }
        }

        return current.ValueKind == JsonValueKind.Object ? current : last;
    }

    private static JsonElement SubExtension(JsonElement extension, ReadOnlySpan<byte> url)
    {
        foreach (var sub in FhirJson.Array(extension, "extension"u8))
        {
            if (FhirJson.Is(sub, "url"u8, url))
            {
                return sub;
            }
        }

        return default;
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

        public bool IsOther(JsonElement resource, List<DataIssue> issues) => IsOther(resource, issues, "subject"u8);

        /// <param name="resource">The resource.</param>
        /// <param name="issues">Where a foreign patient is reported.</param>
        /// <param name="element">The reference element naming the patient: <c>subject</c>, or <c>patient</c> (FamilyMemberHistory).</param>
        public bool IsOther(JsonElement resource, List<DataIssue> issues, ReadOnlySpan<byte> element)
        {
            return IsOtherReference(FhirJson.Object(resource, element), issues);
        }

        private bool IsOtherReference(JsonElement referenceObject, List<DataIssue> issues)
        {
            if (!FhirJson.TryGet(referenceObject, "reference"u8, out var element) || element.ValueKind != JsonValueKind.String)
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
