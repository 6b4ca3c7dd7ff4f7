using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace CdsService.Cli;

/// <summary>
/// Prints a CDS Hooks response for a terminal: each card's indicator, summary, detail (Markdown made plain: emphasis
/// markers dropped, links as "label &lt;url&gt;", tables kept as the readable pipe text they are), suggestions with their
/// actions, links, override reasons and source; then the assessment extension. No colour codes, so the output can be
/// piped and diffed.
/// </summary>
public static partial class CardPrinter
{
    private const string AssessmentKey = "org.hypogonadism-cds.assessment";

    public static void Print(JsonNode? response, TextWriter output)
    {
        ArgumentNullException.ThrowIfNull(output);
        var cards = (response?["cards"] as JsonArray ?? []).OfType<JsonObject>().ToList();
        if (cards.Count == 0)
        {
            output.WriteLine("No cards (the service has no advice for this call).");
        }

        foreach (var card in cards)
        {
            PrintCard(card, output);
        }

        if (response?["extension"]?[AssessmentKey] is JsonObject assessment)
        {
            output.WriteLine("Assessment (" + AssessmentKey + ")");
            foreach (var (name, value) in assessment)
            {
                if (value is JsonArray array && array.All(v => v is JsonObject))
                {
                    output.WriteLine($"  {name}:");
                    foreach (var row in array.OfType<JsonObject>())
                    {
                        output.WriteLine("    - " + string.Join("; ", row.Select(p => $"{p.Key}: {Plain(p.Value)}")));
                    }
                }
                else
                {
                    output.WriteLine($"  {name}: {Plain(value)}");
                }
            }
        }
    }

    /// <summary>An OperationOutcome (400/401/412…) as lines: status, then each issue.</summary>
    public static void PrintError(int statusCode, JsonNode? body, TextWriter output)
    {
        ArgumentNullException.ThrowIfNull(output);
        output.WriteLine($"HTTP {statusCode}" + (statusCode == 412 ? ": the service could not obtain the data it needs (no advice is not \"all clear\")." : string.Empty));
        foreach (var issue in (body?["issue"] as JsonArray ?? []).OfType<JsonObject>())
        {
            var expressions = string.Join(", ", (issue["expression"] as JsonArray ?? []).Select(Plain));
            output.WriteLine($"  {Str(issue, "severity")}/{Str(issue, "code")}: {Str(issue, "diagnostics") ?? Str(issue["details"] as JsonObject, "text")}"
                + (expressions.Length > 0 ? $" [{expressions}]" : string.Empty));
        }
    }

    private static void PrintCard(JsonObject card, TextWriter output)
    {
        output.WriteLine($"[{(Str(card, "indicator") ?? "info").ToUpperInvariant()}] {Str(card, "summary")}");
        if (Str(card, "detail") is { } detail)
        {
            foreach (var line in PlainMarkdown(detail).Split('\n'))
            {
                output.WriteLine(line.Length == 0 ? string.Empty : "    " + line);
            }
        }

        var suggestions = (card["suggestions"] as JsonArray ?? []).OfType<JsonObject>().ToList();
        if (suggestions.Count > 0)
        {
            output.WriteLine($"  Suggestions ({Str(card, "selectionBehavior") ?? "any"}):");
            foreach (var suggestion in suggestions)
            {
                var recommended = suggestion["isRecommended"] is JsonValue r && r.GetValueKind() == JsonValueKind.True;
                output.WriteLine($"  -> {Str(suggestion, "label")}{(recommended ? " (recommended)" : string.Empty)}");
                foreach (var action in (suggestion["actions"] as JsonArray ?? []).OfType<JsonObject>())
                {
                    var target = Str(action, "resourceId") ?? ResourceSummary(action["resource"] as JsonObject);
                    output.WriteLine($"       {Str(action, "type")}: {Str(action, "description")} ({target})");
                }
            }
        }

        foreach (var link in (card["links"] as JsonArray ?? []).OfType<JsonObject>())
        {
            output.WriteLine($"  Link: {Str(link, "label")} <{Str(link, "url")}>");
        }

        var reasons = (card["overrideReasons"] as JsonArray ?? []).OfType<JsonObject>().Select(r => Str(r, "display") ?? Str(r, "code")).ToList();
        if (reasons.Count > 0)
        {
            output.WriteLine("  Override reasons: " + string.Join("; ", reasons));
        }

        if (card["source"] is JsonObject source)
        {
            output.WriteLine($"  Source: {Str(source, "label")}" + (Str(source, "url") is { } url ? $" <{url}>" : string.Empty));
        }

        output.WriteLine();
    }

    /// <summary>GFM made terminal-readable: **bold**/_em_/`code` markers dropped, [label](url) → label &lt;url&gt;.</summary>
    public static string PlainMarkdown(string markdown)
    {
        ArgumentNullException.ThrowIfNull(markdown);
        var text = MarkdownLink().Replace(markdown.Replace("\r\n", "\n", StringComparison.Ordinal), "$1 <$2>");
        text = Strong().Replace(text, "$2");

        // Backslash escapes of punctuation are Markdown syntax, not text; \| stays so table rows keep their columns.
        text = Escaped().Replace(text, "$1");
        return text.Replace("`", string.Empty, StringComparison.Ordinal).TrimEnd();
    }

    private static string ResourceSummary(JsonObject? resource)
    {
        if (resource is null)
        {
            return "no resource";
        }

        var concept = (resource["medicationCodeableConcept"] ?? resource["code"]) as JsonObject;
        var text = Str(concept, "text") ?? (concept?["coding"] as JsonArray)?.OfType<JsonObject>().Select(c => Str(c, "display")).FirstOrDefault();
        return text is null ? Str(resource, "resourceType") ?? "resource" : $"{Str(resource, "resourceType")}: {text}";
    }

    private static string Plain(JsonNode? node) => node switch
    {
        null => "null",
        JsonArray array => string.Join(", ", array.Select(Plain)),
        JsonValue value when value.GetValueKind() == JsonValueKind.String => value.GetValue<string>(),
        _ => node.ToJsonString(),
    };

    private static string? Str(JsonObject? obj, string name) =>
        obj?[name] is JsonValue value && value.GetValueKind() == JsonValueKind.String ? value.GetValue<string>() : null;

    [GeneratedRegex(@"!?\[([^\]]*)\]\(([^)\s]+)\)", RegexOptions.CultureInvariant)]
    private static partial Regex MarkdownLink();

    [GeneratedRegex(@"(\*\*|__)(.+?)\1", RegexOptions.CultureInvariant)]
    private static partial Regex Strong();

    [GeneratedRegex(@"\\([\\`*_{}\[\]()#+\-.!<>])", RegexOptions.CultureInvariant)]
    private static partial Regex Escaped();
}
