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
}
