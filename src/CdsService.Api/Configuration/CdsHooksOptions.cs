using System.ComponentModel.DataAnnotations;

namespace CdsService.Api.Configuration;

/// <summary>
/// The <c>CdsHooks</c> configuration section: the documented public contract of the service (docs/configuration.md).
/// Validated at start (<see cref="CdsHooksOptionsValidator"/>): a bad trust or limit setting must stop the service, not
/// weaken it silently.
/// </summary>
public sealed class CdsHooksOptions
{
    public const string SectionName = "CdsHooks";

    /// <summary>
    /// The base URL the EHR calls (scheme, host, port and any path before <c>/cds-services</c>), e.g.
    /// <c>https://cds.example.org</c>. The JWT <c>aud</c> must equal this plus the request path (spec §Trusting CDS
    /// Clients: "the exact URL invoked"). When empty, the URL is taken from the request itself, which is only right when
    /// no reverse proxy rewrites scheme, host or path.
    /// </summary>
    public string? PublicBaseUrl { get; set; }

    /// <summary>The CDS clients (EHRs) trusted to call the service. None configured: every call is 401.</summary>
    public IList<CdsClientOptions> Clients { get; init; } = [];

    /// <summary>Browser origins allowed by CORS (the CDS Hooks sandbox is browser-based). Empty: no CORS headers.</summary>
    public IList<string> AllowedOrigins { get; init; } = [];

    public FeedbackOptions Feedback { get; init; } = new();

    public LimitOptions Limits { get; init; } = new();
}

/// <summary>One trusted CDS client: <c>CdsHooks:Clients:N</c>.</summary>
public sealed class CdsClientOptions
{
    /// <summary>The <c>iss</c> value the client puts in its JWTs. Unique across clients.</summary>
    public string? Issuer { get; set; }

    /// <summary>https URL of the client's JWK Set. Exactly one of JwksUri and JwksFile.</summary>
    public string? JwksUri { get; set; }

    /// <summary>Path of a JWK Set file (keys exchanged out of band). Exactly one of JwksUri and JwksFile.</summary>
    public string? JwksFile { get; set; }

    /// <summary>When set, the JWT <c>tenant</c> claim must equal it.</summary>
    public string? Tenant { get; set; }

    /// <summary>FHIR base URLs this client may point the service to (<c>fhirServer</c>); nothing else is contacted.</summary>
    public IList<string> FhirServers { get; init; } = [];

    /// <summary>
    /// Further JWK Set URLs a token's <c>jku</c> header may name (key rotation to a new URL). The JwksUri is always
    /// allowed; any other <c>jku</c> is refused without being fetched (it would be an SSRF and key-substitution vector).
    /// </summary>
    public IList<string> AllowedJku { get; init; } = [];
}

/// <summary><c>CdsHooks:Feedback</c>.</summary>
public sealed class FeedbackOptions
{
    /// <summary>
    /// Path of the SQLite feedback database. Default: <c>cds-hypogonadism/feedback.db</c> under the local
    /// application-data folder (or the temp folder when there is none).
    /// </summary>
    public string? SqlitePath { get; set; }

    /// <summary>
    /// Whether <c>overrideReason.userComment</c> is stored. Default false: a comment is free text and may hold PHI.
    /// </summary>
    public bool StoreComments { get; set; }
}

/// <summary><c>CdsHooks:Limits</c>: bounded resources (OWASP API4).</summary>
public sealed class LimitOptions
{
    /// <summary>Largest accepted request body in bytes; larger → 413. The default value is 1048576 (1 MB).</summary>
    [Range(1024, 64 * 1024 * 1024)]
    public int MaxRequestBodyBytes { get; set; } = 1024 * 1024;

    /// <summary>Deepest accepted JSON nesting; deeper → 400. The default value is 64 (FHIR resources need ~10).</summary>
    [Range(16, 256)]
    public int MaxJsonDepth { get; set; } = 64;

    /// <summary>How many jti values the in-memory replay cache holds; when full, tokens are refused. The default value is 100000.</summary>
    [Range(1000, 10_000_000)]
    public int ReplayCacheCapacity { get; set; } = 100_000;
}
