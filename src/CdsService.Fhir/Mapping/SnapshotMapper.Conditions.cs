using System.Text.Json;
using CdsService.Clinical.Model;

namespace CdsService.Fhir.Mapping;

/// <summary>Conditions: the condition groups the rules read, when present now and not refuted.</summary>
internal sealed partial class SnapshotMapper
{
    // Condition.clinicalStatus (R4 condition-clinical, required binding): only these mean the condition is present
    // now; inactive, remission and resolved do not.
    private static bool IsActiveClinicalStatus(JsonElement code) =>
        code.ValueEquals("active"u8) || code.ValueEquals("recurrence"u8) || code.ValueEquals("relapse"u8);

    private static bool IsExcludedVerification(JsonElement code) =>
        code.ValueEquals("refuted"u8) || code.ValueEquals("entered-in-error"u8);

    private void MapCondition(FhirJsonResource resource, ref PooledList<ConditionFact> conditions)
    {
        var condition = resource.Json;
        var clinical = default(JsonElement);
        foreach (var coding in FhirJson.Array(FhirJson.Object(condition, "clinicalStatus"u8), "coding"u8))
        {
            if (FhirJson.TryGet(coding, "code"u8, out var statusCode) && statusCode.ValueKind == JsonValueKind.String)
            {
                clinical = statusCode;
                break;
            }
        }

        if (clinical.ValueKind != JsonValueKind.String || !IsActiveClinicalStatus(clinical))
        {
            return;
        }

        foreach (var coding in FhirJson.Array(FhirJson.Object(condition, "verificationStatus"u8), "coding"u8))
        {
            if (FhirJson.TryGet(coding, "code"u8, out var verification) && verification.ValueKind == JsonValueKind.String
                && IsExcludedVerification(verification))
            {
                return;
            }
        }

        // Most conditions on a problem list are none of the kinds the rules read: their dates, text and displays are
        // only read once a coding has matched a kind.
        var concept = FhirJson.Object(condition, "code"u8);
        HashSet<ConditionKind>? kindsSeen = null;
        DateTimeOffset? onset = null;
        DateTimeOffset? recorded = null;
        string? text = null;
        foreach (var coding in FhirJson.Array(concept, "coding"u8))
        {
            if (coding.ValueKind != JsonValueKind.Object)
            {
                continue;
            }

            var code = FhirJson.String(coding, "code"u8);
            var kinds = _terminology.ConditionKinds(FhirJson.System(coding), code);
            if (kinds.IsEmpty)
            {
                continue;
            }

            if (kindsSeen is null)
            {
                kindsSeen = [];

                // The onset decides "recent MI or stroke" (within 6 months): a vague onset takes the latest possible
                // date. onset[x] as dateTime or Period.start; Age, Range and string onsets carry no date.
                var onsetDateTime = FhirJson.Member(condition, "onsetDateTime"u8);
                onset = onsetDateTime.ValueKind == JsonValueKind.String
                    ? FhirDates.ToDateTimeOffset(onsetDateTime, latest: true)
                    : FhirDates.ToDateTimeOffset(FhirJson.Member(FhirJson.Object(condition, "onsetPeriod"u8), "start"u8), latest: true);
                recorded = FhirDates.ToDateTimeOffset(FhirJson.Member(condition, "recordedDate"u8), latest: true);
                text = FhirJson.String(concept, "text"u8);
            }

            string? display = null;
            var displayRead = false;
            foreach (var kind in kinds)
            {
                if (kindsSeen.Add(kind))
                {
                    if (!displayRead)
                    {
                        display = FhirJson.String(coding, "display"u8);
                        displayRead = true;
                    }

                    conditions.Add(new ConditionFact
                    {
                        Kind = kind,
                        Onset = onset,
                        Recorded = recorded,
                        Code = code,
                        Display = display ?? text,
                        SourceId = resource.SourceId,
                    });
                }
            }
        }
    }
}
