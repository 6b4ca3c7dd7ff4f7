using System.Diagnostics;

namespace CdsService.Api.Telemetry;

/// <summary>
/// Measures every call under <c>/cds-services</c> and counts 401/412/429 answers anywhere. Installed outermost (by an
/// <see cref="IStartupFilter"/>, see <see cref="ServiceTelemetryExtensions"/>) so it also sees the 401s written by the
/// authentication middleware and the 429s of the rate limiter, which never reach an endpoint. The route and service id
/// come from <see cref="CdsRoutes.Classify"/>: the endpoint routing matched, read after the pipeline ran.
/// </summary>
internal sealed class CdsRequestTelemetryMiddleware(RequestDelegate next, CdsMetrics metrics, TimeProvider timeProvider)
{
    public async Task InvokeAsync(HttpContext context)
    {
        var started = timeProvider.GetTimestamp();
        var status = StatusCodes.Status500InternalServerError;
        try
        {
            await next(context);
            status = context.Response.StatusCode;
        }
        finally
        {
            // Classified once the pipeline has run: routing (inside it) decides which endpoint the request is, and
            // routing ignores case, so the raw path cannot tell (CdsRoutes).
            var (endpoint, serviceId) = CdsRoutes.Classify(context);
            if (serviceId is not null)
            {
                // Tag the incoming-request span (ASP.NET Core instrumentation) so traces can be filtered by service.
                Activity.Current?.SetTag(CdsTelemetry.ServiceIdTag, CdsTelemetry.NormalizeServiceId(serviceId));
            }

            // An exception escaping the pipeline reaches the client as a 500 (the server's own answer), so that is
            // what gets recorded; the exception itself propagates unchanged.
            if (endpoint == CdsRoutes.HookEndpoint)
            {
                metrics.RecordHookCall(serviceId, status, timeProvider.GetElapsedTime(started));
            }

            metrics.RecordRejection(status, endpoint, serviceId);
        }
    }
}
