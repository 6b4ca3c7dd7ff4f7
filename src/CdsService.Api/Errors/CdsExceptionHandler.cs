using CdsService.Api.Logging;
using CdsService.Protocol;
using Microsoft.AspNetCore.Diagnostics;

namespace CdsService.Api.Errors;

/// <summary>
/// The one place an exception becomes an HTTP answer on <c>/cds-services</c> routes, as an OperationOutcome carrying
/// the correlation id (style anchor §3.9):
/// <list type="bullet">
/// <item><see cref="BadHttpRequestException"/> → its own status (413 when Kestrel cut an oversized body, else 400);</item>
/// <item>the client went away (<see cref="OperationCanceledException"/> on an aborted request) → nothing is written;</item>
/// <item>anything else → 500 "exception", logged once with the exception's type and stack trace (never its message,
/// see <see cref="RedactedException"/>); the body never echoes it either.</item>
/// </list>
/// Other routes fall through to ProblemDetails.
/// </summary>
public sealed class CdsExceptionHandler(ILogger<CdsExceptionHandler> logger) : IExceptionHandler
{
    public async ValueTask<bool> TryHandleAsync(HttpContext httpContext, Exception exception, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(httpContext);
        if (!CdsRoutes.IsCdsRoute(httpContext))
        {
            return false;
        }

        if (exception is OperationCanceledException && httpContext.RequestAborted.IsCancellationRequested)
        {
            Log.RequestAborted(logger);
            return true;
        }

        var (status, issue) = exception switch
        {
            BadHttpRequestException { StatusCode: StatusCodes.Status413PayloadTooLarge } => (
                StatusCodes.Status413PayloadTooLarge,
                OperationOutcomeHttpResult.Issue(IssueType.TooLong, "The request body is larger than the configured limit (CdsHooks:Limits:MaxRequestBodyBytes).")),
            BadHttpRequestException bad => (
                bad.StatusCode,
                OperationOutcomeHttpResult.Issue(IssueType.Invalid, "The HTTP request is malformed.")),
            _ => (
                StatusCodes.Status500InternalServerError,
                OperationOutcomeHttpResult.Issue(IssueType.Exception, "An unexpected error occurred; quote the OperationOutcome id to support.")),
        };

        if (status >= StatusCodes.Status500InternalServerError)
        {
            // Type and stack trace only: the message of a parser or model exception can quote request values.
            Log.UnhandledException(logger, RedactedException.From(exception), CorrelationId.Of(httpContext));
        }
        else
        {
            Log.BadHttpRequest(logger, status);
        }

        await OperationOutcomeHttpResult.WriteAsync(httpContext, status, [issue]);
        return true;
    }
}
