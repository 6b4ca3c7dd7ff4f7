using System.Text.Json;
using CdsService.Clinical.Model;

namespace CdsService.Fhir.Mapping;

/// <summary>MedicationRequests and MedicationStatements: the drug class, state and dates of each.</summary>
internal sealed partial class SnapshotMapper
{
    // medicationrequest-status / medication-statement-status (required bindings) as the snapshot's states.
    private static readonly KnownStrings MedicationStatusCodes = new(["active", "on-hold", "completed", "stopped", "unknown"]);

    private static MedicationState? MedicationStatus(JsonElement resource) => FhirJson.Known(resource, "status"u8, MedicationStatusCodes) switch
    {
        "active" => MedicationState.Active,
        "on-hold" => MedicationState.OnHold,
        "completed" => MedicationState.Completed,
        "stopped" => MedicationState.Stopped,
        "unknown" => MedicationState.Unknown,
        _ => null, // MedicationRequest draft, cancelled, entered-in-error; MedicationStatement not-taken, intended, entered-in-error: never taken
    };

    // Both kinds of record: a state that means the drug was taken, and a drug of a class the rules read.
    private bool TryReadDrug(JsonElement resource, FhirResourceSet resources, List<DataIssue> issues, out MedicationState state,
        out MedicationClass medicationClass, out string? display)
    {
        state = default;
        medicationClass = default;
        display = null;
        if (MedicationStatus(resource) is not { } status)
        {
            return false;
        }

        state = status;
        return TryClassify(resource, resources, issues, out medicationClass, out display);
    }

    private void MapMedicationRequest(FhirJsonResource resource, FhirResourceSet resources, ref PooledList<MedicationFact> medications, List<DataIssue> issues)
    {
        var request = resource.Json;
        if (!TryReadDrug(request, resources, issues, out var state, out var medicationClass, out var display))
        {
            return;
        }

        var validity = FhirJson.Object(FhirJson.Object(request, "dispenseRequest"u8), "validityPeriod"u8);
        medications.Add(new MedicationFact
        {
            Class = medicationClass,
            State = state,
            Start = FhirDates.ToDateTimeOffset(FhirJson.Member(request, "authoredOn"u8), latest: false)
                ?? FhirDates.ToDateTimeOffset(FhirJson.Member(validity, "start"u8), latest: false),
            End = state == MedicationState.Active ? null : FhirDates.ToDateTimeOffset(FhirJson.Member(validity, "end"u8), latest: true),
            Display = display,
            SourceId = resource.SourceId,
        });
    }

    private void MapMedicationStatement(FhirJsonResource resource, FhirResourceSet resources, ref PooledList<MedicationFact> medications, List<DataIssue> issues)
    {
        var statement = resource.Json;
        if (!TryReadDrug(statement, resources, issues, out var state, out var medicationClass, out var display))
        {
            return;
        }

        DateTimeOffset? start;
        DateTimeOffset? end;
        var period = FhirJson.Object(statement, "effectivePeriod"u8);
        var dateTime = FhirJson.Member(statement, "effectiveDateTime"u8);
        if (dateTime.ValueKind == JsonValueKind.String)
        {
            (start, end) = (FhirDates.ToDateTimeOffset(dateTime, latest: false), FhirDates.ToDateTimeOffset(dateTime, latest: true));
        }
        else if (FhirJson.IsObject(period))
        {
            (start, end) = (FhirDates.ToDateTimeOffset(FhirJson.Member(period, "start"u8), latest: false), FhirDates.ToDateTimeOffset(FhirJson.Member(period, "end"u8), latest: true));
        }
        else
        {
            (start, end) = (FhirDates.ToDateTimeOffset(FhirJson.Member(statement, "dateAsserted"u8), latest: false), null);
        }

        medications.Add(new MedicationFact
        {
            Class = medicationClass,
            State = state,
            Start = start,
            End = state == MedicationState.Active ? null : end,
            Display = display,
            SourceId = resource.SourceId,
        });
    }

