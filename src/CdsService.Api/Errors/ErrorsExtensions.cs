using CdsService.Protocol;
using Microsoft.AspNetCore.Diagnostics;

namespace CdsService.Api.Errors;

public static class ErrorsExtensions
{
    public static IHostApplicationBuilder AddCdsErrors(this IHostApplicationBuilder builder)
    {
        builder.Services.AddExceptionHandler<CdsExceptionHandler>();
        builder.Services.AddProblemDetails();
        return builder;
    }

    /// <summary>
    /// Exceptions → <see cref="CdsExceptionHandler"/>; bodiless error statuses (unmatched route 404, 405) → an
    /// OperationOutcome on <c>/cds-services</c> routes. A 401 stays bare: the spec's best practice is "401 with no
    /// detail", so a failed token check never learns why.
    /// </summary>
    public static IApplicationBuilder UseCdsErrors(this IApplicationBuilder app)
    {
        app.UseExceptionHandler();
        app.UseStatusCodePages(WriteStatusCodePageAsync);
        return app;
    }

    private static async Task WriteStatusCodePageAsync(StatusCodeContext context)
    {
        var http = context.HttpContext;
        var status = http.Response.StatusCode;
        if (status is StatusCodes.Status401Unauthorized or StatusCodes.Status403Forbidden)
        {
            return;
        }

        if (CdsRoutes.IsCdsRoute(http))
        {
            var code = status == StatusCodes.Status404NotFound ? IssueType.NotFound : IssueType.NotSupported;
            var text = status == StatusCodes.Status404NotFound
                ? "No such endpoint. The service exposes GET /cds-services, POST /cds-services/{id} and POST /cds-services/{id}/feedback."
                : $"The request was refused with HTTP {status}.";
            await OperationOutcomeHttpResult.WriteAsync(http, status, [OperationOutcomeHttpResult.Issue(code, text)]);
            return;
        }

        var problems = http.RequestServices.GetRequiredService<IProblemDetailsService>();
        await problems.TryWriteAsync(new ProblemDetailsContext { HttpContext = http });
    }
}
