using System.Text.Json.Nodes;
using System.Text.Json.Serialization;

namespace CdsService.Protocol;

// Wire contracts of a CDS Hooks 2.0 response (spec §Card Attributes). Serialised with
// JsonIgnoreCondition.WhenWritingNull and empty lists as null: the spec forbids null or empty optional members.

/// <summary>The body of a 200 answer to a hook call.</summary>
public sealed record CdsResponse
{
    /// <summary>REQUIRED. An array of cards; may be empty.</summary>
    [JsonPropertyName("cards")]
    public required IReadOnlyList<Card> Cards { get; init; }

    /// <summary>OPTIONAL. Actions the EHR applies without a user (not used by this service).</summary>
    [JsonPropertyName("systemActions")]
    public IReadOnlyList<SuggestionAction>? SystemActions { get; init; }

    /// <summary>OPTIONAL. Response-level extension; carries "org.hypogonadism-cds.assessment".</summary>
    [JsonPropertyName("extension")]
    public JsonObject? Extension { get; init; }
}

[JsonConverter(typeof(JsonStringEnumConverter<CardIndicator>))]
public enum CardIndicator
{
    [JsonStringEnumMemberName("info")]
    Info,

    [JsonStringEnumMemberName("warning")]
    Warning,

    [JsonStringEnumMemberName("critical")]
    Critical,
}

public sealed record Card
{
    /// <summary>OPTIONAL but always sent: lets feedback refer to the card.</summary>
    [JsonPropertyName("uuid")]
    public string? Uuid { get; init; }

    /// <summary>REQUIRED. Under 140 characters.</summary>
    [JsonPropertyName("summary")]
    public required string Summary { get; init; }

    /// <summary>OPTIONAL. GitHub-flavoured Markdown.</summary>
    [JsonPropertyName("detail")]
    public string? Detail { get; init; }

    [JsonPropertyName("indicator")]
    public required CardIndicator Indicator { get; init; }

    [JsonPropertyName("source")]
    public required CardSource Source { get; init; }

    [JsonPropertyName("suggestions")]
    public IReadOnlyList<Suggestion>? Suggestions { get; init; }

    /// <summary>"at-most-one" or "any"; REQUIRED when suggestions are present.</summary>
    [JsonPropertyName("selectionBehavior")]
    public string? SelectionBehavior { get; init; }

    [JsonPropertyName("overrideReasons")]
    public IReadOnlyList<Coding>? OverrideReasons { get; init; }

    [JsonPropertyName("links")]
    public IReadOnlyList<Link>? Links { get; init; }
}

public sealed record CardSource
{
    [JsonPropertyName("label")]
    public required string Label { get; init; }

    [JsonPropertyName("url")]
    public string? Url { get; init; }

    [JsonPropertyName("icon")]
    public string? Icon { get; init; }

    [JsonPropertyName("topic")]
    public Coding? Topic { get; init; }
}

public sealed record Coding
{
    [JsonPropertyName("system")]
    public string? System { get; init; }

    [JsonPropertyName("code")]
    public required string Code { get; init; }

    [JsonPropertyName("display")]
    public string? Display { get; init; }
}

public sealed record Suggestion
{
    [JsonPropertyName("label")]
    public required string Label { get; init; }

    [JsonPropertyName("uuid")]
    public string? Uuid { get; init; }

    [JsonPropertyName("isRecommended")]
    public bool? IsRecommended { get; init; }

    [JsonPropertyName("actions")]
    public IReadOnlyList<SuggestionAction>? Actions { get; init; }
}

public sealed record SuggestionAction
{
    /// <summary>"create", "update" or "delete".</summary>
    [JsonPropertyName("type")]
    public required string Type { get; init; }

    [JsonPropertyName("description")]
    public required string Description { get; init; }

    /// <summary>The FHIR resource for create/update: R4 JSON in Firely's member order, checked against Firely's serializer and strict parser in the unit tests.</summary>
    [JsonPropertyName("resource")]
    public JsonNode? Resource { get; init; }

    /// <summary>For delete: "ResourceType/id".</summary>
    [JsonPropertyName("resourceId")]
    public string? ResourceId { get; init; }
}

public sealed record Link
{
    [JsonPropertyName("label")]
    public required string Label { get; init; }

    /// <summary>Absolute URL.</summary>
    [JsonPropertyName("url")]
    public required string Url { get; init; }

    /// <summary>"absolute" or "smart".</summary>
    [JsonPropertyName("type")]
    public required string Type { get; init; }

    [JsonPropertyName("appContext")]
    public string? AppContext { get; init; }
}
