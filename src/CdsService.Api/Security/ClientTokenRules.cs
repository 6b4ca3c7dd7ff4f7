using System.Collections.Frozen;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace CdsService.Api.Security;

/// <summary>
/// The fixed rules for client JWTs (CDS Hooks 2.0 §Trusting CDS Clients; cds-hooks.org best practices "JWT";
/// docs/security.md §3). One place, so a review of "what do we accept" reads one file.
/// </summary>
public static class ClientTokenRules
{
    /// <summary>Tolerated clock difference for exp, nbf and iat (60 s, as docs/configuration.md §Client trust documents).</summary>
    public static readonly TimeSpan ClockSkew = TimeSpan.FromSeconds(60);

    /// <summary>
    /// The most <c>CdsHooks:Limits:MaxTokenLifetime</c> (exp − iat) may be set to. Best practices: jti is remembered for
    /// the token lifetime, which "should be no more than an hour". The default limit is 15 minutes (Epic's 900 s tokens).
    /// </summary>
    public static readonly TimeSpan MaxLifetime = TimeSpan.FromHours(1);

    /// <summary>A JWK Set is re-read on an unknown kid at most this often (docs/security.md §3), so a flood of bad kids cannot turn the service into a fetch amplifier.</summary>
    public static readonly TimeSpan KeySetRefreshInterval = TimeSpan.FromMinutes(1);

    /// <summary>Keys older than this are re-read even for a known kid, so a revoked key stops working without a restart.</summary>
    public static readonly TimeSpan KeySetMaxAge = TimeSpan.FromHours(1);

    /// <summary>
    /// The keys of a JWK Set that can verify a token, by kid: RSA or EC (asymmetric only), meant for signatures (or
    /// unmarked), with a kid to select them by. The same rule for CDS clients and the admin client.
    /// </summary>
    /// <param name="jwksJson">The JWK Set document.</param>
    /// <param name="refusePublished">Leave out keys whose private half is public (<see cref="PublishedKeys"/>): set in Production.</param>
    public static FrozenDictionary<string, SecurityKey[]> SigningKeysByKid(string jwksJson, bool refusePublished = false) =>
        new JsonWebKeySet(jwksJson).Keys
            .Where(k => k.Kty is JsonWebAlgorithmsKeyTypes.RSA or JsonWebAlgorithmsKeyTypes.EllipticCurve)
            .Where(k => !refusePublished || !PublishedKeys.IsPublished(k))
            .Where(k => string.IsNullOrEmpty(k.Use) || k.Use == JsonWebKeyUseNames.Sig)
            .Where(k => !string.IsNullOrEmpty(k.Kid))
            .GroupBy(k => k.Kid, StringComparer.Ordinal)
            .ToFrozenDictionary(g => g.Key, g => g.Cast<SecurityKey>().ToArray(), StringComparer.Ordinal);

    /// <summary>Deadline of one JWK Set fetch.</summary>
    public static readonly TimeSpan KeySetFetchTimeout = TimeSpan.FromSeconds(5);

    /// <summary>Largest JWK Set accepted (a real one is a few kB).</summary>
    public const int KeySetMaxBytes = 64 * 1024;

    /// <summary>The only accepted <c>typ</c> header (spec: "typ: JWT" REQUIRED).</summary>
    public const string TokenType = "JWT";

    /// <summary>
    /// <c>typ</c> is a media type without its "application/" prefix, and media types compare case-insensitively
    /// (RFC 7515 §4.1.9), so "jwt" is the same as "JWT". Throws the library's type exception otherwise.
    /// </summary>
    public static string ValidateType(string? type) =>
        string.Equals(type, TokenType, StringComparison.OrdinalIgnoreCase)
            ? type!
            : throw new SecurityTokenInvalidTypeException("The token's typ is not JWT.") { InvalidType = type };

    /// <summary>
    /// Whether the header has a <c>crit</c> parameter. The service implements no JWS extension, and RFC 7515 §4.1.11
    /// says a recipient that does not understand a listed extension MUST reject the token.
    /// </summary>
    public static bool HasCriticalHeader(JsonWebToken jwt)
    {
        ArgumentNullException.ThrowIfNull(jwt);
        using var header = System.Text.Json.JsonDocument.Parse(Base64UrlEncoder.DecodeBytes(jwt.EncodedHeader));
        return header.RootElement.ValueKind == System.Text.Json.JsonValueKind.Object
            && header.RootElement.TryGetProperty("crit", out _);
    }

