using CdsService.Api.Health;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace CdsService.Api.Security;

public static class ReplayCacheExtensions
{
    /// <summary>
    /// The jti replay cache: Redis when <c>ConnectionStrings:Redis</c> is set (shared by every instance), else
    /// in-memory (this instance only). Chosen when first resolved, from the final configuration. Both fail closed and
    /// give each issuer its own share. A token is checked at authentication and recorded after the rate limiter
    /// (<see cref="ReplayProtectionMiddleware"/>, <c>UseReplayProtection</c>). Readiness includes the cache.
    /// </summary>
    public static IServiceCollection AddReplayCache(this IServiceCollection services)
    {
        services.TryAddSingleton(TimeProvider.System);
        services.AddSingleton<ReplayCacheShare>();
        services.AddSingleton<InMemoryReplayCache>();
        services.AddSingleton<RedisConnection>();
        services.AddSingleton<RedisReplayCache>();
        services.TryAddSingleton<IReplayCache>(sp => RedisConnection.IsConfigured(sp.GetRequiredService<IConfiguration>())
            ? sp.GetRequiredService<RedisReplayCache>()
            : sp.GetRequiredService<InMemoryReplayCache>());
        services.AddHostedService<RedisConnectionStarter>();
        services.AddHealthChecks().AddCheck<ReplayCacheHealthCheck>("replay-cache", tags: [HealthExtensions.ReadyTag], timeout: HealthExtensions.CheckTimeout);
        return services;
    }
}

public static class ReplayProtectionExtensions
{
    /// <summary>After the rate limiter: records the token id of a call that was let through (<see cref="ReplayProtectionMiddleware"/>).</summary>
    public static IApplicationBuilder UseReplayProtection(this IApplicationBuilder app) => app.UseMiddleware<ReplayProtectionMiddleware>();
}
