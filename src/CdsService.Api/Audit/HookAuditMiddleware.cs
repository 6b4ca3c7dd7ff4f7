using CdsService.Api.Logging;
using CdsService.Api.Security;
using CdsService.Protocol;

namespace CdsService.Api.Audit;

/// <summary>
/// Writes exactly one audit event per authenticated hook call (<c>POST /cds-services/{id}</c>), modelled on IHE
/// Basic Audit Log Patterns (BALP, https://profiles.ihe.net/ITI/BALP): who = client issuer and tenant, what = service and
/// hook, patient = keyed hash of the patient id, outcome (FHIR AuditEvent.outcome 0/4/8), HTTP status, card indicators,
/// latency and the correlation values (hookInstance, client jti, correlation id). Installed after authorization, so
/// a refused token (401) never reaches it: those are recorded by the client-trust event ClientAuthenticationFailed with
/// their reason, and an anonymous flood cannot fill the audit trail. Installed before the rate limiter, so a throttled
/// call (429) of a known client is audited. Every other status (200, 400, 404, 412, 413, 429, 500) is audited.
/// </summary>
public sealed class HookAuditMiddleware(RequestDelegate next, PatientIdHasher hasher, TimeProvider time, ILoggerFactory loggers)
{
    /// <summary>The log category (Serilog SourceContext) of audit events: route it to the SIEM by this name.</summary>
    public const string Category = "CdsService.Audit";

    /// <summary>Status recorded when the client went away before an answer was written (the nginx convention).</summary>
    public const int ClientClosedRequest = 499;

    private const string None = "(none)";

    private readonly ILogger logger = loggers.CreateLogger(Category);

    public async Task InvokeAsync(HttpContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var (endpoint, serviceId) = CdsRoutes.Classify(context);
        if (endpoint != CdsRoutes.HookEndpoint
            || !HttpMethods.IsPost(context.Request.Method)
            || context.Features.Get<ICallerTrustFeature>() is not { } trust)
        {
            await next(context);
            return;
        }

        var started = time.GetTimestamp();
        var status = StatusCodes.Status500InternalServerError;
        try
        {
            await next(context);
            status = context.Response.StatusCode;
        }
        catch (BadHttpRequestException bad)
        {
            status = bad.StatusCode;
            throw;
        }
        catch (OperationCanceledException) when (context.RequestAborted.IsCancellationRequested)
        {
            status = ClientClosedRequest;
            throw;
        }
        finally
        {
            // A 401 here is a token refused after the rate limiter (a replay caught when it is recorded,
            // ReplayProtectionMiddleware): a refused token, logged by client trust, not an audited hook call.
            if (status != StatusCodes.Status401Unauthorized)
            {
                Write(context, trust, serviceId, status, time.GetElapsedTime(started));
            }
        }
    }

    private void Write(HttpContext context, ICallerTrustFeature trust, string? serviceId, int status, TimeSpan latency)
    {
        var record = context.RequestServices.GetService<HookAuditRecord>();
        var known = CdsServiceCatalog.TryGet(serviceId ?? string.Empty, out var service);
        var accepted = record?.RequestAccepted == true;
        Log.HookCallAudited(
            logger,
            trust.Caller.Issuer,
            trust.Caller.Tenant ?? None,
            known ? service.Id : "unknown",
            known ? service.HookName : "unknown",
            accepted ? hasher.Reference(record!.PatientId!) : None,
            status,
            Outcome(status),
            record?.FailureKind?.ToString() ?? None,
            accepted && record!.CardIndicators.Count > 0 ? string.Join(',', record.CardIndicators.Select(i => i.ToString().ToLowerInvariant())) : None,
            Math.Round(latency.TotalMilliseconds, 1),
            accepted ? record!.HookInstance! : None,
            trust.TokenId ?? None,
            CorrelationId.Of(context));
    }

    /// <summary>
    /// FHIR R4 AuditEvent.outcome (http://hl7.org/fhir/audit-event-outcome): 0 success; 4 minor failure ("often
    /// equivalent to an HTTP 400 response"), used for every refused or unanswerable call; 8 serious failure ("often
    /// equivalent to an HTTP 500 response").
    /// </summary>
    public static int Outcome(int status) => status switch
    {
        < 400 => 0,
        < 500 => 4,
        _ => 8,
    };
}
