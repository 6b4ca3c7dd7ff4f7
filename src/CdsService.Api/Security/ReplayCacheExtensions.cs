using CdsService.Api.Health;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace CdsService.Api.Security;

public static class ReplayCacheExtensions
{
    /// <summary>
    /// The jti replay cache: Redis when <c>ConnectionStrings:Redis</c> is set (shared by every instance), else
    /// in-memory (this instance only). Chosen when first resolved, from the final configuration. Both fail closed.
    /// Readiness includes the cache.
    /// </summary>
    public static IServiceCollection AddReplayCache(this IServiceCollection services)
    {
        services.TryAddSingleton(TimeProvider.System);
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
