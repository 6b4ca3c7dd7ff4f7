using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using CdsService.Cards;
using CdsService.Clinical.Hypogonadism;
using CdsService.Clinical.Model;
using CdsService.Examples;
using CdsService.Fhir.Prefetch;
using CdsService.Protocol;

namespace CdsService.Api.Preview;

/// <summary>
/// Server-rendered HTML of the preview page: the picker, the story of the chosen example, the cards as an EHR shows
/// them (indicator colour, summary, Markdown detail, suggestion buttons, links, override reasons), the lab chart, the
/// assessment extension as a table, and the exact request and response for integrators. Every value from a card
/// or a resource is HTML-encoded; only <see cref="SafeMarkdown"/> output and the chart's own SVG are inserted as HTML.
/// </summary>
public static class PreviewPage
{
    public static string Render(ExampleLibrary library, PreviewRun? run, ClinicalThresholds thresholds, string? notice = null)
    {
        ArgumentNullException.ThrowIfNull(library);
        ArgumentNullException.ThrowIfNull(thresholds);
        var html = new StringBuilder();
        html.Append("<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\"><meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">");
        html.Append("<title>Hypogonadism CDS – preview</title><style>").Append(Css).Append("</style></head><body>");
        html.Append("<header class=\"top\"><h1>Hypogonadism CDS Hooks service – preview</h1>");
        html.Append("<p class=\"warning-banner\">Development preview with synthetic example patients only. Every call goes through the real ")
            .Append("<code>POST /cds-services/{id}</code> endpoint with a client JWT signed by a key generated in memory at start (trusted only while the preview is enabled).</p></header>");
        Form(html, library, run);
        if (notice is not null)
        {
            html.Append("<p class=\"notice\" role=\"alert\">").Append(E(notice)).Append("</p>");
        }

        if (run is not null)
        {
            Result(html, run, thresholds);
        }

        html.Append("</body></html>");
        return html.ToString();
    }

    private static void Form(StringBuilder html, ExampleLibrary library, PreviewRun? run)
    {
        html.Append("<form method=\"get\" action=\"/preview\" class=\"picker\">");
        html.Append("<label>Example patient <select name=\"example\" id=\"example\">");
        foreach (var scenario in library.Scenarios)
        {
            var selected = run?.Scenario.Id == scenario.Id ? " selected" : string.Empty;
            html.Append(CultureInfo.InvariantCulture, $"<option value=\"{E(scenario.Id)}\"{selected}>{E(scenario.Title)}</option>");
        }

        html.Append("</select></label>");
        html.Append("<label>Hook <select name=\"hook\" id=\"hook\"><option value=\"\">(the example's own)</option>");
        foreach (var hook in Enum.GetValues<HookKind>())
        {
            var selected = run?.Hook == hook ? " selected" : string.Empty;
            html.Append(CultureInfo.InvariantCulture, $"<option value=\"{hook.ToCode()}\"{selected}>{hook.ToCode()}</option>");
        }

        html.Append("</select></label>");
        html.Append("<label>Draft order <select name=\"order\" id=\"order\"><option value=\"\">(the example's own)</option>");
        foreach (var order in ExampleDraftOrders.All)
        {
            var selected = run?.DraftOrder == order ? " selected" : string.Empty;
            html.Append(CultureInfo.InvariantCulture, $"<option value=\"{order.ToCode()}\"{selected}>{E(order.Label())}</option>");
        }

        html.Append("</select></label><button type=\"submit\" id=\"run\">Call the service</button></form>");
    }

    private static void Result(StringBuilder html, PreviewRun run, ClinicalThresholds thresholds)
    {
        var scenario = run.Scenario;
        html.Append("<section class=\"story\"><h2>").Append(E(scenario.Title)).Append("</h2><p>").Append(E(scenario.Description)).Append("</p>");
        html.Append("<p class=\"meta\">Hook <code>").Append(E(run.Hook.ToCode())).Append("</code>");
        if (run.Hook != HookKind.PatientView && run.DraftOrder is { } order)
        {
            html.Append(" · draft order: <strong>").Append(E(order.Label())).Append("</strong>");
        }

        html.Append(CultureInfo.InvariantCulture, $" · example dates moved by {run.Request.ShiftedDays} day(s) so the story is as recent today as on {ExampleRequestBuilder.ReferenceDate:yyyy-MM-dd}");
        html.Append("</p>");
        if (scenario.Expected.Count > 0)
        {
            html.Append("<p class=\"meta\">Expected (derived by hand from the rules): ")
                .Append(E(string.Join(" · ", scenario.Expected.Select(p => $"{p.Key}: {Plain(p.Value)}"))))
                .Append("</p>");
        }

        html.Append("</section>");

        html.Append("<div class=\"columns\"><section class=\"cards\" aria-label=\"Cards\"><h2>Cards</h2>");
        html.Append(CultureInfo.InvariantCulture, $"<p class=\"meta\">POST <code>{E(run.Url)}</code> → <span id=\"status\">{(run.StatusCode == 0 ? "not sent" : run.StatusCode.ToString(CultureInfo.InvariantCulture))}</span></p>");
        if (run.Error is not null)
        {
            html.Append("<p class=\"notice\" role=\"alert\">").Append(E(run.Error)).Append("</p>");
        }
        else if (run.StatusCode == 200 && run.Response?["cards"] is JsonArray cards)
        {
            if (cards.Count == 0)
            {
                html.Append("<p class=\"empty\" id=\"no-cards\">No cards: the service has no advice for this call (<code>{\"cards\": []}</code>).</p>");
            }

            foreach (var card in cards.OfType<JsonObject>())
            {
                Card(html, card);
            }
        }
        else
        {
            OperationOutcome(html, run);
        }

        html.Append("</section><section class=\"side\">");
        Chart(html, run.Request.Prefetch?[PrefetchCatalog.HormoneLabsKey], thresholds);
        Assessment(html, run.Response?["extension"]?[AssessmentExtension.Key] as JsonObject);
        html.Append("</section></div>");

        html.Append("<section class=\"wire\"><h2>On the wire</h2>");
        html.Append("<details><summary>Request body (context and prefetch)</summary><pre>").Append(E(Pretty(run.Request.Body))).Append("</pre></details>");
        html.Append("<details><summary>Response body</summary><pre>").Append(E(run.Response is null ? "(none)" : Pretty(run.Response))).Append("</pre></details>");
        html.Append("</section>");
    }

    internal static void Card(StringBuilder html, JsonObject card)
    {
        var indicator = Str(card, "indicator") ?? "info";
        var cssIndicator = indicator is "critical" or "warning" ? indicator : "info";
        html.Append(CultureInfo.InvariantCulture, $"<article class=\"card card-{cssIndicator}\" data-indicator=\"{E(indicator)}\">");
        html.Append(CultureInfo.InvariantCulture, $"<header><span class=\"badge\">{E(indicator)}</span><h3 class=\"summary\">{E(Str(card, "summary") ?? string.Empty)}</h3></header>");
        if (Str(card, "detail") is { } detail)
        {
            html.Append("<div class=\"detail\">").Append(SafeMarkdown.ToHtml(detail)).Append("</div>");
        }

        if (card["suggestions"] is JsonArray suggestions && suggestions.Count > 0)
        {
            var behavior = Str(card, "selectionBehavior");
            html.Append("<div class=\"suggestions\">");
            if (behavior is not null)
            {
                html.Append("<p class=\"meta\">Choose ").Append(behavior == "at-most-one" ? "at most one" : E(behavior)).Append(':').Append("</p>");
            }

            foreach (var suggestion in suggestions.OfType<JsonObject>())
            {
                var recommended = suggestion["isRecommended"] is JsonValue r && r.GetValueKind() == JsonValueKind.True;
                html.Append("<div class=\"suggestion\">");
                html.Append(CultureInfo.InvariantCulture, $"<button type=\"button\" class=\"suggestion-button{(recommended ? " recommended" : string.Empty)}\" title=\"An EHR would apply these actions to the order\">{E(Str(suggestion, "label") ?? "(no label)")}{(recommended ? " <span class=\"star\">★ recommended</span>" : string.Empty)}</button>");
                html.Append("<ul class=\"actions\">");
                foreach (var action in (suggestion["actions"] as JsonArray ?? []).OfType<JsonObject>())
                {
                    var what = Str(action, "resourceId") ?? ResourceSummary(action["resource"] as JsonObject);
                    html.Append(CultureInfo.InvariantCulture, $"<li><span class=\"action-type\">{E(Str(action, "type") ?? "?")}</span> {E(Str(action, "description") ?? string.Empty)} <span class=\"meta\">{E(what)}</span></li>");
                }

                html.Append("</ul></div>");
            }

            html.Append("</div>");
        }

        if (card["links"] is JsonArray links && links.Count > 0)
        {
            html.Append("<p class=\"links\">");
            foreach (var link in links.OfType<JsonObject>())
            {
                var url = Str(link, "url");
                var label = E(Str(link, "label") ?? url ?? "link");
                html.Append(SafeMarkdown.IsSafeUrl(url)
                    ? $"<a href=\"{E(url!)}\" rel=\"noopener noreferrer\">{label}</a> "
                    : $"<span>{label}</span> ");
            }

            html.Append("</p>");
        }

        if (card["overrideReasons"] is JsonArray reasons && reasons.Count > 0)
        {
            html.Append("<label class=\"override\">Dismiss with reason <select>");
            foreach (var reason in reasons.OfType<JsonObject>())
            {
                html.Append("<option>").Append(E(Str(reason, "display") ?? Str(reason, "code") ?? string.Empty)).Append("</option>");
            }

            html.Append("</select></label>");
        }

        if (card["source"] is JsonObject source)
        {
            var label = E(Str(source, "label") ?? string.Empty);
            var url = Str(source, "url");
            html.Append("<footer class=\"source\">Source: ")
                .Append(SafeMarkdown.IsSafeUrl(url) ? $"<a href=\"{E(url!)}\" rel=\"noopener noreferrer\">{label}</a>" : label);
            if (source["topic"] is JsonObject topic)
            {
                html.Append(" · topic ").Append(E(Str(topic, "display") ?? Str(topic, "code") ?? string.Empty));
            }

            html.Append("</footer>");
        }

        html.Append("</article>");
    }