    /// <summary>
    /// medication[x] of a MedicationRequest or MedicationStatement: a CodeableConcept or a Reference. A product of a
    /// class with local forms (glucocorticoids) whose form, route or text says it is not systemic is no drug of that
    /// class (<see cref="MedicationClassifier.IsNonSystemic"/>) and is left out like any other drug.
    /// </summary>
    private bool TryClassify(JsonElement resource, FhirResourceSet resources, List<DataIssue> issues,
        out MedicationClass medicationClass, out string? display)
    {
        var codings = default(PooledList<CodingText>);
        var texts = default(PooledList<string?>);
        try
        {
            JsonElement medication = default;
            var concept = FhirJson.Object(resource, "medicationCodeableConcept"u8);
            var reference = FhirJson.Object(resource, "medicationReference"u8);
            if (FhirJson.IsObject(concept))
            {
                AddConcept(concept, ref codings, ref texts);
            }
            else if (FhirJson.IsObject(reference))
            {
                var referenceDisplay = FhirJson.String(reference, "display"u8);
                texts.Add(referenceDisplay);
                if (Resolve(FhirJson.String(reference, "reference"u8), resource, resources) is { } resolved)
                {
                    medication = resolved;
                    AddConcept(FhirJson.Object(resolved, "code"u8), ref codings, ref texts);
                    foreach (var ingredient in FhirJson.Array(resolved, "ingredient"u8))
                    {
                        var item = FhirJson.Object(ingredient, "itemCodeableConcept"u8);
                        if (FhirJson.IsObject(item))
                        {
                            AddConcept(item, ref codings, ref texts);
                        }
                    }
                }
                else if (string.IsNullOrWhiteSpace(referenceDisplay))
                {
                    issues.Add(new DataIssue("unresolved-medication", "A medication record refers to a Medication that was not provided, so its drug could not be identified."));
                }
            }

            return MedicationClassifier.TryClassifySystemic(_terminology, resource, medication, codings.Items, texts.Items,
                out medicationClass, out display);
        }
        finally
        {
            codings.Dispose();
            texts.Dispose();
        }
    }

    private static JsonElement? Resolve(string? reference, JsonElement resource, FhirResourceSet resources)
    {
        if (string.IsNullOrEmpty(reference))
        {
            return null;
        }

        if (reference[0] == '#')
        {
            var id = reference[1..];
            foreach (var contained in FhirJson.Array(resource, "contained"u8))
            {
                if (FhirJson.Is(contained, "resourceType"u8, "Medication"u8) && FhirJson.String(contained, "id"u8) == id)
                {
                    return contained;
                }
            }

            return null;
        }

        // Relative ("Medication/123") or absolute (".../Medication/123", optionally with _history).
        var parts = reference.Split('/', StringSplitOptions.RemoveEmptyEntries);
        var index = System.Array.LastIndexOf(parts, "Medication");
        return index >= 0 && index + 1 < parts.Length && resources.Medications?.TryGetValue(parts[index + 1], out var found) == true
            ? found
            : null;
    }

    private static void AddConcept(JsonElement concept, ref PooledList<CodingText> codings, ref PooledList<string?> texts)
    {
        if (!FhirJson.IsObject(concept))
        {
            return;
        }

        var firstCoding = codings.Count;
        foreach (var coding in FhirJson.Array(concept, "coding"u8))
        {
            if (coding.ValueKind == JsonValueKind.Object)
            {
                codings.Add(new CodingText(FhirJson.System(coding), FhirJson.String(coding, "code"u8), FhirJson.String(coding, "display"u8)));
            }
        }

        texts.Add(TextOf(concept, codings.Items[firstCoding..]));
    }

    // CodeableConcept.text, as the instance of an equal coding display when there is one (the text usually repeats
    // the display): the same value, one string fewer.
    private static string? TextOf(JsonElement concept, ReadOnlySpan<CodingText> codings)
    {
        if (!FhirJson.TryGet(concept, "text"u8, out var text) || text.ValueKind != JsonValueKind.String)
        {
            return null;
        }

        foreach (var coding in codings)
        {
            if (coding.Display is { } display && text.ValueEquals(display))
            {
                return display;
            }
        }

        return text.GetString();
    }
}
