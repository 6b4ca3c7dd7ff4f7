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
    /// <summary>
    /// The <c>iss</c> value the client puts in its JWTs. Several entries may share an issuer (Oracle Health: one issuer
    /// for every tenant) when each has a distinct <see cref="Tenant"/>.
    /// </summary>
    public string? Issuer { get; set; }

    /// <summary>https URL of the client's JWK Set. Exactly one of JwksUri and JwksFile.</summary>
    public string? JwksUri { get; set; }

    /// <summary>Path of a JWK Set file (keys exchanged out of band). Exactly one of JwksUri and JwksFile.</summary>
    public string? JwksFile { get; set; }

    /// <summary>
    /// When set, the JWT <c>tenant</c> claim must equal it. Each configured tenant has its own FHIR allowlist and rate
    /// budget; a client without one has one budget whatever <c>tenant</c> its tokens carry.
    /// </summary>
    public string? Tenant { get; set; }

    /// <summary>FHIR base URLs this client may point the service to (<c>fhirServer</c>); nothing else is contacted.</summary>
    public IList<string> FhirServers { get; init; } = [];

    /// <summary>
    /// Further JWK Set URLs a token's <c>jku</c> header may name (key rotation to a new URL). The JwksUri is always
    /// allowed; any other <c>jku</c> is refused without being fetched (it would be an SSRF and key-substitution vector).
    /// </summary>
    public IList<string> AllowedJku { get; init; } = [];

    /// <summary>
    /// <c>jku</c> URLs answered from a local key file instead of being fetched (the URL is only matched, never
    /// contacted): for a client that always sends a <c>jku</c> whose host the service cannot or must not reach, such as
    /// the CDS Hooks sandbox in a network without internet access.
    /// </summary>
    public IList<PinnedJkuOptions> PinnedJku { get; init; } = [];

    /// <summary>
    /// https URL of a document that lists the client's key-set URLs (Oracle Health: <c>https://authorization.cerner.com/jwk</c>,
    /// "confirm the token JKU is present"). A token's <c>jku</c> listed there is accepted and its key set fetched; the
    /// list is cached and re-read like a JWK Set. Every https URL in the document counts as listed.
    /// </summary>
    public string? JkuListUri { get; set; }
}

/// <summary>One <c>CdsHooks:Clients:N:PinnedJku:M</c>: a <c>jku</c> value and the local JWK Set file that answers for it.</summary>
public sealed class PinnedJkuOptions
{
    /// <summary>The exact <c>jku</c> header value.</summary>
    public string? Url { get; set; }

    /// <summary>Path of the JWK Set file holding that URL's keys.</summary>
    public string? File { get; set; }
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

    /// <summary>
    /// How many token ids the replay cache holds, split evenly between the configured issuers (each issuer has its own
    /// share, so one client cannot fill it for the others); an issuer whose share is full of live entries has its new
    /// tokens refused. Sized for Epic-shaped tokens (15 min + 60 s skew): 1,000,000 holds ~1,040 calls/s of one
    /// issuer per instance (docs/configuration.md §Replay cache). The default value is 1000000.
    /// </summary>
    [Range(1000, 10_000_000)]
    public int ReplayCacheCapacity { get; set; } = 1_000_000;

    /// <summary>
    /// Longest accepted token lifetime (<c>exp − iat</c>); longer → 401 <c>LifetimeTooLong</c>. It bounds how long the
    /// replay cache must remember a token. The spec sets none; Epic's tokens live 900 s, the sandbox's and Inferno's
    /// 300 s. The default value is 15 minutes.
    /// </summary>
    [Range(typeof(TimeSpan), "00:01:00", "01:00:00")]
    public TimeSpan MaxTokenLifetime { get; set; } = TimeSpan.FromMinutes(15);

    /// <summary>
    /// Connections Kestrel keeps open at once (idle keep-alive ones included); more wait in the listen backlog. Bounds
    /// the memory and sockets a flood of idle connections can hold. The default value is 2000.
    /// </summary>
    [Range(16, 1_000_000)]
    public long MaxConcurrentConnections { get; set; } = 2_000;
}