    private static void OperationOutcome(StringBuilder html, PreviewRun run)
    {
        html.Append("<div class=\"outcome\" id=\"operation-outcome\"><p><strong>The service did not return cards.</strong> ");
        html.Append(run.StatusCode == 412
            ? "412 Precondition Failed: it could not obtain the data it needs, so it says so instead of answering \"all clear\"."
            : "The answer was not a card list.");
        html.Append("</p>");
        var issues = (run.Response?["issue"] as JsonArray ?? []).OfType<JsonObject>().ToList();
        if (issues.Count > 0)
        {
            html.Append("<ul>");
            foreach (var issue in issues)
            {
                var expressions = string.Join(", ", (issue["expression"] as JsonArray ?? []).Select(Plain));
                html.Append(CultureInfo.InvariantCulture, $"<li><span class=\"action-type\">{E(Str(issue, "severity") ?? "?")} / {E(Str(issue, "code") ?? "?")}</span> {E(Str(issue, "diagnostics") ?? Str(issue["details"] as JsonObject, "text") ?? string.Empty)} <span class=\"meta\">{E(expressions)}</span></li>");
            }

            html.Append("</ul>");
        }

        html.Append("</div>");
    }

    /// <summary>The lab-trend chart and its table from a hormoneLabs searchset; the SMART work-up view shows the same.</summary>
    internal static void Chart(StringBuilder html, JsonNode? hormoneLabs, ClinicalThresholds thresholds)
    {
        html.Append("<h2>Lab trend</h2>");
        var points = LabChart.Points(hormoneLabs, thresholds);
        var svg = LabChart.Svg(points, thresholds);
        if (svg is null)
        {
            html.Append("<p class=\"empty\">No total or free testosterone, LH or FSH result for this patient.</p>");
            return;
        }

        html.Append("<figure id=\"lab-chart\">").Append(svg);
        html.Append(CultureInfo.InvariantCulture, $"<figcaption>Final, amended and corrected results in the rules' units. Dashed lines: the engine's thresholds (total T low below {thresholds.TotalTestosteroneLowNgPerDl} ng/dL, free T low below {thresholds.FreeTestosteroneLowPmolPerL} pmol/L, LH high above {thresholds.LhHighIuPerL} IU/L). A morning sample is drawn before {thresholds.MorningCutoff:HH\\:mm} in its own time zone.</figcaption></figure>");
        html.Append("<table class=\"evidence\"><thead><tr><th>Date</th><th>Analyte</th><th>Value</th><th>Sample</th></tr></thead><tbody>");
        foreach (var p in points)
        {
            html.Append(CultureInfo.InvariantCulture, $"<tr><td>{p.When:yyyy-MM-dd HH:mm zzz}</td><td>{E(LabChart.Name(p.Analyte))}</td><td>{p.Value:0.##} {E(LabUnits.Symbol(LabUnits.CanonicalUnit(p.Analyte)))}</td><td>{LabChart.Timing(p.Timing)}</td></tr>");
        }

        html.Append("</tbody></table>");
    }

