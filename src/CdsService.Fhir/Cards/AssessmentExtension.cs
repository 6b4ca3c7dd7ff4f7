using System.Text.Json.Nodes;
using CdsService.Clinical.Model;

namespace CdsService.Fhir.Cards;

/// <summary>
/// The response-level extension "org.hypogonadism-cds.assessment" (issue 5 §Machine-readable assessment), the public
/// contract integrators test against. Codes come from <see cref="WireCodes"/>; empty lists are omitted because
/// CDS Hooks 2.0 says optional members without a value SHALL be left out.
/// </summary>
public static class AssessmentExtension
{
    public const string Key = "org.hypogonadism-cds.assessment";

    public static JsonObject Build(Assessment assessment)
    {
        ArgumentNullException.ThrowIfNull(assessment);

        var body = new JsonObject
        {
            ["classification"] = assessment.Classification.ToCode(),
            ["fertilityIntent"] = assessment.FertilityIntent.ToCode(),
            ["recommendation"] = assessment.Recommendation.ToCode(),
        };

        AddCodes(body, "missingData", assessment.MissingData.Select(m => m.ToCode()));
        AddCodes(body, "additionalWorkup", assessment.AdditionalWorkup.Select(w => w.ToCode()));
        AddCodes(body, "trtContraindications", assessment.TrtContraindications.Select(c => c.Code.ToCode()));

        if (!assessment.MonitoringPlan.IsDefaultOrEmpty)
        {
            var plan = new JsonArray();
            foreach (var item in assessment.MonitoringPlan)
            {
                var entry = new JsonObject { ["test"] = item.Test };
                if (!string.IsNullOrEmpty(item.Loinc))
                {
                    entry["loinc"] = item.Loinc;
                }

                entry["due"] = MarkdownText.Date(item.Due);
                entry["reason"] = item.Reason;
                plan.Add(entry);
            }

            body["monitoringPlan"] = plan;
        }

        body["rulesVersion"] = assessment.RulesVersion;

        return new JsonObject { [Key] = body };
    }

    private static void AddCodes(JsonObject body, string name, IEnumerable<string> codes)
    {
        // Distinct: two findings of one contraindication (e.g. MI and stroke) are one code on the wire.
        var array = new JsonArray([.. codes.Distinct(StringComparer.Ordinal).Select(code => (JsonNode?)JsonValue.Create(code))]);
        if (array.Count > 0)
        {
            body[name] = array;
        }
    }
}
