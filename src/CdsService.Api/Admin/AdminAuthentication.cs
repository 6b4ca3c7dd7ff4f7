using System.Collections.Frozen;
using CdsService.Api.Configuration;
using CdsService.Api.Logging;
using CdsService.Api.Security;
using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace CdsService.Api.Admin;

/// <summary>The admin client's public keys, read once from <c>CdsHooks:Admin:JwksFile</c> (rotate by restarting, as for client key files).</summary>
public sealed class AdminKeys(IOptions<AdminOptions> options)
{
    private readonly Lazy<FrozenDictionary<string, SecurityKey[]>> keys = new(() => Load(options.Value));

    /// <summary>Keys for a token's kid, only for a token from the admin issuer: another issuer's token gets none.</summary>
    public IEnumerable<SecurityKey> Find(string? issuer, string? kid) =>
        options.Value.IsConfigured
        && string.Equals(issuer, options.Value.Issuer, StringComparison.Ordinal)
        && kid is not null
        && keys.Value.TryGetValue(kid, out var found)
            ? found
            : [];

    private static FrozenDictionary<string, SecurityKey[]> Load(AdminOptions options)
    {
        if (!options.IsConfigured || string.IsNullOrWhiteSpace(options.JwksFile))
        {
            return FrozenDictionary<string, SecurityKey[]>.Empty;
        }

        return ClientTokenRules.SigningKeysByKid(File.ReadAllText(options.JwksFile));
    }
}

/// <summary>
/// The admin scheme's checks around JwtBearer (which verifies signature, iss, exp/nbf and typ): aud = the exact admin
/// URL invoked, iat present and not in the future, lifetime ≤ 1 h, jti present and not replayed (the same shared replay
/// cache as CDS tokens, so a captured admin token cannot be replayed on another instance either). Every refusal is a
/// bare 401 and one log event with the reason (<see cref="ClientTokenEvents"/> is the model).
/// </summary>
public sealed class AdminTokenEvents(
    IOptions<AdminOptions> admin,
    IOptions<CdsHooksOptions> cds,
    IReplayCache replay,
    TimeProvider time,
    ILogger<AdminTokenEvents> logger) : JwtBearerEvents
{
    private const string FailureKey = "CdsHooks.AdminAuthFailure";

    public override Task MessageReceived(MessageReceivedContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        if (!admin.Value.IsConfigured)
        {
            Fail(context.HttpContext, ClientAuthFailure.UnknownIssuer);
            context.Fail(nameof(ClientAuthFailure.UnknownIssuer));
            return Task.CompletedTask;
        }

        var header = context.Request.Headers.Authorization;
        if (header.Count == 0 || string.IsNullOrWhiteSpace(header[0]))
        {
            Fail(context.HttpContext, ClientAuthFailure.MissingToken);
            context.NoResult();
        }

        return Task.CompletedTask;
    }

    public override Task AuthenticationFailed(AuthenticationFailedContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        Fail(context.HttpContext, ClientTokenRules.FailureOf(context.Exception));
        return Task.CompletedTask;
    }

    public override async Task TokenValidated(TokenValidatedContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        if (context.SecurityToken is not JsonWebToken jwt || !string.Equals(jwt.Issuer, admin.Value.Issuer, StringComparison.Ordinal))
        {
            Refuse(context, ClientAuthFailure.UnknownIssuer);
            return;
        }

        // aud: the exact admin URL invoked, so a token minted for /cds-services (or for another host) cannot be reused.
        var failure = ClientTokenRules.CheckCommonClaims(
            jwt, ClientTokenRules.ExpectedAudience(context.Request, cds.Value.PublicBaseUrl), time.GetUtcNow(), cds.Value.Limits.MaxTokenLifetime);
        if (failure is null)
        {
            failure = ClientTokenRules.FailureOf(
                await replay.TryRegisterAsync(jwt.Issuer, jwt.Id, jwt.ValidTo, context.HttpContext.RequestAborted));
        }

        if (failure is { } reason)
        {
            Refuse(context, reason);
        }
    }

    public override Task Challenge(JwtBearerChallengeContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        context.HandleResponse();
        var reason = context.HttpContext.Items.TryGetValue(FailureKey, out var stored) && stored is ClientAuthFailure known
            ? known
            : ClientAuthFailure.InvalidToken;
        Log.AdminAuthenticationFailed(logger, reason);
        context.Response.StatusCode = StatusCodes.Status401Unauthorized;
        context.Response.Headers.WWWAuthenticate = "Bearer";
        return Task.CompletedTask;
    }

    private static void Fail(HttpContext httpContext, ClientAuthFailure reason) => httpContext.Items[FailureKey] = reason;

    private static void Refuse(TokenValidatedContext context, ClientAuthFailure reason)
    {
        Fail(context.HttpContext, reason);
        context.Fail(reason.ToString());
    }
}
