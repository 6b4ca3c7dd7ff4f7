using CdsService.Api.Feedback;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;

namespace CdsService.Api.Health;

public static class HealthExtensions
{
    /// <summary>
    /// Liveness (the process answers; no dependency checked, so a slow store never gets the pod restarted) and
    /// readiness (the feedback store answers). Anonymous: probes carry no client JWT, and the answers hold no data.
    /// </summary>
    public static IEndpointRouteBuilder MapCdsHealth(this IEndpointRouteBuilder app)
    {
        app.MapHealthChecks("/health/live", new HealthCheckOptions { Predicate = _ => false }).AllowAnonymous();
        app.MapHealthChecks("/health/ready", new HealthCheckOptions { Predicate = c => c.Tags.Contains(FeedbackExtensions.ReadyTag) }).AllowAnonymous();
        return app;
    }
}
