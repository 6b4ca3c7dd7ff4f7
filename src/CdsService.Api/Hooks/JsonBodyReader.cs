using System.Buffers;
using System.Text.Json;
using CdsService.Api.Errors;

namespace CdsService.Api.Hooks;

/// <summary>Either a parsed JSON body or the OperationOutcome answer that refuses it.</summary>
public readonly record struct JsonBody(JsonDocument? Document, OperationOutcomeHttpResult? Error);

/// <summary>
/// Reads a request body as JSON within the configured size and depth limits (OWASP API4; issue 6 "Bounded resources").
/// The size is counted while reading, so a chunked body without Content-Length cannot exceed the limit either.
/// The document is disposed with the response: the HookRequest handed on holds JsonElements into it.
/// </summary>
public static class JsonBodyReader
{
    public static async Task<JsonBody> ReadAsync(HttpContext httpContext, int maxBytes, int maxDepth, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(httpContext);
        var request = httpContext.Request;
        if (request.ContentLength > maxBytes)
        {
            return new(null, TooLarge());
        }

        var buffer = new ArrayBufferWriter<byte>(request.ContentLength is > 0 and var length ? (int)length : 4096);
        while (true)
        {
            var memory = buffer.GetMemory(8192);
            var read = await request.Body.ReadAsync(memory, cancellationToken);
            if (read == 0)
            {
                break;
            }

            buffer.Advance(read);
            if (buffer.WrittenCount > maxBytes)
            {
                return new(null, TooLarge());
            }
        }

        if (buffer.WrittenCount == 0)
        {
            return new(null, OperationOutcomeHttpResult.Create(StatusCodes.Status400BadRequest, IssueType.Required, "The request body is empty; a JSON object is required."));
        }

        try
        {
            var document = Json.CdsJsonText.ParseRequest(buffer.WrittenMemory, maxDepth);
            httpContext.Response.RegisterForDispose(document);
            return new(document, null);
        }
        catch (JsonException)
        {
            // The parser's message names the line and byte position only; it is still not echoed (it is not needed
            // to fix the call and keeps every 400 free of request content).
            return new(null, OperationOutcomeHttpResult.Create(
                StatusCodes.Status400BadRequest,
                IssueType.Structure,
                $"The request body is not well-formed JSON (or is nested deeper than {maxDepth} levels)."));
        }
    }

    private static OperationOutcomeHttpResult TooLarge() => OperationOutcomeHttpResult.Create(
        StatusCodes.Status413PayloadTooLarge,
        IssueType.TooLong,
        "The request body is larger than the configured limit (CdsHooks:Limits:MaxRequestBodyBytes).");
}
