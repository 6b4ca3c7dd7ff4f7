using System.Collections.Immutable;
using System.Text.Json;
using System.Text.Json.Nodes;
using CdsService.Clinical.Model;

namespace CdsService.Cards;

/// <summary>
/// The response-level extension "org.hypogonadism-cds.assessment" (CDS Hooks 2.0 §Extensions: a response MAY carry
/// an <c>extension</c> object), the machine-readable assessment and the public contract integrators test against. Codes come from <see cref="WireCodes"/>; empty lists are omitted because
/// CDS Hooks 2.0 says optional members without a value SHALL be left out.
/// </summary>
public static class AssessmentExtension
{
    public const string Key = "org.hypogonadism-cds.assessment";

    private static readonly JsonEncodedText KeyName = JsonEncodedText.Encode(Key);
    private static readonly JsonEncodedText ClassificationName = JsonEncodedText.Encode("classification");
    private static readonly JsonEncodedText FertilityIntentName = JsonEncodedText.Encode("fertilityIntent");
    private static readonly JsonEncodedText RecommendationName = JsonEncodedText.Encode("recommendation");
    private static readonly JsonEncodedText MissingDataName = JsonEncodedText.Encode("missingData");
    private static readonly JsonEncodedText AdditionalWorkupName = JsonEncodedText.Encode("additionalWorkup");
    private static readonly JsonEncodedText TrtContraindicationsName = JsonEncodedText.Encode("trtContraindications");
    private static readonly JsonEncodedText CausesName = JsonEncodedText.Encode("causes");
    private static readonly JsonEncodedText MonitoringPlanName = JsonEncodedText.Encode("monitoringPlan");
    private static readonly JsonEncodedText TestName = JsonEncodedText.Encode("test");
    private static readonly JsonEncodedText LoincName = JsonEncodedText.Encode("loinc");
    private static readonly JsonEncodedText DueName = JsonEncodedText.Encode("due");
    private static readonly JsonEncodedText ReasonName = JsonEncodedText.Encode("reason");
    private static readonly JsonEncodedText RulesVersionName = JsonEncodedText.Encode("rulesVersion");
    private static readonly JsonEncodedText OrderContraindicationsName = JsonEncodedText.Encode("orderContraindications");
    private static readonly JsonEncodedText DrugClassName = JsonEncodedText.Encode("drugClass");
    private static readonly JsonEncodedText CodeName = JsonEncodedText.Encode("code");
    private static readonly JsonEncodedText SeverityName = JsonEncodedText.Encode("severity");
    private static readonly JsonEncodedText EvidenceName = JsonEncodedText.Encode("evidence");
    private static readonly JsonEncodedText DateName = JsonEncodedText.Encode("date");
    private static readonly JsonEncodedText MonitoringAlertsName = JsonEncodedText.Encode("monitoringAlerts");

    /// <summary>Written as JSON and read back as one document-backed object (see <see cref="JsonObjectWriter"/>: a third of the
    /// allocation of building it node by node; docs/performance.md, round 2 item 10).</summary>
    public static JsonObject Build(Assessment assessment)
    {
        ArgumentNullException.ThrowIfNull(assessment);

        var extension = JsonObjectWriter.Start();
        var writer = extension.Json;
        writer.WriteStartObject();
        writer.WriteStartObject(KeyName);
        writer.WriteString(ClassificationName, assessment.Classification.ToCode());
        writer.WriteString(FertilityIntentName, assessment.FertilityIntent.ToCode());
        writer.WriteString(RecommendationName, assessment.Recommendation.ToCode());

        WriteCodes(writer, MissingDataName, assessment.MissingData, static missing => missing.ToCode());
        WriteCodes(writer, AdditionalWorkupName, assessment.AdditionalWorkup, static workup => workup.ToCode());
        WriteCodes(writer, TrtContraindicationsName, assessment.TrtContraindications, static finding => finding.Code.ToCode());

        // Causes that change management (docs/clinical/hypogonadism-rules.md, causes table), one code per cause however many findings show it.
        WriteCodes(writer, CausesName, assessment.Causes, static finding => finding.Code.ToCode());

        if (!assessment.MonitoringPlan.IsDefaultOrEmpty)
        {
            writer.WriteStartArray(MonitoringPlanName);
            foreach (var item in assessment.MonitoringPlan)
            {
                writer.WriteStartObject();
                writer.WriteString(TestName, item.Test);
                if (!string.IsNullOrEmpty(item.Loinc))
                {
                    writer.WriteString(LoincName, item.Loinc);
                }

                writer.WriteString(DueName, MarkdownText.Date(item.Due));
                writer.WriteString(ReasonName, item.Reason);
                writer.WriteEndObject();
            }

            writer.WriteEndArray();
        }

        WriteOrderContraindications(writer, assessment.OrderContraindications);
        writer.WriteString(RulesVersionName, assessment.RulesVersion);

        // On-treatment monitoring alerts (rules document section 11a), one code per alert.
        WriteCodes(writer, MonitoringAlertsName, assessment.MonitoringAlerts, static finding => finding.Code.ToCode());
        writer.WriteEndObject();
        writer.WriteEndObject();
        return extension.ToObject();
    }

    // One object per drafted drug class and reason (rules document §10a): unlike the testosterone list, which is codes
    // only, the drug class must travel with each code, and the severity, evidence and date make it usable on its own.
    private static void WriteOrderContraindications(Utf8JsonWriter writer, ImmutableArray<OrderContraindicationFinding> findings)
    {
        if (findings.IsDefaultOrEmpty)
        {
            return;
        }

        writer.WriteStartArray(OrderContraindicationsName);
        foreach (var finding in findings)
        {
            writer.WriteStartObject();
            writer.WriteString(DrugClassName, finding.DrugClass.ToCode());
            writer.WriteString(CodeName, finding.Code.ToCode());
            writer.WriteString(SeverityName, finding.Severity.ToCode());
            writer.WriteString(EvidenceName, finding.Evidence);
            if (finding.Date is { } date)
            {
                writer.WriteString(DateName, MarkdownText.Date(DateOnly.FromDateTime(date.DateTime)));
            }

            writer.WriteEndObject();
        }

        writer.WriteEndArray();
    }

    private static void WriteCodes<T>(Utf8JsonWriter writer, JsonEncodedText name, ImmutableArray<T> items, Func<T, string> code)
    {
        if (items.IsDefaultOrEmpty)
        {
            return;
        }

        writer.WriteStartArray(name);
        for (var index = 0; index < items.Length; index++)
        {
            // Distinct, first occurrence kept: two findings of one contraindication (e.g. MI and stroke) are one code
            // on the wire. The lists hold a handful of items, so looking back is cheaper than a set.
            var value = code(items[index]);
            var seen = false;
            for (var earlier = 0; earlier < index && !seen; earlier++)
            {
                seen = string.Equals(code(items[earlier]), value, StringComparison.Ordinal);
            }

            if (!seen)
            {
                writer.WriteStringValue(value);
            }
        }

        writer.WriteEndArray();
    }
}
