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
/// key set: iss must be a configured client, alg asymmetric, jku allowlisted for that client (never fetched
/// otherwise), kid present and found in that client's key set (loaded or refreshed here, asynchronously).</item>
/// <item>JwtBearer then verifies signature, iss, exp/nbf (60 s skew) and typ = JWT.</item>
/// <item><b>After</b> (<see cref="TokenValidated"/>): aud = the exact URL invoked, iat present and not in the future,
/// exp − iat ≤ 1 h, jti present, tenant, and last the replay check (so a refused token does not burn its jti).</item>
/// </list>
/// Every refusal is a bare 401 (<see cref="Challenge"/>) and exactly one log event with the reason; the token is never
/// logged.
/// </summary>
public sealed class ClientTokenEvents(
    ClientRegistry registry,
    JwksCache keys,
    IReplayCache replay,
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

        var client = registry.Find(Claim(jwt, JwtRegisteredClaimNames.Iss));
        if (client is null)
        {
            Fail(context, ClientAuthFailure.UnknownIssuer);
            return;
        }

        context.HttpContext.Items[IssuerKey] = client.Issuer;
        var jku = jwt.TryGetHeaderValue<string>(JwtHeaderParameterNames.Jku, out var jkuValue) ? jkuValue : null;
        if (client.KeySetFor(jku) is not { } source)
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
        if (context.SecurityToken is not JsonWebToken jwt || registry.Find(jwt.Issuer) is not { } client)
        {
            Fail(context, ClientAuthFailure.UnknownIssuer);
            return;
        }

        var failure = CheckClaims(jwt, client, ClientTokenRules.ExpectedAudience(context.Request, options.Value.PublicBaseUrl), out var tenant);
        if (failure is null)
        {
            failure = ClientTokenRules.FailureOf(
                await replay.TryRegisterAsync(client.Issuer, jwt.Id, jwt.ValidTo, context.HttpContext.RequestAborted));
        }

        if (failure is { } reason)
        {
            Fail(context, reason);
            return;
        }

        context.HttpContext.Features.Set<ICallerTrustFeature>(new CallerTrustFeature(new CallerTrust(client.Issuer, tenant, client.FhirServers), jwt.Id));
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
        Log.ClientAuthenticationFailed(logger, reason, issuer ?? "(none)");
        context.Response.StatusCode = StatusCodes.Status401Unauthorized;
        context.Response.Headers.WWWAuthenticate = "Bearer";
        return Task.CompletedTask;
    }

    private ClientAuthFailure? CheckClaims(JsonWebToken jwt, TrustedClient client, string expectedAudience, out string? tenant)
    {
        tenant = Claim(jwt, "tenant");

        if (ClientTokenRules.CheckCommonClaims(jwt, expectedAudience, time.GetUtcNow()) is { } failure)
        {
            return failure;
        }

        if (client.Tenant is not null && !string.Equals(client.Tenant, tenant, StringComparison.Ordinal))
        {
            return ClientAuthFailure.TenantMismatch;
        }

        return null;
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
