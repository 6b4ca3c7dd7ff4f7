using CdsService.Protocol;

namespace CdsService.Api.Security;

/// <summary>The authenticated caller of this request, set once the client JWT passed every check.</summary>
public interface ICallerTrustFeature
{
    CallerTrust Caller { get; }

    /// <summary>The token's jti: an opaque nonce, safe to log, that lets the client find the call in its own logs.</summary>
    string? TokenId { get; }

    /// <summary>The rate-limit partition of the configured client (<see cref="TrustedClient.RatePartition"/>).</summary>
    string RatePartition { get; }

    /// <summary>The token's exp: its jti is remembered until then (plus clock skew) once the call is let through.</summary>
    DateTimeOffset TokenExpiresAt { get; }
}

public sealed record CallerTrustFeature(CallerTrust Caller, string RatePartition, string? TokenId, DateTimeOffset TokenExpiresAt) : ICallerTrustFeature;

public static class CallerTrustExtensions
{
    /// <summary>
    /// The trusted caller. Throws when absent: the endpoints that call this require authorization, so absence is a
    /// wiring bug and must not degrade to "anonymous" (which would mean no FHIR allowlist).
    /// </summary>
    public static CallerTrust GetCallerTrust(this HttpContext httpContext)
    {
        ArgumentNullException.ThrowIfNull(httpContext);
        return httpContext.Features.Get<ICallerTrustFeature>()?.Caller
            ?? throw new InvalidOperationException("No authenticated CDS client on this request.");
    }
}
