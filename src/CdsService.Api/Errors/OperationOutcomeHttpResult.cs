using System.Reflection;
using System.Text.Json;
using CdsService.Protocol;
using Microsoft.AspNetCore.Http.Metadata;

namespace CdsService.Api.Errors;

/// <summary>A typed result carrying an OperationOutcome body and its status code (400, 404, 412, 413, 429, 500).</summary>
public sealed class OperationOutcomeHttpResult : IResult, IStatusCodeHttpResult, IValueHttpResult, IValueHttpResult<OperationOutcome>, IEndpointMetadataProvider
{
    public const string ContentType = "application/fhir+json";

    private OperationOutcomeHttpResult(int statusCode, IReadOnlyList<OperationOutcomeIssue> issues)
    {
        StatusCode = statusCode;
        Issues = issues;
    }

    public int StatusCode { get; }

    public IReadOnlyList<OperationOutcomeIssue> Issues { get; }

    int? IStatusCodeHttpResult.StatusCode => StatusCode;

    /// <summary>The body without correlation id (the id is added when the response is written).</summary>
    public OperationOutcome Value => new() { Issue = Issues };

    object? IValueHttpResult.Value => Value;

    public static OperationOutcomeHttpResult Create(int statusCode, string code, string diagnostics, params string[] expression) =>
        new(statusCode, [Issue(code, diagnostics, expression)]);

    public static OperationOutcomeHttpResult Create(int statusCode, IReadOnlyList<OperationOutcomeIssue> issues) => new(statusCode, issues);

    public static OperationOutcomeIssue Issue(string code, string diagnostics, params string[] expression) =>
        OperationOutcomeIssue.Error(code, diagnostics, expression);

    public Task ExecuteAsync(HttpContext httpContext)
    {
        ArgumentNullException.ThrowIfNull(httpContext);
        return WriteAsync(httpContext, StatusCode, Issues);
    }

    /// <summary>Writes an OperationOutcome; shared by results, the exception handler and the status-code pages.</summary>
    public static Task WriteAsync(HttpContext httpContext, int statusCode, IReadOnlyList<OperationOutcomeIssue> issues)
    {
        ArgumentNullException.ThrowIfNull(httpContext);
        var outcome = new OperationOutcome { Id = CorrelationId.Of(httpContext), Issue = issues };
        httpContext.Response.StatusCode = statusCode;
        httpContext.Response.ContentType = ContentType;
        return JsonSerializer.SerializeAsync(httpContext.Response.Body, outcome, CdsJson.Options, httpContext.RequestAborted);
    }

    public static void PopulateMetadata(MethodInfo method, EndpointBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        foreach (var status in new[] { StatusCodes.Status400BadRequest, StatusCodes.Status404NotFound, StatusCodes.Status412PreconditionFailed, StatusCodes.Status413PayloadTooLarge, StatusCodes.Status429TooManyRequests })
        {
            builder.Metadata.Add(new ProducesResponseTypeMetadata(status, typeof(OperationOutcome), [ContentType]));
        }
    }
}
