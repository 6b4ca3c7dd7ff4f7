using System.Collections.Immutable;
using System.Text.Json;
using CdsService.Clinical.Model;
using CdsService.Fhir.Terminology;
using CdsService.Protocol;

namespace CdsService.Fhir.Mapping;

/// <summary>
/// Reads the orders under evaluation from <c>context.draftOrders</c> (order-sign: all of them; order-select: only
/// those named in <c>context.selections</c>) straight from the request JSON, without Firely and without any FHIR
/// query, so the Api can answer an order hook that concerns none of our drugs immediately.
/// Tolerant of real clients (spec brief §4.1): Bundle without <c>type</c>, <c>category</c> sent as an object,
/// unknown members; a malformed shape yields no order rather than an exception.
/// </summary>
public sealed class DraftOrderReader
{
    private readonly TerminologyCatalog _terminology;

    public DraftOrderReader(TerminologyCatalog terminology)
    {
        _terminology = terminology;
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
            if (resourceType is null)
            {
                continue;
            }

            if (selected is not null && (id is null || !selected.Contains(resourceType + "/" + id)))
            {
                continue;
            }

            if (TryClassify(resource, out var medicationClass, out var display))
            {
                orders.Add(new DraftOrder { Class = medicationClass, ResourceType = resourceType, ResourceId = id, Display = display });
            }
        }

        return orders.ToImmutable();
    }

    private bool TryClassify(JsonElement resource, out MedicationClass medicationClass, out string? display)
    {
        var codings = default(PooledList<CodingText>);
        var texts = default(PooledList<string?>);
        try
        {
            var medication = ReadMedication(resource, ref codings, ref texts);
            return MedicationClassifier.TryClassifySystemic(_terminology, resource, medication, codings.Items, texts.Items,
                out medicationClass, out display);
        }
        finally
        {
            codings.Dispose();
            texts.Dispose();
        }
    }

    /// <summary>Reads the drug's codings and texts; returns the contained Medication it refers to, if any (else default).</summary>
    private static JsonElement ReadMedication(JsonElement resource, ref PooledList<CodingText> codings, ref PooledList<string?> texts)
    {
        JsonElement medication = default;
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
        }

        return medication;
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

    private static string? GetString(JsonElement element, string name) =>
        element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;
}
