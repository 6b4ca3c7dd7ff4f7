using System.Runtime.InteropServices;
using System.Text.Json;
using Hl7.Fhir.Model;
using Hl7.Fhir.Serialization;

namespace CdsService.Fhir.Mapping;

/// <summary>
/// The FHIR resources gathered for one hook call, from prefetch and from the FHIR server alike, de-duplicated by
/// type and id so that full, partial and no prefetch produce the same set (and so the same snapshot).
/// </summary>
internal sealed class FhirResourceSet
{
    // Recoverable: real EHR payloads carry small deviations (category as an object, unknown members); the elements
    // that fail to parse are dropped and everything else is kept. The same mode is used for the FHIR-server path so
    // both paths read identical resources.
    // Validator null: Firely's per-element data-annotation validation is the dominant parse cost (measured by the
    // Fhir benchmarks) and adds nothing here, because every value the rules use is re-checked by the mapper
    // (status codes, units, dates) and anything it cannot read becomes a DataIssue.
    internal static readonly DeserializerSettings ParserSettings = CreateParserSettings();

    private static readonly FhirJsonDeserializer Deserializer = new(ParserSettings);

    private readonly HashSet<string> _seen = new(StringComparer.Ordinal);

    public Patient? Patient { get; private set; }

    public List<Observation> Observations { get; } = [];

    public List<Condition> Conditions { get; } = [];

    public List<MedicationRequest> MedicationRequests { get; } = [];

    public List<MedicationStatement> MedicationStatements { get; } = [];

    public Dictionary<string, Medication> Medications { get; } = new(StringComparer.Ordinal);

    /// <summary>Resources read (all types, before de-duplication): bounded by the data layer's resource cap.</summary>
    public int ResourcesRead { get; private set; }

    /// <summary>Entries that could not be parsed at all (reported as a data issue, never silently dropped).</summary>
    public int UnreadableEntries { get; private set; }

    private static DeserializerSettings CreateParserSettings()
    {
        return new DeserializerSettings { Validator = null }.UsingMode(DeserializationMode.Recoverable);
    }

    public static bool IsOfInterest(string? resourceType) => resourceType is "Patient" or "Observation" or "Condition"
        or "MedicationRequest" or "MedicationStatement" or "Medication";

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

        // A resource without an id cannot be de-duplicated; it is kept (prefetch of a single resource may omit it).
        if (resource.Id is not null && !_seen.Add(resource.TypeName + "/" + resource.Id))
        {
            return;
        }

        switch (resource)
        {
            case Patient patient:
                Patient ??= patient;
                break;
            case Observation observation:
                Observations.Add(observation);
                break;
            case Condition condition:
                Conditions.Add(condition);
                break;
            case MedicationRequest request:
                MedicationRequests.Add(request);
                break;
            case MedicationStatement statement:
                MedicationStatements.Add(statement);
                break;
            case Medication medication when medication.Id is not null:
                Medications[medication.Id] = medication;
                break;
        }
    }

    /// <summary>
    /// Adds a prefetch value (a resource or a searchset Bundle) from the raw request JSON. Only entries of the types
    /// the service reads are parsed, straight from the request's UTF-8 bytes. Returns the Bundle's <c>next</c> link
    /// when the EHR paginated its prefetch.
    /// </summary>
    public string? AddJson(JsonElement value)
    {
        if (value.ValueKind != JsonValueKind.Object)
        {
            UnreadableEntries++;
            return null;
        }

        var resourceType = value.TryGetProperty("resourceType", out var type) && type.ValueKind == JsonValueKind.String
            ? type.GetString()
            : null;
        if (resourceType != "Bundle")
        {
            if (IsOfInterest(resourceType))
            {
                Add(Parse(value));
            }
            else
            {
                ResourcesRead++;
            }

            return null;
        }

        if (value.TryGetProperty("entry", out var entries) && entries.ValueKind == JsonValueKind.Array)
        {
            foreach (var entry in entries.EnumerateArray())
            {
                if (entry.ValueKind != JsonValueKind.Object || !entry.TryGetProperty("resource", out var resource)
                    || resource.ValueKind != JsonValueKind.Object)
                {
                    continue;
                }

                var entryType = resource.TryGetProperty("resourceType", out var t) && t.ValueKind == JsonValueKind.String
                    ? t.GetString()
                    : null;
                if (IsOfInterest(entryType))
                {
                    Add(Parse(resource));
                }
                else
                {
                    ResourcesRead++;
                }
            }
        }

        return NextLink(value);
    }

    private Resource? Parse(JsonElement element)
    {
        var reader = new Utf8JsonReader(JsonMarshal.GetRawUtf8Value(element));
        try
        {
            // Recoverable errors leave a usable partial resource (the failing elements are dropped).
            Deserializer.TryDeserializeResource(ref reader, out var resource, out _);
            if (resource is null)
            {
                UnreadableEntries++;
            }

            return resource;
        }
        catch (Exception ex) when (ex is JsonException or DeserializationFailedException or FormatException or InvalidOperationException)
        {
            UnreadableEntries++;
            return null;
        }
    }

    private static string? NextLink(JsonElement bundle)
    {
        if (!bundle.TryGetProperty("link", out var links) || links.ValueKind != JsonValueKind.Array)
        {
            return null;
        }

        foreach (var link in links.EnumerateArray())
        {
            if (link.ValueKind == JsonValueKind.Object
                && link.TryGetProperty("relation", out var relation) && relation.ValueKind == JsonValueKind.String
                && relation.ValueEquals("next")
                && link.TryGetProperty("url", out var url) && url.ValueKind == JsonValueKind.String)
            {
                return url.GetString();
            }
        }

        return null;
    }
}
