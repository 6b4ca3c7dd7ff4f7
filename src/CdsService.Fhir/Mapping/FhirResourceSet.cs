using System.Text.Json;
using Hl7.Fhir.Model;
using Hl7.Fhir.Serialization;

namespace CdsService.Fhir.Mapping;

/// <summary>
/// The FHIR resources gathered for one hook call, from prefetch and from the FHIR server alike, de-duplicated by
/// type and id so that full, partial and no prefetch produce the same set (and so the same snapshot).
/// Resources are kept as FHIR JSON and read by one mapper (<see cref="SnapshotMapper"/>): prefetch entries are the
/// request's own JSON elements, used as they are (no second parse, issue 8); resources the data layer fetched with the
/// Firely client are written back to JSON first, so both paths go through the same reading code and cannot drift.
/// </summary>
internal sealed class FhirResourceSet
{
    // Recoverable: real EHR payloads carry small deviations (category as an object, unknown members); the elements
    // that fail to parse are dropped and everything else is kept. The data layer parses FHIR-server answers with these
    // settings; the JSON reader of prefetch follows the same rule (FhirJson: a member of the wrong type reads as absent).
    // Validator null: Firely's per-element data-annotation validation is the dominant parse cost (measured by the
    // Fhir benchmarks) and adds nothing here, because every value the rules use is re-checked by the mapper
    // (status codes, units, dates) and anything it cannot read becomes a DataIssue.
    internal static readonly DeserializerSettings ParserSettings = CreateParserSettings();


    private readonly HashSet<string> _seen = new(StringComparer.Ordinal);

    public FhirJsonResource? Patient { get; private set; }

    public List<FhirJsonResource> Observations { get; } = [];

    public List<FhirJsonResource> Conditions { get; } = [];

    public List<FhirJsonResource> MedicationRequests { get; } = [];

    public List<FhirJsonResource> MedicationStatements { get; } = [];

    public Dictionary<string, JsonElement> Medications { get; } = new(StringComparer.Ordinal);

    /// <summary>Resources read (all types, before de-duplication): bounded by the data layer's resource cap.</summary>
    public int ResourcesRead { get; private set; }

    /// <summary>Entries that could not be read at all (reported as a data issue, never silently dropped).</summary>
    public int UnreadableEntries { get; private set; }

    private static DeserializerSettings CreateParserSettings()
    {
        return new DeserializerSettings { Validator = null }.UsingMode(DeserializationMode.Recoverable);
    }

    private static readonly string[] TypesOfInterest = ["Observation", "Condition", "MedicationRequest", "Patient", "MedicationStatement", "Medication"];

    public static bool IsOfInterest(string? resourceType) => resourceType is "Patient" or "Observation" or "Condition"
        or "MedicationRequest" or "MedicationStatement" or "Medication";

    /// <summary>Adds a resource parsed by the Firely client (FHIR-server path); a Bundle adds its entries.</summary>
    public void Add(Resource? resource)
    {
        ResourcesRead++;
        switch (resource)
        {
            case null:
                return;
            case Bundle bundle:
                foreach (var entry in bundle.Entry)
                {
                    if (entry.Resource is not null and not Bundle)
                    {
                        Add(entry.Resource);
                    }
                }

                return;
        }

        if (!IsOfInterest(resource.TypeName))
        {
            return;
        }

        // Back to FHIR JSON (Firely's own System.Text.Json converter), so the one JSON mapper reads it.
        JsonElement json;
        try
        {
            json = JsonSerializer.SerializeToElement(resource, resource.GetType(), FirelyJson.Options);
        }
        catch (Exception ex) when (ex is JsonException or NotSupportedException or InvalidOperationException or FormatException)
        {
            UnreadableEntries++;
            return;
        }

        Keep(json, ResourceType(json) ?? resource.TypeName);
    }

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

        var resourceType = ResourceType(value);
        if (!FhirJson.Is(value, "resourceType"u8, "Bundle"u8))
        {
            ResourcesRead++;
            if (resourceType is not null)
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

    private void Keep(JsonElement resource, string resourceType)
    {
        // A resource without an id cannot be de-duplicated; it is kept (prefetch of a single resource may omit it).
        // "Type/id" is both the de-duplication key and the SourceId the snapshot cites.
        var id = FhirJson.String(resource, "id"u8);
        var reference = id is null ? null : string.Concat(resourceType, "/", id);
        if (reference is not null && !_seen.Add(reference))
        {
            return;
        }

        var kept = new FhirJsonResource(resource, reference);
        switch (resourceType)
        {
            case "Patient":
                Patient ??= kept;
                break;
            case "Observation":
                Observations.Add(kept);
                break;
            case "Condition":
                Conditions.Add(kept);
                break;
            case "MedicationRequest":
                MedicationRequests.Add(kept);
                break;
            case "MedicationStatement":
                MedicationStatements.Add(kept);
                break;
            case "Medication" when id is not null:
                Medications[id] = resource;
                break;
        }
    }

    /// <summary>The resource type when it is one the service reads (the shared name, no allocation), else null.</summary>
    private static string? ResourceType(JsonElement resource)
    {
        if (!FhirJson.TryGet(resource, "resourceType"u8, out var type) || type.ValueKind != JsonValueKind.String)
        {
            return null;
        }

        foreach (var candidate in TypesOfInterest)
        {
            if (type.ValueEquals(candidate))
            {
                return candidate;
            }
        }

        return null;
    }

    private static string? NextLink(JsonElement bundle)
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

/// <summary>Firely's System.Text.Json options, built on first use by the FHIR-server path only (not at start-up).</summary>
internal static class FirelyJson
{
    public static readonly JsonSerializerOptions Options = new JsonSerializerOptions().ForFhir(ModelInfo.ModelInspector);
}

/// <summary>A resource held as FHIR JSON, with the reference ("Type/id") the snapshot cites as its source.</summary>
internal readonly record struct FhirJsonResource(JsonElement Json, string? SourceId)
{
    public string? Id => FhirJson.String(Json, "id"u8);
}