    /// <summary>
    /// Whether a key may verify a token signed with <paramref name="algorithm"/>: a JWK that names its <c>alg</c> is for
    /// that algorithm only (RFC 7517 §4.4), so a key published for ES384 cannot be used with ES256 or PS384.
    /// </summary>
    public static bool KeyAllows(SecurityKey key, string? algorithm) =>
        key is not JsonWebKey { Alg: { Length: > 0 } keyAlgorithm } || string.Equals(keyAlgorithm, algorithm, StringComparison.Ordinal);

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

    /// <summary>
    /// Asymmetric algorithms only: the spec says none and symmetric (HMAC) algorithms SHALL NOT be used, and recommends
    /// ES384 and RS384. The SHA-256/512 and PSS variants are accepted for clients such as the older sandbox (ES256).
    /// </summary>
    /// <summary>
    /// The claim checks every client-signed token gets after its signature (CDS client and admin client alike), in the
    /// order of the best practices: aud is the exact URL invoked (ordinal: localhost ≠ 127.0.0.1, ports count), iat
    /// present and not in the future, exp − iat within <paramref name="maxLifetime"/> (CdsHooks:Limits:MaxTokenLifetime,
    /// which bounds how long the replay cache must remember the token), jti present.
    /// </summary>
    public static ClientAuthFailure? CheckCommonClaims(JsonWebToken jwt, string expectedAudience, DateTimeOffset now, TimeSpan maxLifetime)
    {
        ArgumentNullException.ThrowIfNull(jwt);
        if (!jwt.Audiences.Contains(expectedAudience, StringComparer.Ordinal))
        {
            return ClientAuthFailure.AudienceMismatch;
        }

        if (!jwt.TryGetPayloadValue<long>(JwtRegisteredClaimNames.Iat, out var iatSeconds))
        {
            return ClientAuthFailure.MissingIssuedAt;
        }

        var issuedAt = DateTimeOffset.FromUnixTimeSeconds(iatSeconds);
        if (issuedAt > now + ClockSkew)
        {
            return ClientAuthFailure.IssuedInFuture;
        }

        if (new DateTimeOffset(jwt.ValidTo, TimeSpan.Zero) - issuedAt > maxLifetime)
        {
            return ClientAuthFailure.LifetimeTooLong;
        }

        return string.IsNullOrWhiteSpace(jwt.Id) ? ClientAuthFailure.MissingJti : null;
    }

    /// <summary>
    /// The URL the client invoked, as it sees it: CdsHooks:PublicBaseUrl (set it behind a proxy or load balancer) plus
    /// the path, else scheme, host and path of this request. Never the query string.
    /// </summary>
    public static string ExpectedAudience(HttpRequest request, string? publicBaseUrl)
    {
        ArgumentNullException.ThrowIfNull(request);
        return string.IsNullOrWhiteSpace(publicBaseUrl)
            ? $"{request.Scheme}://{request.Host.ToUriComponent()}{request.PathBase.Add(request.Path).ToUriComponent()}"
            : publicBaseUrl.TrimEnd('/') + request.Path.ToUriComponent();
    }

    /// <summary>The refusal reason for a library validation exception, so the log names the specific failure.</summary>
    public static ClientAuthFailure FailureOf(Exception? exception) => exception switch
    {
        SecurityTokenExpiredException => ClientAuthFailure.Expired,
        SecurityTokenNotYetValidException => ClientAuthFailure.NotYetValid,
        SecurityTokenNoExpirationException => ClientAuthFailure.MissingExpiry,
        SecurityTokenSignatureKeyNotFoundException => ClientAuthFailure.UnknownKid,
        SecurityTokenInvalidSignatureException => ClientAuthFailure.InvalidSignature,
        SecurityTokenInvalidAlgorithmException => ClientAuthFailure.DisallowedAlgorithm,
        SecurityTokenInvalidTypeException => ClientAuthFailure.InvalidType,
        SecurityTokenInvalidIssuerException => ClientAuthFailure.UnknownIssuer,
        SecurityTokenMalformedException => ClientAuthFailure.Malformed,
        _ => ClientAuthFailure.InvalidToken,
    };

    /// <summary>A replay check's answer as a refusal reason; an unavailable cache refuses (fail closed).</summary>
    public static ClientAuthFailure? FailureOf(ReplayCheck check) => check switch
    {
        ReplayCheck.FirstUse => null,
        ReplayCheck.Replayed => ClientAuthFailure.ReplayedJti,
        _ => ClientAuthFailure.ReplayCacheUnavailable,
    };

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
