using System.Buffers;
using System.Text.Json;
using CdsService.Api.Errors;
using CdsService.Protocol;

namespace CdsService.Api.Hooks;

/// <summary>Either a parsed JSON body or the OperationOutcome answer that refuses it.</summary>
public readonly record struct JsonBody(JsonDocument? Document, OperationOutcomeHttpResult? Error);

/// <summary>
/// Reads a request body as JSON within the configured size and depth limits (OWASP API4; docs/security.md §5).
/// The size is counted while reading, so a chunked body without Content-Length cannot exceed the limit either.
/// The document is disposed with the response: the HookRequest handed on holds JsonElements into it.
/// </summary>
/// <remarks>
/// The body is read into an array rented from the shared pool, and the document parses that array in place
/// (JsonDocument keeps a reference to the memory it was given). A buffer allocated per call and grown by doubling put a
/// ~112 KB array on the large-object heap for every order-sign with full prefetch (a 56 KB body), which drove a gen2
/// collection several times a second under load (docs/performance.md). The array goes back to the pool only
/// after the document is disposed, at the end of the response; an element read after that throws
/// ObjectDisposedException rather than seeing another request's bytes.
/// </remarks>
public static class JsonBodyReader
{
    /// <summary>Bodies without Content-Length (chunked) start here and grow by doubling.</summary>
    private const int InitialBufferBytes = 16 * 1024;

    public static async Task<JsonBody> ReadAsync(HttpContext httpContext, int maxBytes, int maxDepth, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(httpContext);
        var request = httpContext.Request;
        if (request.ContentLength > maxBytes)
        {
            return new(null, TooLarge());
        }

        // One byte more than announced, so the read that confirms the end of the body needs no second array.
        var buffer = ArrayPool<byte>.Shared.Rent(request.ContentLength is > 0 and var length ? (int)length + 1 : InitialBufferBytes);
        var handedOver = false;
        try
        {
            var written = 0;
            while (true)
            {
                if (written == buffer.Length)
                {
                    buffer = Grow(buffer, written);
                }

                var read = await request.Body.ReadAsync(buffer.AsMemory(written), cancellationToken);
                if (read == 0)
                {
                    break;
                }

                written += read;
                if (written > maxBytes)
                {
                    return new(null, TooLarge());
                }
            }

            if (written == 0)
            {
                return new(null, OperationOutcomeHttpResult.Create(StatusCodes.Status400BadRequest, IssueType.Required, "The request body is empty; a JSON object is required."));
            }

            var document = CdsJsonText.ParseRequest(buffer.AsMemory(0, written), maxDepth);
            httpContext.Response.RegisterForDispose(new PooledDocument(document, buffer));
            handedOver = true;
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
        finally
        {
            if (!handedOver)
            {
                ArrayPool<byte>.Shared.Return(buffer);
            }
        }
    }

    private static byte[] Grow(byte[] buffer, int written)
    {
        var larger = ArrayPool<byte>.Shared.Rent(buffer.Length * 2);
        buffer.AsSpan(0, written).CopyTo(larger);
        ArrayPool<byte>.Shared.Return(buffer);
        return larger;
    }

    private static OperationOutcomeHttpResult TooLarge() => OperationOutcomeHttpResult.Create(
        StatusCodes.Status413PayloadTooLarge,
        IssueType.TooLong,
        "The request body is larger than the configured limit (CdsHooks:Limits:MaxRequestBodyBytes).");

    /// <summary>Disposes the document first, then returns the bytes it parsed to the pool.</summary>
    private sealed class PooledDocument(JsonDocument document, byte[] buffer) : IDisposable
    {
        public void Dispose()
        {
            document.Dispose();
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }
}
