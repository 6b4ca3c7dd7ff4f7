using CdsService.Api.Configuration;
using CdsService.Api.Logging;
using CdsService.Protocol;
using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace CdsService.Api.Security;

/// <summary>
/// The CDS-Hooks-specific half of client JWT validation, around JwtBearer's signature/lifetime/type checks
/// (spec §Trusting CDS Clients, best practices "JWT", docs/security.md §3):
/// <list type="number">
/// <item><b>Before</b> validation (<see cref="MessageReceived"/>): the header is parsed unverified only to pick the
/// key set: alg asymmetric, no <c>crit</c> extension (RFC 7515 §4.1.11), iss (and tenant, for an issuer configured per
/// tenant) a configured client, jku allowlisted for that client (never fetched otherwise), kid present and found in that
/// client's key set (loaded or refreshed here, asynchronously) with a key usable for the token's alg.</item>
/// <item>JwtBearer then verifies signature, iss, exp/nbf (60 s skew) and typ = JWT (case-insensitive).</item>
/// <item><b>After</b> (<see cref="TokenValidated"/>): aud = the exact URL invoked, iat present and not in the future,
/// exp − iat ≤ <c>CdsHooks:Limits:MaxTokenLifetime</c>, jti present, tenant, and last a replay check that records
/// nothing: the jti is recorded after the rate limiter (<see cref="ReplayProtectionMiddleware"/>), so neither a refused
/// nor a throttled token takes room in the replay cache.</item>
/// </list>
/// Every refusal is a bare 401 (<see cref="Challenge"/>) and a log event with the reason, at most one per issuer and
/// reason a minute (<see cref="ClientAuthFailureLog"/>); the token is never logged.
/// </summary>
public sealed class ClientTokenEvents(
    ClientRegistry registry,
    JwksCache keys,
    IReplayCache replay,
    ClientAuthFailureLog failures,
    IOptions<CdsHooksOptions> options,
    TimeProvider time,
    ILogger<ClientTokenEvents> logger) : JwtBearerEvents
{
    private const string FailureKey = "CdsHooks.ClientAuthFailure";
    private const string IssuerKey = "CdsHooks.ClientIssuer";

    public override async Task MessageReceived(MessageReceivedContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var header = context.Request.Headers.Authorization;
        if (header.Count == 0 || string.IsNullOrWhiteSpace(header[0]))
        {
            Remember(context.HttpContext, ClientAuthFailure.MissingToken);
            context.NoResult();
            return;
        }

        var value = header[0]!;
        if (header.Count > 1 || !value.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase))
        {
            Fail(context, ClientAuthFailure.NotBearer);
            return;
        }

        var token = value["Bearer ".Length..].Trim();
        JsonWebToken jwt;
        try
        {
            jwt = new JsonWebToken(token);
        }
        catch (Exception ex) when (ex is ArgumentException or SecurityTokenMalformedException)
        {
            Fail(context, ClientAuthFailure.Malformed);
            return;
        }

        if (!ClientTokenRules.AllowedAlgorithms.Contains(jwt.Alg, StringComparer.Ordinal))
        {
            Fail(context, ClientAuthFailure.DisallowedAlgorithm);
            return;
        }

        if (ClientTokenRules.HasCriticalHeader(jwt))
        {
            Fail(context, ClientAuthFailure.UnsupportedCriticalHeader);
            return;
        }

        var issuer = Claim(jwt, JwtRegisteredClaimNames.Iss);
        var match = registry.Find(issuer, Claim(jwt, "tenant"));
        if (registry.IsTrustedIssuer(issuer))
        {
            context.HttpContext.Items[IssuerKey] = issuer;
        }

        if (match.Client is not { } client)
        {
            Fail(context, match.Failure ?? ClientAuthFailure.UnknownIssuer);
            return;
        }

        var jku = jwt.TryGetHeaderValue<string>(JwtHeaderParameterNames.Jku, out var jkuValue) ? jkuValue : null;
        if (await keys.SourceForAsync(client, jku, context.HttpContext.RequestAborted) is not { } source)
        {
            Fail(context, ClientAuthFailure.JkuNotAllowed);
            return;
        }

        if (string.IsNullOrEmpty(jwt.Kid))
        {
            Fail(context, ClientAuthFailure.MissingKid);
            return;
        }

        var found = await keys.ResolveAsync(client, source, jwt.Kid, context.HttpContext.RequestAborted);
        if (found.Count == 0)
        {
            Fail(context, ClientAuthFailure.UnknownKid);
            return;
        }

        if (!found.Any(k => ClientTokenRules.KeyAllows(k, jwt.Alg)))
        {
            Fail(context, ClientAuthFailure.KeyAlgorithmMismatch);
            return;
        }

        context.Token = token;
    }

    public override Task AuthenticationFailed(AuthenticationFailedContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        Remember(context.HttpContext, ClientTokenRules.FailureOf(context.Exception));
        return Task.CompletedTask;
    }

    public override async Task TokenValidated(TokenValidatedContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        if (context.SecurityToken is not JsonWebToken jwt)
        {
            Fail(context, ClientAuthFailure.UnknownIssuer);
            return;
        }

        var tenant = Claim(jwt, "tenant");
        var match = registry.Find(jwt.Issuer, tenant);
        if (match.Client is not { } client)
        {
            Fail(context, match.Failure ?? ClientAuthFailure.UnknownIssuer);
            return;
        }

        var failure = ClientTokenRules.CheckCommonClaims(
            jwt, ClientTokenRules.ExpectedAudience(context.Request, options.Value.PublicBaseUrl), time.GetUtcNow(), options.Value.Limits.MaxTokenLifetime);
        if (failure is null)
        {
            failure = ClientTokenRules.FailureOf(await replay.CheckAsync(client.Issuer, jwt.Id, context.HttpContext.RequestAborted));
        }

        if (failure is { } reason)
        {
            Fail(context, reason);
            return;
        }

        context.HttpContext.Features.Set<ICallerTrustFeature>(new CallerTrustFeature(
            new CallerTrust(client.Issuer, tenant, client.FhirServers),
            client.RatePartition,
            jwt.Id,
            new DateTimeOffset(jwt.ValidTo, TimeSpan.Zero)));
        Log.ClientAuthenticated(logger, client.Issuer, tenant);
    }

    public override Task Challenge(JwtBearerChallengeContext context)
    {
        ArgumentNullException.ThrowIfNull(context);

        // Best practices: "return a 401 with no detail". No error/error_description in WWW-Authenticate either.
        context.HandleResponse();
        var reason = context.HttpContext.Items.TryGetValue(FailureKey, out var stored) && stored is ClientAuthFailure known
            ? known
            : ClientAuthFailure.InvalidToken;
        var issuer = context.HttpContext.Items.TryGetValue(IssuerKey, out var iss) ? iss as string : null;
        failures.Refused(reason, issuer ?? "(none)");
        context.Response.StatusCode = StatusCodes.Status401Unauthorized;
        context.Response.Headers.WWWAuthenticate = "Bearer";
        return Task.CompletedTask;
    }

    private static string? Claim(JsonWebToken jwt, string name) =>
        jwt.TryGetPayloadValue<string>(name, out var value) ? value : null;

    private static void Remember(HttpContext httpContext, ClientAuthFailure reason) => httpContext.Items[FailureKey] = reason;

    private static void Fail(MessageReceivedContext context, ClientAuthFailure reason)
    {
        Remember(context.HttpContext, reason);
        context.Fail(reason.ToString());
    }

    private static void Fail(TokenValidatedContext context, ClientAuthFailure reason)
    {
        Remember(context.HttpContext, reason);
        context.Fail(reason.ToString());
    }
}
