using Microsoft.AspNetCore.Diagnostics.HealthChecks;

namespace CdsService.Api.Health;

public static class HealthExtensions
{
    /// <summary>Tag of the checks /health/ready runs: the feedback store and, when configured, Redis.</summary>
    public const string ReadyTag = "ready";

    /// <summary>
    /// Longest a single dependency check may take: below the Kubernetes readiness probe's timeout, so a hung database
    /// reads as "not ready" rather than as a probe timeout.
    /// </summary>
    public static readonly TimeSpan CheckTimeout = TimeSpan.FromSeconds(3);

    /// <summary>
    /// Liveness (the process answers; no dependency checked, so a slow store never gets the pod restarted) and
    /// readiness (the feedback store and, when configured, the shared Redis replay cache answer: a pod that would
    /// refuse every token or lose feedback gets no traffic). Anonymous: probes carry no client JWT. The body is the bare
    /// status word; which dependency failed is in the log (events FeedbackStoreUnavailable, ReplayCacheUnavailable), so
    /// an anonymous caller learns nothing about the topology.
    /// </summary>
    public static IEndpointRouteBuilder MapCdsHealth(this IEndpointRouteBuilder app)
    {
        app.MapHealthChecks("/health/live", new HealthCheckOptions { Predicate = _ => false }).AllowAnonymous();
        app.MapHealthChecks("/health/ready", new HealthCheckOptions { Predicate = c => c.Tags.Contains(ReadyTag) }).AllowAnonymous();
        return app;
    }
}
