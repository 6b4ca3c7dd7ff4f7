using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace CdsService.Api.Feedback;

public static class FeedbackExtensions
{
    public const string ReadyTag = "ready";

    /// <summary>SQLite feedback store (the default), schema created at start, checked by /health/ready.</summary>
    public static IHostApplicationBuilder AddFeedbackStore(this IHostApplicationBuilder builder)
    {
        builder.Services.AddSingleton<IFeedbackStore, SqliteFeedbackStore>();
        builder.Services.AddHostedService<FeedbackStoreInitializer>();
        builder.Services.AddHealthChecks().AddCheck<FeedbackStoreHealthCheck>("feedback-store", tags: [ReadyTag]);
        return builder;
    }
}

/// <summary>Creates the schema before the first request; a store that cannot start stops the host (fail fast).</summary>
public sealed class FeedbackStoreInitializer(IFeedbackStore store) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken) => store.InitializeAsync(cancellationToken);

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}

public sealed class FeedbackStoreHealthCheck(IFeedbackStore store) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default) =>
        await store.IsHealthyAsync(cancellationToken)
            ? HealthCheckResult.Healthy()
            : HealthCheckResult.Unhealthy("The feedback store does not answer.");
}
