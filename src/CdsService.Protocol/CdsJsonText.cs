using System.Text.Json;
using System.Text.Unicode;

namespace CdsService.Protocol;

/// <summary>
/// Parsing of request bodies that refuses text which is well-formed JSON syntax but not valid Unicode. JsonDocument
/// checks syntax only: raw bytes that are not UTF-8, and escapes of unpaired UTF-16 surrogates (<c>"\ud800"</c>), are
/// accepted by the parser and only fail later, when a string is read (an InvalidOperationException deep in request
/// handling, i.e. a 500). RFC 8259 §8.1 requires UTF-8, and §7 leaves unpaired surrogates undefined; refusing both here
/// turns them into the JsonException the body reader already answers with 400 (found by the fuzz tests,
/// docs/security.md §7 Bad input).
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
        if (!HasOnlyPairedSurrogateEscapes(json.Span))
        {
            document.Dispose();
            throw new JsonException("The body holds a string that is not valid Unicode (an unpaired surrogate escape).");
        }

        return document;
    }

    /// <summary>
    /// True when every <c>\uD800</c>–<c>\uDBFF</c> escape is directly followed by a <c>\uDC00</c>–<c>\uDFFF</c> escape
    /// and no low surrogate escape stands alone: the only escapes that make a string unreadable once the syntax is valid.
    /// </summary>
    /// <remarks>
    /// Runs on text the parser has already accepted, where a backslash can only begin an escape inside a string, so
    /// jumping from backslash to backslash (a vectorised search) visits every escape exactly once. It replaces a second
    /// tokenising pass that unescaped every escaped string (~4 % of an order-sign's CPU with a 56 KB prefetch,
    /// docs/performance.md).
    /// The integration tests check it against that reference on generated text.
    /// </remarks>
    internal static bool HasOnlyPairedSurrogateEscapes(ReadOnlySpan<byte> validJson)
    {
        var rest = validJson;
        while (true)
        {
            var backslash = rest.IndexOf((byte)'\\');
            if (backslash < 0)
            {
                return true;
            }

            rest = rest[(backslash + 1)..];
            if (rest[0] != (byte)'u')
            {
                rest = rest[1..];   // \" \\ \/ \b \f \n \r \t: two bytes, nothing to check
                continue;
            }

            var unit = Hex4(rest.Slice(1, 4));
            rest = rest[5..];
            if (unit is >= 0xDC00 and <= 0xDFFF)
            {
                return false;   // a low surrogate not consumed by a preceding high one
            }

            if (unit is >= 0xD800 and <= 0xDBFF)
            {
                if (rest.Length < 6 || rest[0] != (byte)'\\' || rest[1] != (byte)'u' || Hex4(rest.Slice(2, 4)) is < 0xDC00 or > 0xDFFF)
                {
                    return false;
                }

                rest = rest[6..];
            }
        }
    }

    /// <summary>Four hex digits the parser has already validated.</summary>
    private static int Hex4(ReadOnlySpan<byte> digits)
    {
        var value = 0;
        foreach (var digit in digits)
        {
            value = (value << 4) | (digit <= (byte)'9' ? digit - '0' : (digit | 0x20) - 'a' + 10);
        }

        return value;
    }
}
