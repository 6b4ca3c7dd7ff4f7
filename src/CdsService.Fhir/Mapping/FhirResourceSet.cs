using System.Text.Json;

namespace CdsService.Fhir.Mapping;

/// <summary>
/// The FHIR resources gathered for one hook call, from prefetch and from the FHIR server alike, de-duplicated by
/// type and id so that full, partial and no prefetch produce the same set (and so the same snapshot).
/// Resources are kept as FHIR JSON and read by one mapper (<see cref="SnapshotMapper"/>): prefetch entries are the
/// request's own JSON elements, used as they are (a second parse into Firely POCOs was the hook call's largest cost);
/// the FHIR server's answers are read as JSON the same way (ADR-0006), so both paths go through the same reading code
/// and cannot drift.
/// </summary>
internal sealed class FhirResourceSet
{
    // Sized from the prefetch's entry count when the caller knows it (FhirPatientDataSource), so that gathering 75
    // resources does not regrow the list and the set five times each (bytes allocated per hook call, docs/performance.md).
    private readonly HashSet<string> _seen;

    public FhirResourceSet(int expectedResources = 0)
    {
        _seen = new HashSet<string>(expectedResources, StringComparer.Ordinal);
        Resources = new List<FhirJsonResource>(expectedResources);
    }

    public FhirJsonResource? Patient { get; private set; }

    /// <summary>
    /// The Observations, Conditions, MedicationRequests and MedicationStatements kept, in the order they were added
    /// (one list for all, sized once; the mapper reads each type in turn, in this order).
    /// </summary>
    public List<FhirJsonResource> Resources { get; }

    /// <summary>Medications by id, for medicationReference (created when the first one arrives).</summary>
    public Dictionary<string, JsonElement>? Medications { get; private set; }

    /// <summary>Resources read (all types, before de-duplication): bounded by the data layer's resource cap.</summary>
    public int ResourcesRead { get; private set; }

    /// <summary>Entries that could not be read at all (reported as a data issue, never silently dropped).</summary>
    public int UnreadableEntries { get; private set; }

    private static readonly (string Name, FhirResourceKind Kind, string ReferencePrefix)[] TypesOfInterest =
    [
        ("Observation", FhirResourceKind.Observation, "Observation/"),
        ("Condition", FhirResourceKind.Condition, "Condition/"),
        ("MedicationRequest", FhirResourceKind.MedicationRequest, "MedicationRequest/"),
        ("Patient", FhirResourceKind.Patient, "Patient/"),
        ("MedicationStatement", FhirResourceKind.MedicationStatement, "MedicationStatement/"),
        ("Medication", FhirResourceKind.Medication, "Medication/"),
        ("FamilyMemberHistory", FhirResourceKind.FamilyMemberHistory, "FamilyMemberHistory/"),
    ];

    /// <summary>
    /// How many resources a prefetch value can add (a Bundle's entries, or one resource), to size the set before
    /// reading it.
    /// </summary>
    public static int EntryCount(JsonElement value)
    {
        if (value.ValueKind != JsonValueKind.Object)
        {
            return 0;
        }

        return !FhirJson.Is(value, "resourceType"u8, "Bundle"u8) ? 1
            : FhirJson.TryGet(value, "entry"u8, out var entries) && entries.ValueKind == JsonValueKind.Array ? entries.GetArrayLength()
            : 0;
    }

    public static bool IsOfInterest(string? resourceType) => resourceType is "Patient" or "Observation" or "Condition"
        or "MedicationRequest" or "MedicationStatement" or "Medication" or "FamilyMemberHistory";

    /// <summary>
    /// Adds a prefetch value (a resource or a searchset Bundle) from the raw request JSON. Only entries of the types
    /// the service reads are kept, as the request's own elements. Returns the Bundle's <c>next</c> link when the EHR
    /// paginated its prefetch.
    /// </summary>
    public string? AddJson(JsonElement value)
    {
        if (value.ValueKind != JsonValueKind.Object)
        {
            UnreadableEntries++;
            return null;
        }

        if (!FhirJson.Is(value, "resourceType"u8, "Bundle"u8))
        {
            ResourcesRead++;
            if (ResourceType(value) is { } resourceType)
            {
                Keep(value, resourceType);
            }

            return null;
        }

        foreach (var entry in FhirJson.Array(value, "entry"u8))
        {
            var resource = FhirJson.Object(entry, "resource"u8);
            if (!FhirJson.IsObject(resource))
            {
                continue;
            }

            ResourcesRead++;
            if (ResourceType(resource) is { } entryType)
            {
                Keep(resource, entryType);
            }
        }

        return NextLink(value);
    }

    private void Keep(JsonElement resource, (string Name, FhirResourceKind Kind, string ReferencePrefix) type)
    {
        // A resource without an id cannot be de-duplicated; it is kept (prefetch of a single resource may omit it).
        // "Type/id" is both the de-duplication key and the SourceId the snapshot cites; it is composed straight from
        // the id's UTF-8, so the id itself is never allocated as a string of its own.
        var reference = FhirJson.Concat(type.ReferencePrefix, FhirJson.Member(resource, "id"u8));
        if (reference is not null && !_seen.Add(reference))
        {
            return;
        }

        switch (type.Kind)
        {
            case FhirResourceKind.Patient:
                Patient ??= new FhirJsonResource(resource, reference, type.Kind);
                break;
            case FhirResourceKind.Medication:
                if (reference is not null)
                {
                    (Medications ??= new Dictionary<string, JsonElement>(StringComparer.Ordinal))[reference[type.ReferencePrefix.Length..]] = resource;
                }

                break;
            default:
                Resources.Add(new FhirJsonResource(resource, reference, type.Kind));
                break;
        }
    }

    /// <summary>The resource type when it is one the service reads (compared in UTF-8, nothing allocated), else null.</summary>
    private static (string Name, FhirResourceKind Kind, string ReferencePrefix)? ResourceType(JsonElement resource)
    {
        if (!FhirJson.TryGet(resource, "resourceType"u8, out var type) || type.ValueKind != JsonValueKind.String)
        {
            return null;
        }

        foreach (var candidate in TypesOfInterest)
        {
            if (type.ValueEquals(candidate.Name))
            {
                return candidate;
            }
        }

        return null;
    }

    /// <summary>The url of a Bundle's first link with relation "next" (R4 §3.1.1.5.7 paging), or null.</summary>
    internal static string? NextLink(JsonElement bundle)
    {
        foreach (var link in FhirJson.Array(bundle, "link"u8))
        {
            if (FhirJson.Is(link, "relation"u8, "next"u8) && FhirJson.String(link, "url"u8) is { } url)
            {
                return url;
            }
        }

        return null;
    }
}

/// <summary>The resource types the service reads.</summary>
internal enum FhirResourceKind
{
    Patient,
    Observation,
    Condition,
    MedicationRequest,
    MedicationStatement,
    Medication,

    /// <summary>A relative's conditions: prostate cancer in a first-degree relative lowers the PSA limit (ES 2018).</summary>
    FamilyMemberHistory,
}

/// <summary>A resource held as FHIR JSON, with the reference ("Type/id") the snapshot cites as its source.</summary>
internal readonly record struct FhirJsonResource(JsonElement Json, string? SourceId, FhirResourceKind Kind)
{
    public string? Id => FhirJson.String(Json, "id"u8);
}
