namespace CdsService.Api.Security;

/// <summary>
/// Records the token id of an authenticated CDS client call once the rate limiter has let it through (cds-hooks.org
/// best practices: "jti not seen before, then store jti"). Authentication already refused a known jti
/// (<see cref="IReplayCache.CheckAsync"/>) before it could spend the client's budget; recording only here means a
/// throttled (429) call takes no room in the cache, so a client over its rate cannot fill it. Two concurrent uses of one
/// token both pass the check, and exactly one is recorded here: the other is refused like any replay — a bare 401, its
/// reason logged (ClientAuthenticationFailed), the caller's trust withdrawn before the endpoint runs.
/// </summary>
public sealed class ReplayProtectionMiddleware(RequestDelegate next, IReplayCache replay, ClientAuthFailureLog failures)
{
    public async Task InvokeAsync(HttpContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        if (context.Features.Get<ICallerTrustFeature>() is { TokenId: { } jti } trust)
        {
            var check = await replay.TryRegisterAsync(trust.Caller.Issuer, jti, trust.TokenExpiresAt, context.RequestAborted);
            if (ClientTokenRules.FailureOf(check) is { } reason)
            {
                context.Features.Set<ICallerTrustFeature>(null);
                failures.Refused(reason, trust.Caller.Issuer);
                context.Response.StatusCode = StatusCodes.Status401Unauthorized;
                context.Response.Headers.WWWAuthenticate = "Bearer";
                return;
            }
        }

        await next(context);
    }
}
