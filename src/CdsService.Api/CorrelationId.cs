using System.Diagnostics;

namespace CdsService.Api;

/// <summary>
/// The one id that joins a request's log events, its audit event, its trace and the OperationOutcome the caller got
/// (ADR-0001: the id of every OperationOutcome on the CDS routes).
/// </summary>
public static class CorrelationId
{
    /// <summary>The W3C trace id when tracing is on (it joins logs and traces), else the request's own identifier.</summary>
    public static string Of(HttpContext httpContext)
    {
        ArgumentNullException.ThrowIfNull(httpContext);
        // FHIR ids allow [A-Za-z0-9-.] only; Kestrel's identifier contains ':'.
        return Activity.Current?.TraceId.ToString() ?? httpContext.TraceIdentifier.Replace(':', '-');
    }
}
