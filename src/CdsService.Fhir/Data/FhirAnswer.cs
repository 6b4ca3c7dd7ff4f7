using System.Text.Json;
using CdsService.Fhir.Mapping;

namespace CdsService.Fhir.Data;

/// <summary>
/// One 2xx answer of the FHIR server, read as FHIR R4 JSON (R4 §2.6.2) straight into the elements the mapper reads,
/// the same way prefetch is read: no Firely POCOs and no write-back to JSON (ADR-0006). What it accepts and refuses is
/// what Firely's recoverable parser accepted and refused before, and a Firely oracle test keeps it so
/// (tests/CdsService.UnitTests/Fhir/FhirAnswerOracleTests).
/// </summary>
internal readonly struct FhirAnswer
{
    private FhirAnswer(JsonElement root, string? resourceType)
    {
        Root = root;
        ResourceType = resourceType;
    }

    /// <summary>The resource as sent (undefined when the body was empty).</summary>
    public JsonElement Root { get; }

    /// <summary>The root's resourceType; null for an empty body (no resource at all) or when it is not a string.</summary>
    public string? ResourceType { get; }

    public bool IsBundle => ResourceType == "Bundle";

    /// <summary>Bundle.entry's length: every entry counts against the resource budget, read or not.</summary>
    public int EntryCount =>
        FhirJson.TryGet(Root, "entry"u8, out var entries) && entries.ValueKind == JsonValueKind.Array ? entries.GetArrayLength() : 0;

    /// <summary>The url of the Bundle's first link with relation "next" (R4 §3.1.1.5.7 paging), or null.</summary>
    public string? NextLink => FhirResourceSet.NextLink(Root);

    /// <summary>
    /// Reads a body. False means unreadable: not JSON, content after the value, or a value that is not an object
    /// (Firely refuses each of these as a whole). An empty body reads as no resource.
    /// </summary>
    public static bool TryRead(ReadOnlySpan<byte> body, out FhirAnswer answer)
    {
        answer = default;

        // A UTF-8 byte order mark is not part of the JSON text (RFC 8259 §8.1); decoding the body as text dropped it.
        if (body.StartsWith("\uFEFF"u8))
        {
            body = body[3..];
        }

        if (IsBlank(body))
        {
            return true;
        }

        JsonElement root;
        try
        {
            // Not pooled: the elements kept outlive this call (they are mapped after every query has answered), and
            // the whole body is checked, trailing content included.
            root = JsonSerializer.Deserialize<JsonElement>(body);
        }
        catch (JsonException)
        {
            return false;
        }

        if (root.ValueKind != JsonValueKind.Object)
        {
            return false;
        }

        // An object without a usable resourceType is read (Firely's recoverable parser kept it as a partial result),
        // and then refused for what it is not: a search Bundle or the Patient asked for.
        answer = new FhirAnswer(root, FhirJson.String(root, "resourceType"u8));
        return true;
    }

    /// <summary>The entries' resources of the types the service reads (the others only count against the budget).</summary>
    public void AddEntriesOfInterest(List<JsonElement> resources)
    {
        foreach (var entry in FhirJson.Array(Root, "entry"u8))
        {
            var resource = FhirJson.Object(entry, "resource"u8);
            if (FhirJson.IsObject(resource) && FhirResourceSet.IsOfInterest(FhirJson.String(resource, "resourceType"u8)))
            {
                resources.Add(resource);
            }
        }
    }

    private static bool IsBlank(ReadOnlySpan<byte> body)
    {
        foreach (var b in body)
        {
            if (b is not ((byte)' ' or (byte)'\t' or (byte)'\r' or (byte)'\n'))
            {
                return false;
            }
        }

        return true;
    }
}
