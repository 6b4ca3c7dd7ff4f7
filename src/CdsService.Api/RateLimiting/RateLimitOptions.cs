using System.ComponentModel.DataAnnotations;

namespace CdsService.Api.RateLimiting;

/// <summary>
/// <c>CdsHooks:RateLimit</c>: per-client limits (OWASP API4 "Unrestricted Resource Consumption"; docs/security.md §5). Two
/// limiters, both must grant: a token bucket per client issuer and tenant (sustained rate with a burst), and a cap on
/// concurrent requests per issuer (protects the FHIR fan-out and the thread pool from one client). The bucket belongs to the
/// configured client — the issuer, or one configured tenant of it — never to a tenant claim the token chose. Nothing is queued:
/// an EHR waits on the prescriber's screen, so a fast 429 with Retry-After beats a slow answer.
/// </summary>
public sealed class RateLimitOptions
{
    public const string SectionName = "CdsHooks:RateLimit";

    /// <summary>Turns the limits off (e.g. behind a gateway that enforces its own). The default value is true.</summary>
    public bool Enabled { get; set; } = true;

    /// <summary>Requests a client (issuer, or configured tenant of an issuer) may burst. The default value is 100.</summary>
    [Range(1, 1_000_000)]
    public int TokenLimit { get; set; } = 100;

    /// <summary>Requests added back to the bucket every <see cref="ReplenishmentPeriod"/>. The default value is 50.</summary>
    [Range(1, 1_000_000)]
    public int TokensPerPeriod { get; set; } = 50;

    /// <summary>How often the bucket is refilled. The default value is 1 second.</summary>
    [Range(typeof(TimeSpan), "00:00:00.100", "01:00:00")]
    public TimeSpan ReplenishmentPeriod { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>Requests of one issuer (all its tenants) in progress at once. The default value is 32.</summary>
    [Range(1, 10_000)]
    public int ConcurrencyLimit { get; set; } = 32;
}
