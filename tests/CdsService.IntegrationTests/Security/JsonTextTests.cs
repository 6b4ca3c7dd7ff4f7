using System.Text;
using System.Text.Json;
using CdsService.Protocol;
using CsCheck;

namespace CdsService.IntegrationTests.Security;

/// <summary>
/// Request text that parses as JSON but is not valid Unicode must be refused at parse time (JsonException → 400), not
/// fail later when a string is read (InvalidOperationException → 500). Found by the fuzz tests.
/// </summary>
public sealed class JsonTextTests
{
    public static TheoryData<string, byte[]> Refused => new()
    {
        { "unpaired high surrogate escape", Encoding.UTF8.GetBytes("""{"hookInstance":"a\ud800b"}""") },
        { "unpaired low surrogate escape in a member name", Encoding.UTF8.GetBytes("""{"\udc00":1}""") },
        { "reversed surrogate pair", Encoding.UTF8.GetBytes("""{"x":"\udc00\ud800"}""") },
        { "invalid UTF-8 byte in a string", [.. "{\"x\":\""u8, 0xC3, 0x28, .. "\"}"u8] },
        { "overlong UTF-8 encoding", [.. "{\"x\":\""u8, 0xC0, 0xAF, .. "\"}"u8] },
        { "too deep", Encoding.UTF8.GetBytes(new string('[', 20) + new string(']', 20)) },
    };

    [Theory]
    [MemberData(nameof(Refused))]
    public void GivenJsonThatIsNotValidUnicode_WhenParsed_ThenJsonException(string name, byte[] body)
    {
        var error = Record.Exception(() => CdsJsonText.ParseRequest(body, maxDepth: 16).Dispose());

        Assert.True(error is JsonException, $"{name}: {error?.GetType().Name ?? "accepted"}");
    }

    [Fact]
    public void GivenValidEscapesAPairAndAByteOrderMark_WhenParsed_ThenEveryStringReads()
    {
        byte[] body = [0xEF, 0xBB, 0xBF, .. Encoding.UTF8.GetBytes("""{"a":"\ud83d\ude00","b":"caf\u00e9 \"q\"","c":"中"}""")];

        using var document = CdsJsonText.ParseRequest(body, maxDepth: 16);

        Assert.Equal("😀", document.RootElement.GetProperty("a").GetString());
        Assert.Equal("café \"q\"", document.RootElement.GetProperty("b").GetString());
        Assert.Equal("中", document.RootElement.GetProperty("c").GetString());
    }

    /// <summary>
    /// The single-pass surrogate check agrees with the reference (unescape every escaped string with Utf8JsonReader) on
    /// generated strings mixing plain text, short escapes, escaped backslashes before a "u", and \u escapes drawn mostly
    /// from the surrogate ranges and their boundaries, in upper and lower case, in values and member names.
    /// </summary>
    [Fact]
    public void GivenGeneratedEscapes_WhenChecked_ThenTheSinglePassAgreesWithUnescapingEveryString()
    {
        var boundary = Gen.OneOf(0xD7FF, 0xD800, 0xDBFF, 0xDC00, 0xDFFF, 0xE000);
        var unit = Gen.OneOf(boundary, Gen.Int[0xD800, 0xDBFF], Gen.Int[0xDC00, 0xDFFF], Gen.Int[0, 0xFFFF]);
        var escape = Gen.Select(unit, Gen.Bool, (code, upper) => "\\u" + code.ToString(upper ? "X4" : "x4", System.Globalization.CultureInfo.InvariantCulture));
        var piece = Gen.OneOf(
            Gen.OneOf("a", "é", "中", "\\n", "\\\"", "\\/", "\\\\", "\\\\u", "u"),
            escape,
            escape);
        var text = piece.Array[0, 8].Select(parts => string.Concat(parts));

        Gen.Select(text, text).Sample(
            (value, name) =>
            {
                var json = Encoding.UTF8.GetBytes($$"""{"v":"{{value}}","{{name}}":[1,"{{value}}{{name}}"]}""");
                return CdsJsonText.HasOnlyPairedSurrogateEscapes(json) == EveryStringReads(json);
            },
            iter: 20_000);
    }

    private static bool EveryStringReads(byte[] json)
    {
        var reader = new Utf8JsonReader(json);
        try
        {
            while (reader.Read())
            {
                if (reader.TokenType is JsonTokenType.String or JsonTokenType.PropertyName)
                {
                    _ = reader.GetString();
                }
            }

            return true;
        }
        catch (InvalidOperationException)
        {
            return false;
        }
    }
}