    internal static void Assessment(StringBuilder html, JsonObject? assessment)
    {
        html.Append("<h2>Assessment</h2>");
        if (assessment is null)
        {
            html.Append("<p class=\"empty\">No <code>").Append(AssessmentExtension.Key).Append("</code> extension in the response (the engine did not run for this call).</p>");
            return;
        }

        html.Append("<table class=\"assessment\" id=\"assessment\"><tbody>");
        foreach (var (name, value) in assessment)
        {
            html.Append("<tr><th>").Append(E(name)).Append("</th><td>");
            if (value is JsonArray array && array.All(v => v is JsonObject))
            {
                var columns = array.OfType<JsonObject>().SelectMany(o => o.Select(p => p.Key)).Distinct().ToList();
                html.Append("<table><thead><tr>");
                foreach (var column in columns)
                {
                    html.Append("<th>").Append(E(column)).Append("</th>");
                }

                html.Append("</tr></thead><tbody>");
                foreach (var row in array.OfType<JsonObject>())
                {
                    html.Append("<tr>");
                    foreach (var column in columns)
                    {
                        html.Append("<td>").Append(E(Plain(row[column]))).Append("</td>");
                    }

                    html.Append("</tr>");
                }

                html.Append("</tbody></table>");
            }
            else
            {
                html.Append(E(Plain(value)));
            }

            html.Append("</td></tr>");
        }

        html.Append("</tbody></table>");
    }

