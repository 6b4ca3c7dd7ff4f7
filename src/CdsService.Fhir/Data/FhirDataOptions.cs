using System.ComponentModel.DataAnnotations;

namespace CdsService.Fhir.Data;

/// <summary>
/// Limits and policy for reading FHIR data (configuration section <c>Fhir</c>). These are safety settings: a bad
/// value stops startup (validated on start) rather than weakening a limit at run time.
/// </summary>
public sealed class FhirDataOptions
{
    public const string SectionName = "Fhir";

    /// <summary>
    /// One deadline for everything fetched for a hook call (all queries and pages together). Past it the call is a
    /// 412, well inside the 5 s after which EHRs abandon a service (security brief, Da Vinci CRD). Default 2 s.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:00.100", "00:00:30")]
    public TimeSpan Deadline { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>Timeout of one HTTP attempt, so a retry still fits in the deadline. Default 1 s.</summary>
    [Range(typeof(TimeSpan), "00:00:00.050", "00:00:30")]
    public TimeSpan AttemptTimeout { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>Retries after a 5xx, 408, 429 or transport error (GETs only; idempotent). Default 1.</summary>
    [Range(0, 3)]
    public int MaxRetries { get; set; } = 1;

    /// <summary>
    /// Search pages read per query, the first included. A query with more pages is a 412, not a silently truncated
    /// answer that could miss the result that decides the advice (docs/security.md §5). Default 5.
    /// </summary>
    [Range(1, 50)]
    public int MaxPages { get; set; } = 5;

    /// <summary>Resources read per hook call over all queries, prefetch included (docs/security.md §5 Limits). Default 2000.</summary>
    [Range(10, 100_000)]
    public int MaxResources { get; set; } = 2000;

    /// <summary>Largest FHIR response body accepted, in bytes. Default 4 MiB.</summary>
    [Range(1024, 256L * 1024 * 1024)]
    public long MaxResponseBytes { get; set; } = 4L * 1024 * 1024;

    /// <summary>
    /// Allow plain <c>http</c> to a loopback FHIR server (127.0.0.0/8, ::1, localhost). The Api sets this outside
    /// Production only, for the local sandbox and tests; in Production every fhirServer must be https (the bearer token
    /// must never cross the network in clear; docs/security.md §4).
    /// Default false.
    /// </summary>
    public bool AllowHttpLoopback { get; set; }
}
