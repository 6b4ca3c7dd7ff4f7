using Microsoft.IdentityModel.Tokens;

namespace CdsService.Api.Security;

/// <summary>
/// The fixed rules for client JWTs (CDS Hooks 2.0 §Trusting CDS Clients; cds-hooks.org best practices "JWT"; issue 2
/// and issue 6). One place, so a review of "what do we accept" reads one file.
/// </summary>
public static class ClientTokenRules
{
    /// <summary>Tolerated clock difference for exp, nbf and iat (issue 2: 60 s).</summary>
    public static readonly TimeSpan ClockSkew = TimeSpan.FromSeconds(60);

    /// <summary>
    /// Longest accepted exp − iat. Best practices: jti is remembered for the token lifetime, which "should be no more than
    /// an hour"; a longer-lived token would outlive its replay record.
    /// </summary>
    public static readonly TimeSpan MaxLifetime = TimeSpan.FromHours(1);

    /// <summary>A JWK Set is re-read on an unknown kid at most this often (issue 6), so a flood of bad kids cannot turn the service into a fetch amplifier.</summary>
    public static readonly TimeSpan KeySetRefreshInterval = TimeSpan.FromMinutes(1);

    /// <summary>Keys older than this are re-read even for a known kid, so a revoked key stops working without a restart.</summary>
    public static readonly TimeSpan KeySetMaxAge = TimeSpan.FromHours(1);

    /// <summary>Deadline of one JWK Set fetch.</summary>
    public static readonly TimeSpan KeySetFetchTimeout = TimeSpan.FromSeconds(5);

    /// <summary>Largest JWK Set accepted (a real one is a few kB).</summary>
    public const int KeySetMaxBytes = 64 * 1024;

    /// <summary>The only accepted <c>typ</c> header (spec: "typ: JWT" REQUIRED).</summary>
    public const string TokenType = "JWT";

    /// <summary>
    /// Asymmetric algorithms only: the spec says none and symmetric (HMAC) algorithms SHALL NOT be used, and recommends
    /// ES384 and RS384. The SHA-256/512 and PSS variants are accepted for clients such as the older sandbox (ES256).
    /// </summary>
    /// <summary>
    /// exp (required) and nbf (when present) against the injected clock with <see cref="ClockSkew"/>. Replaces the
    /// library's check so "now" is the service's TimeProvider (testable), and throws the library's own exception types
    /// so the refusal reason stays specific.
    /// </summary>
    public static bool ValidateLifetime(DateTime? notBefore, DateTime? expires, TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(time);
        var now = time.GetUtcNow().UtcDateTime;
        if (expires is not { } exp)
        {
            throw new SecurityTokenNoExpirationException("The token has no exp.");
        }

        if (notBefore is { } nbf && nbf > now + ClockSkew)
        {
            throw new SecurityTokenNotYetValidException("The token is not valid yet (nbf).") { NotBefore = nbf };
        }

        if (exp < now - ClockSkew)
        {
            throw new SecurityTokenExpiredException("The token has expired (exp).") { Expires = exp };
        }

        return true;
    }

    public static readonly IReadOnlyList<string> AllowedAlgorithms =
    [
        SecurityAlgorithms.RsaSha384,
        SecurityAlgorithms.EcdsaSha384,
        SecurityAlgorithms.RsaSha256,
        SecurityAlgorithms.RsaSha512,
        SecurityAlgorithms.EcdsaSha256,
        SecurityAlgorithms.EcdsaSha512,
        SecurityAlgorithms.RsaSsaPssSha256,
        SecurityAlgorithms.RsaSsaPssSha384,
        SecurityAlgorithms.RsaSsaPssSha512,
    ];
}

/// <summary>Why a client token was refused; logged (one event per refusal), never sent to the caller.</summary>
public enum ClientAuthFailure
{
    MissingToken,
    NotBearer,
    Malformed,
    DisallowedAlgorithm,
    MissingKid,
    UnknownIssuer,
    JkuNotAllowed,
    UnknownKid,
    InvalidSignature,
    InvalidType,
    MissingExpiry,
    Expired,
    NotYetValid,
    MissingIssuedAt,
    IssuedInFuture,
    LifetimeTooLong,
    AudienceMismatch,
    MissingJti,
    ReplayedJti,
    ReplayCacheUnavailable,
    TenantMismatch,
    InvalidToken,
}
