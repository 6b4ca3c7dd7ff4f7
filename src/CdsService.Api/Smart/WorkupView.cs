using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using CdsService.Api.Preview;
using CdsService.Cards;
using CdsService.Clinical.Hypogonadism;
using CdsService.Clinical.Model;
using CdsService.Protocol;

namespace CdsService.Api.Smart;

/// <summary>
/// The SMART work-up view's HTML: the two page shells (launch, app) the browser loads, and the work-up fragment the
/// service renders from the engine's output. The fragment reuses the preview's renderers (lab chart, assessment table,
/// cards: <see cref="PreviewPage"/>), so the app cannot show a different rule or threshold than the cards. Every value
/// is HTML-encoded.
/// </summary>
public static class WorkupView
{
    public static string Shell(string page, SmartAppOptions options, string? queriesJson, string? notice)
    {
        ArgumentNullException.ThrowIfNull(options);
        var html = new StringBuilder();
        html.Append("<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\"><meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">");
        html.Append("<title>Hypogonadism work-up</title><style>").Append(PreviewPage.Css).Append(Css).Append("</style></head>");
        html.Append(CultureInfo.InvariantCulture, $"<body data-page=\"{E(page)}\" data-client-id=\"{E(options.ClientId)}\" data-scope=\"{E(options.Scopes)}\" data-redirect=\"{SmartAppExtensions.AppPath}\" data-api=\"{SmartAppExtensions.WorkupApiPath}\"");
        if (queriesJson is not null)
        {
            html.Append(" data-queries=\"").Append(E(queriesJson)).Append('"');
        }

        html.Append("><header class=\"top\"><h1>Hypogonadism work-up</h1>");
        html.Append("<p class=\"meta\">Lab trend, assessment, therapy history and monitoring plan from the EHR's record, assessed by the same rules as the CDS cards. Nothing is stored by this app.</p></header>");
        if (notice is not null)
        {
            html.Append("<p id=\"status\" class=\"error\" role=\"alert\">").Append(E(notice)).Append("</p><div id=\"workup\"></div></body></html>");
            return html.ToString();
        }

        html.Append("<p id=\"status\" class=\"info\" role=\"status\">Loading…</p><div id=\"workup\"></div>");
        html.Append("<script src=\"").Append(SmartAppExtensions.FhirClientScriptPath).Append("\"></script>");
        html.Append("<script src=\"").Append(SmartAppExtensions.WorkupScriptPath).Append("\"></script>");
        html.Append("</body></html>");
        return html.ToString();
    }

    /// <summary>The work-up of one patient, as a fragment the app page inserts.</summary>
    public static string Fragment(
        Assessment assessment,
        PatientSnapshot snapshot,
        CdsResponse cards,
        JsonElement? patient,
        JsonNode? hormoneLabs,
        string? appContext,
        ClinicalThresholds thresholds)
    {
        ArgumentNullException.ThrowIfNull(assessment);
        ArgumentNullException.ThrowIfNull(snapshot);
        ArgumentNullException.ThrowIfNull(cards);
        var html = new StringBuilder();
        Banner(html, patient, assessment);
        html.Append(CultureInfo.InvariantCulture, $"<section class=\"verdict\"><p>Classification: <strong id=\"classification\" data-code=\"{E(assessment.Classification.ToCode())}\">{E(ClinicalWords.Describe(assessment.Classification))}</strong></p>");
        html.Append(CultureInfo.InvariantCulture, $"<p>Recommendation: <strong id=\"recommendation\" data-code=\"{E(assessment.Recommendation.ToCode())}\">{E(ClinicalWords.Describe(assessment.Recommendation))}</strong></p>");
        html.Append(CultureInfo.InvariantCulture, $"<p class=\"meta\">Rules {E(assessment.RulesVersion)}, evaluated {assessment.EvaluatedAt:yyyy-MM-dd HH:mm zzz}.</p>");
        OpenedFrom(html, appContext);
        html.Append("</section>");

        html.Append("<div class=\"columns\"><section class=\"side\">");
        PreviewPage.Chart(html, hormoneLabs, thresholds);
        TherapyHistory(html, snapshot);
        MonitoringChecklist(html, assessment);
        html.Append("</section><section class=\"cards\" aria-label=\"Cards\"><h2>What the cards say</h2>");
        if (cards.Cards.Count == 0)
        {
            html.Append("<p class=\"empty\">No card: nothing to flag for this patient.</p>");
        }

        var json = JsonSerializer.SerializeToNode(cards, CdsJson.Options) as JsonObject;
        foreach (var card in (json?["cards"] as JsonArray ?? []).OfType<JsonObject>())
        {
            PreviewPage.Card(html, card);
        }

        PreviewPage.Assessment(html, AssessmentExtension.Build(assessment)[AssessmentExtension.Key] as JsonObject);
        html.Append("</section></div>");
        return html.ToString();
    }

    private static void Banner(StringBuilder html, JsonElement? patient, Assessment assessment)
    {
        // SMART need_patient_banner: the clinician must see whose record this is. Shown to the signed-in user only;
        // never logged or stored.
        var name = patient is { ValueKind: JsonValueKind.Object } p && p.TryGetProperty("name", out var names) && names.ValueKind == JsonValueKind.Array
            ? names.EnumerateArray().Select(NameText).FirstOrDefault(n => n.Length > 0)
            : null;
        var birth = patient is { ValueKind: JsonValueKind.Object } q && q.TryGetProperty("birthDate", out var b) && b.ValueKind == JsonValueKind.String ? b.GetString() : null;
        html.Append("<section class=\"banner\" id=\"patient-banner\"><strong>").Append(E(name ?? "(no name recorded)")).Append("</strong>");
        if (birth is not null)
        {
            html.Append(" · born ").Append(E(birth));
        }

        if (assessment.AgeYears is { } age)
        {
            html.Append(CultureInfo.InvariantCulture, $" · {age} years");
        }

        html.Append("</section>");
    }

    private static string NameText(JsonElement name)
    {
        if (name.TryGetProperty("text", out var text) && text.ValueKind == JsonValueKind.String)
        {
            return text.GetString() ?? string.Empty;
        }

        var given = name.TryGetProperty("given", out var g) && g.ValueKind == JsonValueKind.Array
            ? string.Join(' ', g.EnumerateArray().Where(x => x.ValueKind == JsonValueKind.String).Select(x => x.GetString()))
            : string.Empty;
        var family = name.TryGetProperty("family", out var f) && f.ValueKind == JsonValueKind.String ? f.GetString() : null;
        return string.Join(' ', new[] { given, family }.Where(s => !string.IsNullOrWhiteSpace(s)));
    }

    private static void OpenedFrom(StringBuilder html, string? appContext)
    {
        if (string.IsNullOrWhiteSpace(appContext))
        {
            return;
        }

        // appContext is what our own card link put there (CardComposer): the hook instance and the draft order ids.
        try
        {
            var context = JsonNode.Parse(appContext) as JsonObject;
            var drafts = (context?["draftOrders"] as JsonArray ?? []).Select(d => d?.GetValue<string>()).OfType<string>().ToList();
            html.Append("<p class=\"meta\" id=\"opened-from\">Opened from a CDS card");
            if (drafts.Count > 0)
            {
                html.Append(" about the draft order ").Append(E(string.Join(", ", drafts)))
                    .Append(". A draft that is not yet saved in the record is not part of this assessment, so the recommendation is for the record as it stands.");
            }

            html.Append("</p>");
        }
        catch (Exception ex) when (ex is JsonException or InvalidOperationException or FormatException)
        {
            html.Append("<p class=\"meta\">Opened with an app context this app does not read.</p>");
        }
    }

    private static void TherapyHistory(StringBuilder html, PatientSnapshot snapshot)
    {
        html.Append("<h2>Therapy history</h2>");
        var therapies = snapshot.Medications.Where(m => m.Class != MedicationClass.Other).OrderByDescending(m => m.Start ?? DateTimeOffset.MinValue).ToList();
        if (therapies.Count == 0)
        {
            html.Append("<p class=\"empty\" id=\"therapy-history\">No testosterone, fertility, opioid, glucocorticoid or androgen-deprivation medicine in the record.</p>");
            return;
        }

        html.Append("<table class=\"evidence\" id=\"therapy-history\"><thead><tr><th>Medicine</th><th>Class</th><th>Status</th><th>Started</th><th>Ended</th></tr></thead><tbody>");
        foreach (var m in therapies)
        {
            html.Append(CultureInfo.InvariantCulture, $"<tr><td>{E(m.Display ?? "(no name)")}</td><td>{E(m.Class.ToCode())}</td><td>{E(m.State.ToCode())}</td><td>{Date(m.Start)}</td><td>{Date(m.End)}</td></tr>");
        }

        html.Append("</tbody></table>");
    }

    private static void MonitoringChecklist(StringBuilder html, Assessment assessment)
    {
        html.Append("<h2>Monitoring plan</h2>");
        if (assessment.MonitoringPlan.IsDefaultOrEmpty)
        {
            html.Append("<p class=\"empty\" id=\"monitoring-plan\">No monitoring plan: no therapy is ordered, taken or recommended that has one.</p>");
            return;
        }

        var today = DateOnly.FromDateTime(assessment.EvaluatedAt.DateTime);
        html.Append(CultureInfo.InvariantCulture, $"<p class=\"meta\">Plan for {E(assessment.MonitoringFor?.ToCode() ?? "therapy")}; dates counted from {today:yyyy-MM-dd}.</p>");
        html.Append("<ul class=\"checklist\" id=\"monitoring-plan\">");
        foreach (var item in assessment.MonitoringPlan.OrderBy(i => i.Due))
        {
            var due = item.Due <= today ? "due now" : item.Due.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
            html.Append(CultureInfo.InvariantCulture, $"<li><input type=\"checkbox\" disabled aria-label=\"{E(item.Test)}\"> <strong>{E(due)}</strong> · {E(item.Test)} — {E(item.When)}. <span class=\"meta\">{E(item.Reason)} ({E(item.Source)})</span></li>");
        }

        html.Append("</ul>");
    }

    private static string Date(DateTimeOffset? value) =>
        value is { } v ? v.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture) : "–";

    private static string E(string text) => System.Net.WebUtility.HtmlEncode(text);

    private const string Css = """
        #status.info{color:#555}#status.ok{color:#1b5e20}#status.error{background:#fdecea;border:1px solid #e5a9a3;padding:8px 12px;border-radius:4px}
        .banner{background:#eef3f9;border:1px solid #c5d5e8;border-radius:6px;padding:8px 12px;margin:8px 0}
        .verdict p{margin:4px 0}.checklist{list-style:none;padding-left:0}.checklist li{margin:6px 0}
        """;
}
