using System.Text.Json;
using System.Text.Unicode;

namespace CdsService.Api.Json;

/// <summary>
/// Parsing of request bodies that refuses text which is well-formed JSON syntax but not valid Unicode. JsonDocument
/// checks syntax only: raw bytes that are not UTF-8, and escapes of unpaired UTF-16 surrogates (<c>"\ud800"</c>), are
/// accepted by the parser and only fail later, when a string is read (an InvalidOperationException deep in request
/// handling, i.e. a 500). RFC 8259 §8.1 requires UTF-8, and §7 leaves unpaired surrogates undefined; refusing both here
/// turns them into the JsonException the body reader already answers with 400 (found by the fuzz tests, issue 6).
/// </summary>
public static class CdsJsonText
{
    private static ReadOnlySpan<byte> Utf8Bom => [0xEF, 0xBB, 0xBF];

    /// <summary>Parses <paramref name="utf8Json"/>; throws <see cref="JsonException"/> for bad syntax, depth, encoding or escapes.</summary>
    public static JsonDocument ParseRequest(ReadOnlyMemory<byte> utf8Json, int maxDepth)
    {
        // RFC 8259 §8.1: a parser MAY ignore a byte order mark; some Windows clients send one.
        var json = utf8Json.Span.StartsWith(Utf8Bom) ? utf8Json[Utf8Bom.Length..] : utf8Json;
        if (!Utf8.IsValid(json.Span))
        {
            throw new JsonException("The body is not valid UTF-8 (RFC 8259 §8.1).");
        }

        var document = JsonDocument.Parse(json, new JsonDocumentOptions { MaxDepth = maxDepth });
        try
        {
            ValidateEscapes(json.Span, maxDepth);
            return document;
        }
        catch
        {
            document.Dispose();
            throw;
        }
    }

    /// <summary>Unescapes every escaped string and member name once, which is where an unpaired surrogate is detected.</summary>
    private static void ValidateEscapes(ReadOnlySpan<byte> text, int maxDepth)
    {
        var reader = new Utf8JsonReader(text, new JsonReaderOptions { MaxDepth = maxDepth });
        while (reader.Read())
        {
            if (reader.TokenType is JsonTokenType.String or JsonTokenType.PropertyName && reader.ValueIsEscaped)
            {
                try
                {
                    _ = reader.GetString();
                }
                catch (InvalidOperationException ex)
                {
                    throw new JsonException("The body holds a string that is not valid Unicode (an unpaired surrogate escape).", ex);
                }
            }
        }
    }
}
