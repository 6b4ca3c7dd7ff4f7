using System.Globalization;
using System.Threading.RateLimiting;
using CdsService.Api.Errors;
using CdsService.Api.Logging;
using CdsService.Api.Security;
using CdsService.Protocol;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.Extensions.Options;

namespace CdsService.Api.RateLimiting;

public static class RateLimitingExtensions
{
    /// <summary>Retry-After when a limiter gives no estimate (the concurrency limiter never does): one second.</summary>
    private const int DefaultRetryAfterSeconds = 1;

    /// <summary>
    /// ASP.NET Core rate limiting, partitioned by the authenticated client (docs/security.md §5). The partition
    /// key is what the client JWT proved, never a header or an address a caller can choose. Requests without a trusted
    /// caller (health probes, OpenAPI, CORS preflight) are not limited here: an unauthenticated call to a CDS route is
    /// refused with 401 before this runs, and floods of those are the ingress's job (docs/security.md §Rate limiting).
    /// </summary>
    public static IHostApplicationBuilder AddCdsRateLimiting(this IHostApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        var services = builder.Services;
        services.AddOptions<RateLimitOptions>()
            .BindConfiguration(RateLimitOptions.SectionName)
            .ValidateDataAnnotations()
            .ValidateOnStart();
        services.AddHostedService<RateLimitingStartupLog>();

        services.AddRateLimiter(_ => { });
        services.AddOptions<RateLimiterOptions>().Configure<IOptions<RateLimitOptions>>((limiter, configured) =>
        {
            var options = configured.Value;
            limiter.RejectionStatusCode = StatusCodes.Status429TooManyRequests;
            limiter.OnRejected = OnRejectedAsync;
            if (options.Enabled)
            {
                limiter.GlobalLimiter = PartitionedRateLimiter.CreateChained(PerIssuerConcurrency(options), PerClientTokenBucket(options));
            }
        });
        return builder;
    }

    /// <summary>After authentication (the partition is the authenticated client) and after the audit middleware (a 429 is audited).</summary>
    public static IApplicationBuilder UseCdsRateLimiting(this IApplicationBuilder app) => app.UseRateLimiter();

    private static PartitionedRateLimiter<HttpContext> PerClientTokenBucket(RateLimitOptions options) =>
        PartitionedRateLimiter.Create<HttpContext, string>(context => context.Features.Get<ICallerTrustFeature>() is { } trust
            ? RateLimitPartition.GetTokenBucketLimiter(
                // The configured client (issuer, and tenant only when the configuration names one), never the token's
                // own tenant claim: a client without a configured tenant could mint a new budget per token.
                trust.RatePartition,
                _ => new TokenBucketRateLimiterOptions
                {
                    TokenLimit = options.TokenLimit,
                    TokensPerPeriod = options.TokensPerPeriod,
                    ReplenishmentPeriod = options.ReplenishmentPeriod,
                    QueueLimit = 0,
                    AutoReplenishment = true,
                })
            : RateLimitPartition.GetNoLimiter(string.Empty));

    /// <summary>
    /// Per issuer, not per tenant: a client without a configured tenant chooses the tenant claim of its own tokens, so
    /// a per-tenant cap could be sidestepped by varying it. The token bucket is per configured client: the issuer, or
    /// the issuer's configured tenant (each with its own budget, e.g. Oracle Health's tenants under one issuer).
    /// </summary>
    private static PartitionedRateLimiter<HttpContext> PerIssuerConcurrency(RateLimitOptions options) =>
        PartitionedRateLimiter.Create<HttpContext, string>(context => context.Features.Get<ICallerTrustFeature>() is { } trust
            ? RateLimitPartition.GetConcurrencyLimiter(
                trust.Caller.Issuer,
                _ => new ConcurrencyLimiterOptions { PermitLimit = options.ConcurrencyLimit, QueueLimit = 0 })
            : RateLimitPartition.GetNoLimiter(string.Empty));

    /// <summary>429 with Retry-After (RFC 9110 §10.2.3, delay-seconds) and an OperationOutcome on CDS routes.</summary>
    private static async ValueTask OnRejectedAsync(OnRejectedContext rejected, CancellationToken cancellationToken)
    {
        var http = rejected.HttpContext;
        var limitedByRate = rejected.Lease.TryGetMetadata(MetadataName.RetryAfter, out var retryAfter);
        var seconds = limitedByRate ? Math.Max(1, (int)Math.Ceiling(retryAfter.TotalSeconds)) : DefaultRetryAfterSeconds;
        http.Response.Headers.RetryAfter = seconds.ToString(CultureInfo.InvariantCulture);

        var trust = http.Features.Get<ICallerTrustFeature>();
        var logger = http.RequestServices.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(RateLimitingExtensions).FullName!);
        Log.ClientThrottled(
            logger,
            trust?.Caller.Issuer ?? "(none)",
            trust?.Caller.Tenant ?? "(none)",
            CdsRoutes.Classify(http).Endpoint,
            limitedByRate ? "rate" : "concurrency",
            seconds);

        var issue = OperationOutcomeHttpResult.Issue(
            IssueType.Throttled,
            limitedByRate
                ? $"Too many requests from this client; retry after {seconds} s (CdsHooks:RateLimit)."
                : "Too many concurrent requests from this client; retry shortly (CdsHooks:RateLimit:ConcurrencyLimit).");
        await OperationOutcomeHttpResult.WriteAsync(http, StatusCodes.Status429TooManyRequests, [issue]);
    }
}

/// <summary>States the limits in force at start, and warns when they are off.</summary>
public sealed class RateLimitingStartupLog(IOptions<RateLimitOptions> options, IHostEnvironment environment, ILogger<RateLimitingStartupLog> logger) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken)
    {
        var o = options.Value;
        if (o.Enabled)
        {
            Log.RateLimitingReady(logger, o.TokenLimit, o.TokensPerPeriod, o.ReplenishmentPeriod, o.ConcurrencyLimit);
        }
        else
        {
            Log.RateLimitingDisabled(logger, environment.EnvironmentName);
        }

        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