    private static string ResourceSummary(JsonObject? resource)
    {
        if (resource is null)
        {
            return string.Empty;
        }

        var concept = resource["medicationCodeableConcept"] ?? resource["code"];
        var text = Str(concept as JsonObject, "text")
            ?? (concept?["coding"] as JsonArray)?.OfType<JsonObject>().Select(c => Str(c, "display") ?? Str(c, "code")).FirstOrDefault();
        return $"{Str(resource, "resourceType")}{(text is null ? string.Empty : ": " + text)}";
    }

    private static string Plain(JsonNode? node) => node switch
    {
        null => "null",
        JsonArray array => string.Join(", ", array.Select(Plain)),
        JsonValue value when value.GetValueKind() == JsonValueKind.String => value.GetValue<string>(),
        _ => node.ToJsonString(),
    };

    private static string Pretty(JsonNode node) => node.ToJsonString(new JsonSerializerOptions { WriteIndented = true, Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping });

    private static string? Str(JsonObject? obj, string name) =>
        obj?[name] is JsonValue value && value.GetValueKind() == JsonValueKind.String ? value.GetValue<string>() : null;

    private static string E(string text) => System.Net.WebUtility.HtmlEncode(text);

    // System fonts only (offline); indicator colours as EHRs commonly show them (info blue, warning amber, critical red).
    internal const string Css = """
        body{font:14px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;margin:0 auto;max-width:1400px;padding:0 16px 40px;color:#1b1b1b}
        h1{font-size:20px;margin:16px 0 4px}h2{font-size:16px;margin:18px 0 8px}h3{font-size:15px;margin:0}
        .warning-banner{background:#fff8e1;border:1px solid #f0c36d;padding:6px 10px;border-radius:4px;font-size:13px}
        .picker{display:flex;flex-wrap:wrap;gap:12px;align-items:end;background:#f4f6f8;padding:10px;border-radius:6px}
        .picker label{display:flex;flex-direction:column;font-size:12px;color:#444}.picker select{font-size:14px;padding:4px;max-width:460px}
        .picker button,.suggestion-button{font-size:14px;padding:6px 12px;border-radius:4px;border:1px solid #1f5fa8;background:#1f5fa8;color:#fff;cursor:pointer}
        .columns{display:grid;grid-template-columns:minmax(0,1.15fr) minmax(0,1fr);gap:24px}
        @media (max-width:1100px){.columns{grid-template-columns:1fr}}
        .card{border:1px solid #ccc;border-left:8px solid #1f5fa8;border-radius:6px;padding:10px 14px;margin:0 0 14px;background:#fff;box-shadow:0 1px 2px rgba(0,0,0,.06)}
        .card-warning{border-left-color:#e0a800}.card-critical{border-left-color:#b00020;background:#fff7f7}
        .card header{display:flex;gap:10px;align-items:center}
        .badge{font-size:11px;text-transform:uppercase;font-weight:700;padding:2px 8px;border-radius:10px;color:#fff;background:#1f5fa8}
        .card-warning .badge{background:#e0a800;color:#1b1b1b}.card-critical .badge{background:#b00020}
        .detail table,.evidence,.assessment,.assessment table{border-collapse:collapse;margin:6px 0;font-size:13px}
        .detail th,.detail td,.evidence th,.evidence td,.assessment th,.assessment td{border:1px solid #ddd;padding:3px 6px;text-align:left;vertical-align:top}
        .suggestion{margin:6px 0}.suggestion-button{background:#fff;color:#1f5fa8}.suggestion-button.recommended{background:#1f5fa8;color:#fff}
        .star{font-size:12px}.actions{margin:4px 0 0;padding-left:20px;font-size:13px}.action-type{font-weight:600;text-transform:uppercase;font-size:11px}
        .meta,.source,figcaption{color:#555;font-size:12px}.override{display:block;margin-top:8px;font-size:13px}
        .notice,.outcome{background:#fdecea;border:1px solid #e5a9a3;padding:8px 12px;border-radius:4px}.empty{color:#555;font-style:italic}
        .lab-chart{max-width:100%;height:auto;font-size:11px}.lab-chart .axis-label{font-weight:600;font-size:12px}.lab-chart .value{font-size:10px;fill:#333}
        pre{background:#f6f8fa;padding:8px;overflow:auto;max-height:480px;font-size:12px}
        """;
}
