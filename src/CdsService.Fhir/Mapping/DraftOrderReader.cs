using System.Collections.Immutable;
using System.Text.Json;
using CdsService.Clinical.Model;
using CdsService.Fhir.Terminology;
using CdsService.Protocol;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace CdsService.Fhir.Mapping;

/// <summary>
/// Reads the orders under evaluation from <c>context.draftOrders</c> (order-sign: all of them; order-select: only
/// those named in <c>context.selections</c>) straight from the request JSON, without Firely and without any FHIR
/// query, so the Api can answer an order hook that concerns none of our drugs immediately.
/// Tolerant of real clients (spec brief §4.1): Bundle without <c>type</c>, <c>category</c> sent as an object,
/// unknown members; a malformed shape yields no order rather than an exception.
/// </summary>
public sealed partial class DraftOrderReader
{
    private readonly TerminologyCatalog _terminology;
    private readonly ILogger _logger;

    public DraftOrderReader(TerminologyCatalog terminology, ILogger<DraftOrderReader>? logger = null)
    {
        _terminology = terminology;
        _logger = (ILogger?)logger ?? NullLogger.Instance;
    }

    /// <summary>The draft orders of our drug classes (testosterone, SERMs, hCG, FSH, aromatase inhibitors…).</summary>
    public ImmutableArray<DraftOrder> Read(HookKind hook, JsonElement context)
    {
        if (hook == HookKind.PatientView || context.ValueKind != JsonValueKind.Object
            || !context.TryGetProperty("draftOrders", out var draftOrders) || draftOrders.ValueKind != JsonValueKind.Object
            || !draftOrders.TryGetProperty("entry", out var entries) || entries.ValueKind != JsonValueKind.Array)
        {
            return [];
        }

        HashSet<string>? selected = null;
        if (hook == HookKind.OrderSelect)
        {
            // order-select: "selections" names the newly selected orders (Type/id); the other drafts were already
            // seen on earlier calls (CDS Hooks order-select 1.0 context).
            selected = new HashSet<string>(StringComparer.Ordinal);
            if (context.TryGetProperty("selections", out var selections) && selections.ValueKind == JsonValueKind.Array)
            {
                foreach (var selection in selections.EnumerateArray())
                {
                    if (selection.ValueKind == JsonValueKind.String && selection.GetString() is { } reference)
                    {
                        selected.Add(reference);
                    }
                }
            }
        }

        var orders = ImmutableArray.CreateBuilder<DraftOrder>();
        foreach (var entry in entries.EnumerateArray())
        {
            if (entry.ValueKind != JsonValueKind.Object || !entry.TryGetProperty("resource", out var resource)
                || resource.ValueKind != JsonValueKind.Object)
            {
                continue;
            }

            var resourceType = GetString(resource, "resourceType");
            var id = GetString(resource, "id");
            // A Medication entry is what an order refers to, not an order (R4 allows it beside the order in the Bundle).
            if (resourceType is null or "Medication")
            {
                continue;
            }

            if (selected is not null && (id is null || !selected.Contains(resourceType + "/" + id)))
            {
                continue;
            }

            if (TryClassify(resource, entries, out var medicationClass, out var display, out var unidentified))
            {
                orders.Add(new DraftOrder { Class = medicationClass, ResourceType = resourceType, ResourceId = id, Display = display });
            }
            else if (unidentified)
            {
                // Not silence: a draft whose drug cannot be known could be testosterone. The log says which kind of
                // order it was (no id, no reference: those are the EHR's identifiers).
                DraftMedicationUnidentified(_logger, resourceType);
            }
        }

        return orders.ToImmutable();
    }

    private bool TryClassify(JsonElement resource, JsonElement entries, out MedicationClass medicationClass, out string? display, out bool unidentified)
    {
        var codings = default(PooledList<CodingText>);
        var texts = default(PooledList<string?>);
        try
        {
            var medication = ReadMedication(resource, entries, ref codings, ref texts, out unidentified);
            return MedicationClassifier.TryClassifySystemic(_terminology, resource, medication, codings.Items, texts.Items,
                out medicationClass, out display);
        }
        finally
        {
            codings.Dispose();
            texts.Dispose();
        }
    }

