using System.Text.Json;
using CdsService.Clinical.Model;

namespace CdsService.Fhir.Mapping;

/// <summary>
/// FamilyMemberHistory: a relative's prostate cancer (ES 2018 Table 4: a first-degree relative with prostate cancer is a
/// high-risk flag that lowers the PSA limit to 3 ng/mL). Only the relationship code, the condition codes and the date
/// are read; whether the relative counts as first-degree is the rules' decision (PatientFacts).
/// </summary>
internal sealed partial class SnapshotMapper
{
    private void MapFamilyMemberHistory(FhirJsonResource resource, ref List<FamilyHistoryFact>? family)
    {
        var history = resource.Json;

        // FamilyMemberHistory.status (R4 history-status: partial | completed | entered-in-error | health-unknown).
        if (FhirJson.Is(history, "status"u8, "entered-in-error"u8))
        {
            return;
        }

        var relationship = FhirJson.Object(history, "relationship"u8);
        string? relationshipCode = null;
        string? relationshipDisplay = FhirJson.String(relationship, "text"u8);
        foreach (var coding in FhirJson.Array(relationship, "coding"u8))
        {
            if (FhirJson.String(coding, "system"u8) is CodeSystems.V3RoleCode && FhirJson.String(coding, "code"u8) is { } code)
            {
                relationshipCode = code;
                relationshipDisplay ??= FhirJson.String(coding, "display"u8);
                break;
            }
        }

        foreach (var condition in FhirJson.Array(history, "condition"u8))
        {
            foreach (var coding in FhirJson.Array(FhirJson.Object(condition, "code"u8), "coding"u8))
            {
                if (coding.ValueKind != JsonValueKind.Object
                    || !_terminology.ConditionKinds(FhirJson.System(coding), FhirJson.String(coding, "code"u8)).Contains(ConditionKind.ProstateCancer))
                {
                    continue;
                }

                (family ??= []).Add(new FamilyHistoryFact
                {
                    Kind = ConditionKind.ProstateCancer,
                    Relationship = relationshipCode,
                    RelationshipDisplay = relationshipDisplay,
                    Recorded = FhirDates.ToDateTimeOffset(FhirJson.Member(history, "date"u8), latest: true),
                    SourceId = resource.SourceId,
                });
                return;
            }
        }
    }
}
