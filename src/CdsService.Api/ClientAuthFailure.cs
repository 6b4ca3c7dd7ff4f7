namespace CdsService.Api;

/// <summary>
/// Why a client or admin token was refused; logged (one event per refusal, its Reason property), never sent to the
/// caller. Shared by client trust, the admin API and the log catalogue.
/// </summary>
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

    /// <summary>The issuer's clients are configured per tenant and the token names none.</summary>
    MissingTenant,

    /// <summary>The header lists a <c>crit</c> extension; the service understands none (RFC 7515 §4.1.11).</summary>
    UnsupportedCriticalHeader,

    /// <summary>The only keys with this kid are bound (JWK <c>alg</c>) to another algorithm than the token's.</summary>
    KeyAlgorithmMismatch,
}