    /// <summary>
    /// Reads the drug's codings and texts; returns the Medication it refers to, if any (else default). A
    /// <c>medicationReference</c> is resolved from the order's contained resources (<c>#id</c>) or, as FHIR R4 allows a
    /// reference to a resource outside the order (R4 §2.3.0 References), from the draft-orders Bundle's other entries
    /// (matched by <c>fullUrl</c> or <c>Type/id</c>); failing both, its <c>display</c> is read as the drug's name.
    /// <paramref name="unidentified"/> is true for a reference none of these resolve: the caller must say so.
    /// </summary>
    private static JsonElement ReadMedication(JsonElement resource, JsonElement entries, ref PooledList<CodingText> codings, ref PooledList<string?> texts, out bool unidentified)
    {
        JsonElement medication = default;
        unidentified = false;
        // MedicationRequest (R4) carries the drug in medication[x]; other request types (ServiceRequest,
        // NutritionOrder…) in code. Both are read so a drug ordered through an unusual resource is still seen.
        foreach (var name in (ReadOnlySpan<string>)["medicationCodeableConcept", "code"])
        {
            if (resource.TryGetProperty(name, out var concept))
            {
                ReadConcept(concept, ref codings, ref texts);
            }
        }

        if (resource.TryGetProperty("medicationReference", out var reference) && reference.ValueKind == JsonValueKind.Object)
        {
            texts.Add(GetString(reference, "display"));
            var target = GetString(reference, "reference");
            if (target is { Length: > 1 } && target[0] == '#'
                && resource.TryGetProperty("contained", out var contained) && contained.ValueKind == JsonValueKind.Array)
            {
                foreach (var candidate in contained.EnumerateArray())
                {
                    if (candidate.ValueKind == JsonValueKind.Object && GetString(candidate, "id") == target[1..]
                        && candidate.TryGetProperty("code", out var medicationCode))
                    {
                        medication = candidate;
                        ReadConcept(medicationCode, ref codings, ref texts);
                    }
                }
            }
            else if (target is { Length: > 0 } && target[0] != '#' && FindEntry(entries, target) is { } entry
                && entry.TryGetProperty("code", out var entryCode))
            {
                medication = entry;
                ReadConcept(entryCode, ref codings, ref texts);
            }

            unidentified = medication.ValueKind != JsonValueKind.Object && string.IsNullOrWhiteSpace(GetString(reference, "display"));
        }

        return medication;
    }

    /// <summary>The Bundle entry a reference names: by fullUrl, or by Type/id (relative or ending an absolute URL).</summary>
    private static JsonElement? FindEntry(JsonElement entries, string reference)
    {
        foreach (var entry in entries.EnumerateArray())
        {
            if (entry.ValueKind != JsonValueKind.Object || !entry.TryGetProperty("resource", out var candidate)
                || candidate.ValueKind != JsonValueKind.Object || GetString(candidate, "resourceType") != "Medication")
            {
                continue;
            }

            var typeAndId = "Medication/" + GetString(candidate, "id");
            if (GetString(entry, "fullUrl") == reference || reference == typeAndId
                || reference.EndsWith("/" + typeAndId, StringComparison.Ordinal))
            {
                return candidate;
            }
        }

        return null;
    }

    private static void ReadConcept(JsonElement concept, ref PooledList<CodingText> codings, ref PooledList<string?> texts)
    {
        if (concept.ValueKind != JsonValueKind.Object)
        {
            return;
        }

        texts.Add(GetString(concept, "text"));
        if (concept.TryGetProperty("coding", out var array) && array.ValueKind == JsonValueKind.Array)
        {
            foreach (var coding in array.EnumerateArray())
            {
                if (coding.ValueKind == JsonValueKind.Object)
                {
                    codings.Add(new CodingText(GetString(coding, "system"), GetString(coding, "code"), GetString(coding, "display")));
                }
            }
        }
    }

    // Here rather than in FhirLog (CdsService.Fhir.Data): Data already depends on Mapping, and the architecture tests
    // forbid the namespace cycle. The id lies in the FHIR layer's range (Log.cs) and LogEventIdTests checks it.
    [LoggerMessage(EventId = 4062, Level = LogLevel.Warning,
        Message = "A draft {ResourceType} refers to a Medication that is neither contained, nor in the draft orders, nor named by a display; its drug could not be identified and it was not checked")]
    private static partial void DraftMedicationUnidentified(ILogger logger, string resourceType);

    private static string? GetString(JsonElement element, string name) =>
        element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;
}
