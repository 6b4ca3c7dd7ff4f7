using System.Text.Json;
using System.Text.RegularExpressions;
using CdsService.Protocol;
using Hl7.Fhir.Model;
using Hl7.Fhir.Serialization;

namespace CdsService.UnitTests.Cards;

/// <summary>The rules every card must keep (CDS Hooks 2.0 §Card and invariants cds-resp-1..6; no raw HTML in
/// the Markdown detail, since some clients render it).</summary>
internal static partial class CardAssertions
{
    private static readonly JsonSerializerOptions StrictFhir = new JsonSerializerOptions().ForFhir().UsingMode(DeserializationMode.Strict);

    public static void WellFormed(Card card, string patientId)
    {
        Assert.True(card.Summary.Length < 140, $"Summary has {card.Summary.Length} characters: {card.Summary}");
        Assert.False(string.IsNullOrWhiteSpace(card.Summary));
        Assert.True(Guid.TryParse(card.Uuid, out _), $"Card uuid '{card.Uuid}' is not a UUID.");

        Assert.False(string.IsNullOrWhiteSpace(card.Source.Label));
        Assert.True(Uri.TryCreate(card.Source.Url, UriKind.Absolute, out _), "source.url must be absolute.");
        Assert.NotNull(card.Source.Topic);
        Assert.Equal("https://hypogonadism-cds.org/CodeSystem/card-topic", card.Source.Topic!.System);
        Assert.False(string.IsNullOrEmpty(card.Source.Topic.Display));

        Assert.NotNull(card.Detail);
        NoRawHtml(card.Detail!);

        Assert.NotNull(card.Links);
        Assert.All(card.Links!, link =>
        {
            Assert.Equal("absolute", link.Type);
            Assert.True(Uri.TryCreate(link.Url, UriKind.Absolute, out _), $"Link '{link.Url}' is not absolute.");
        });
        Assert.Contains(card.Links!, link => link.Url.EndsWith("/docs/hypogonadism-rules", StringComparison.Ordinal));

        if (card.OverrideReasons is not null)
        {
            Assert.NotEmpty(card.OverrideReasons);
            Assert.All(card.OverrideReasons, reason =>
            {
                // HL7's override-reason codes, or the service's own CodeSystem where they have no fitting code.
                Assert.Contains(reason.System, (string[])["http://terminology.hl7.org/CodeSystem/non-adherence-reason-codes",
                    "https://hypogonadism-cds.org/CodeSystem/org.hypogonadism-cds"]);
                Assert.False(string.IsNullOrEmpty(reason.Display)); // cds-resp-4
            });
        }

        if (card.Suggestions is null)
        {
            Assert.Null(card.SelectionBehavior);
            return;
        }

        Assert.NotEmpty(card.Suggestions); // spec: no empty arrays
        Assert.Equal("at-most-one", card.SelectionBehavior); // cds-resp-6
        Assert.True(card.Suggestions.Count(s => s.IsRecommended == true) <= 1); // cds-resp-1
        Assert.Equal(card.Suggestions.Count, card.Suggestions.Select(s => s.Uuid).Distinct().Count());
        foreach (var suggestion in card.Suggestions)
        {
            Assert.True(Guid.TryParse(suggestion.Uuid, out _), "Suggestion uuid must be a UUID.");
            Assert.NotNull(suggestion.Actions);
            Assert.NotEmpty(suggestion.Actions!);
            foreach (var action in suggestion.Actions!)
            {
                Assert.False(string.IsNullOrWhiteSpace(action.Description)); // cds-resp-5
                switch (action.Type)
                {
                    case "delete":
                        Assert.Null(action.Resource); // cds-resp-2
                        Assert.Matches("^[A-Za-z]+/[A-Za-z0-9\\-.]+$", action.ResourceId);
                        break;
                    case "create":
                        Assert.Null(action.ResourceId);
                        var resource = ParseR4(action.Resource!);
                        Assert.Equal($"Patient/{patientId}", SubjectOf(resource));
                        break;
                    default:
                        Assert.Fail($"Unexpected action type {action.Type}.");
                        break;
                }
            }
        }
    }

    /// <summary>Parses suggested resource JSON back with Firely in strict mode: it must be valid R4 (cardinality, types, codes).</summary>
    public static Resource ParseR4(System.Text.Json.Nodes.JsonNode node) =>
        JsonSerializer.Deserialize<Resource>(node.ToJsonString(), StrictFhir)
        ?? throw new InvalidOperationException("Resource JSON deserialised to null.");

    public static void NoRawHtml(string markdown)
    {
        // An unescaped angle bracket could open an HTML tag or an autolink; every one must be backslash-escaped.
        Assert.DoesNotMatch(UnescapedAngleBracket(), markdown);
    }

    /// <summary>The evidence table rows (between the header of the "Results used" table and the blank line after it).</summary>
    public static IReadOnlyList<string[]> EvidenceRows(string detail)
    {
        var lines = detail.Split('\n');
        var header = Array.IndexOf(lines, "| Test | Result | Unit | Date | Morning sample | Note |");
        Assert.True(header >= 0, "No evidence table in the card detail.");
        return
        [
            .. lines.Skip(header + 2)
                .TakeWhile(line => line.StartsWith('|'))
                .Select(line => SplitRow(line)),
        ];
    }

    private static string[] SplitRow(string line) =>
        [.. UnescapedPipe().Split(line.Trim().Trim('|')).Select(cell => cell.Trim())];

    private static string? SubjectOf(Resource resource) => resource switch
    {
        MedicationRequest request => request.Subject?.Reference,
        ServiceRequest request => request.Subject?.Reference,
        Observation observation => observation.Subject?.Reference,
        _ => null,
    };

    [GeneratedRegex(@"(?<!\\)[<>]")]
    private static partial Regex UnescapedAngleBracket();

    [GeneratedRegex(@"(?<!\\)\|")]
    private static partial Regex UnescapedPipe();
}
