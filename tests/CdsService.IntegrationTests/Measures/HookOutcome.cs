using System.Text.Json.Nodes;

namespace CdsService.IntegrationTests.Measures;

/// <summary>One card as a reviewer counts it.</summary>
/// <param name="Indicator">critical, warning or info (CDS Hooks 2.0 §Card).</param>
/// <param name="Kind">
/// The card type: <c>source.topic.code</c> (CodeSystem https://hypogonadism-cds.org/CodeSystem/card-topic, one code per
/// card kind; docs/cards.md). It is the stable identifier, unlike the uuid (derived per call) and the summary (worded
/// per patient).
/// </param>
/// <param name="ChangesOrder">
/// True when one of its suggestions deletes or updates a drafted order of this call: accepting it changes what is
/// signed. A suggestion that only adds something (a lab order, a referral) leaves the drafted order as it is.
/// </param>
/// <param name="Summary">The card's summary line.</param>
internal sealed record CardOutcome(string Indicator, string Kind, bool ChangesOrder, string Summary)
{
    /// <summary>critical or warning: the cards that interrupt the prescriber.</summary>
    public bool Interrupts => Indicator is "critical" or "warning";

    public const string NoTopic = "(no source.topic)";
}

/// <summary>What one hook answer says, read from the wire only (so the measures work against any engine version).</summary>
internal sealed record HookOutcome(
    string Classification,
    string Recommendation,
    IReadOnlyList<string> Causes,
    IReadOnlyList<string> Contraindications,
    IReadOnlyList<string> MissingData,
    IReadOnlyList<CardOutcome> Cards)
{
    /// <summary>Placeholder for a member the answer did not carry (e.g. no assessment extension).</summary>
    public const string Absent = "(absent)";

    /// <summary>Reads a 200 response body; <paramref name="draftOrderIds"/> are the ids in context.draftOrders.</summary>
    public static HookOutcome Read(JsonNode response, IReadOnlyCollection<string> draftOrderIds)
    {
        ArgumentNullException.ThrowIfNull(response);
        var assessment = response["extension"]?[CdsService.Cards.AssessmentExtension.Key] as JsonObject;
        var cards = (response["cards"] as JsonArray ?? [])
            .OfType<JsonObject>()
            .Select(card => new CardOutcome(
                (string?)card["indicator"] ?? Absent,
                (string?)card["source"]?["topic"]?["code"] ?? CardOutcome.NoTopic,
                ChangesAnOrder(card, draftOrderIds),
                (string?)card["summary"] ?? string.Empty))
            .ToList();
        return new HookOutcome(
            (string?)assessment?["classification"] ?? Absent,
            (string?)assessment?["recommendation"] ?? Absent,
            Codes(assessment?["causes"]),
            Codes(assessment?["trtContraindications"]),
            Codes(assessment?["missingData"]),
            cards);
    }

    /// <summary>The ids of the drafted orders in a request body's context.draftOrders (Bundle or single resource).</summary>
    public static IReadOnlyCollection<string> DraftOrderIds(JsonObject requestBody)
    {
        ArgumentNullException.ThrowIfNull(requestBody);
        var drafts = requestBody["context"]?["draftOrders"];
        var resources = drafts?["entry"] is JsonArray entries
            ? entries.Select(e => e?["resource"])
            : [drafts];
        return [.. resources.OfType<JsonObject>()
            .Where(r => r["id"] is not null)
            .Select(r => $"{(string?)r["resourceType"]}/{(string?)r["id"]}")];
    }

    private static bool ChangesAnOrder(JsonObject card, IReadOnlyCollection<string> draftOrderIds) =>
        (card["suggestions"] as JsonArray ?? [])
            .SelectMany(s => s?["actions"] as JsonArray ?? [])
            .OfType<JsonObject>()
            .Any(action => (string?)action["type"] is "delete" or "update" && draftOrderIds.Contains(Target(action)));

    // CDS Hooks 2.0 §Action: delete names its target in resourceId; update carries the resource itself.
    private static string Target(JsonObject action) =>
        (string?)action["resourceId"]
        ?? (action["resource"] is JsonObject resource ? $"{(string?)resource["resourceType"]}/{(string?)resource["id"]}" : string.Empty);

    private static IReadOnlyList<string> Codes(JsonNode? node) =>
        node is JsonArray array
            ? [.. array.Select(item => item switch
            {
                JsonValue value => value.ToString(),
                JsonObject obj => (string?)obj["code"] ?? obj.ToJsonString(),
                _ => string.Empty,
            })]
            : [];
}
