using System.Text.Json.Serialization;

namespace CdsService.Protocol;

/// <summary>The body of <c>GET /cds-services</c> (CDS Hooks 2.0 §Discovery Response).</summary>
public sealed record DiscoveryResponse
{
    /// <summary>REQUIRED. The services offered (may be empty).</summary>
    [JsonPropertyName("services")]
    public required IReadOnlyList<CdsServiceDescriptor> Services { get; init; }
}

public sealed record CdsServiceDescriptor
{
    /// <summary>REQUIRED. The hook this service is invoked on.</summary>
    [JsonPropertyName("hook")]
    public required string Hook { get; init; }

    /// <summary>RECOMMENDED. Human-friendly name.</summary>
    [JsonPropertyName("title")]
    public string? Title { get; init; }

    /// <summary>REQUIRED. What the service does.</summary>
    [JsonPropertyName("description")]
    public required string Description { get; init; }

    /// <summary>REQUIRED. The {id} of <c>{baseUrl}/cds-services/{id}</c>.</summary>
    [JsonPropertyName("id")]
    public required string Id { get; init; }

    /// <summary>OPTIONAL. Key → FHIR query template the client should run before calling.</summary>
    [JsonPropertyName("prefetch")]
    public IReadOnlyDictionary<string, string>? Prefetch { get; init; }

    /// <summary>OPTIONAL. Human-readable preconditions (who the service is for, what it needs).</summary>
    [JsonPropertyName("usageRequirements")]
    public string? UsageRequirements { get; init; }
}
