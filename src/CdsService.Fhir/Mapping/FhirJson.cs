using System.Collections.Frozen;
using System.Runtime.InteropServices;
using System.Text;
using System.Text.Json;
using System.Text.Unicode;
using CdsService.Clinical.Model;

namespace CdsService.Fhir.Mapping;

/// <summary>
/// Lenient readers for FHIR R4 JSON (R4 §2.6.2 "JSON representation"): a member of the wrong JSON type reads as absent,
/// exactly as Firely's recoverable mode drops an element it cannot parse, so malformed input degrades to "no data"
/// (and a data issue downstream) rather than an exception. Reading the request's own JSON elements directly is what
/// keeps the hot path free of a second parse (parsing 60 Observations into Firely POCOs cost ~0.8 ms and ~880 KB
/// per request, docs/performance.md; ADR-0006). Member names are UTF-8 literals (no transcoding per lookup), and codes compared against a
/// known set are compared in UTF-8 (<see cref="Is"/>, <see cref="Known"/>) instead of being allocated as strings.
/// </summary>
internal static class FhirJson
{
    // Enumerating a default JsonElement throws; an absent array enumerates this one instead.
    private static readonly JsonElement EmptyArray = JsonDocument.Parse("[]").RootElement;

    public static bool TryGet(JsonElement element, ReadOnlySpan<byte> name, out JsonElement value)
    {
        if (element.ValueKind == JsonValueKind.Object && element.TryGetProperty(name, out value))
        {
            return true;
        }

        value = default;
        return false;
    }

    public static string? String(JsonElement element, ReadOnlySpan<byte> name) =>
        TryGet(element, name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;

    /// <summary>
    /// The UTF-8 bytes of a JSON string as written in the request, when they are its value: that is, when the
    /// string holds no escape sequence (R4 §2.6.2 JSON strings are ordinary JSON strings, RFC 8259 §7) and is valid
    /// UTF-8. An escaped string returns false and is read with <see cref="JsonElement.GetString"/> instead, which decodes it. The span
    /// points into the request's own buffer and is only valid while the document is.
    /// </summary>
    public static bool TryGetUnescaped(JsonElement value, out ReadOnlySpan<byte> utf8)
    {
        if (value.ValueKind == JsonValueKind.String)
        {
            // The raw value of a string element includes its quotes.
            var raw = JsonMarshal.GetRawUtf8Value(value);
            if (raw.Length >= 2 && raw[0] == (byte)'"' && raw[^1] == (byte)'"')
            {
                raw = raw[1..^1];

                // Invalid UTF-8 is left to GetString, which refuses it, so the two paths fail alike.
                if (!raw.Contains((byte)'\\') && Utf8.IsValid(raw))
                {
                    utf8 = raw;
                    return true;
                }
            }
        }

        utf8 = default;
        return false;
    }

    /// <summary>
    /// "<paramref name="prefix"/>" followed by the string <paramref name="value"/>, composed in one allocation from the
    /// request's UTF-8 (no intermediate string for the value); null when <paramref name="value"/> is not a string.
    /// </summary>
    public static string? Concat(string prefix, JsonElement value)
    {
        if (!TryGetUnescaped(value, out var utf8))
        {
            return value.ValueKind == JsonValueKind.String ? string.Concat(prefix, value.GetString()) : null;
        }

        return string.Create(prefix.Length + Encoding.UTF8.GetCharCount(utf8), (prefix, value), static (destination, state) =>
        {
            state.prefix.CopyTo(destination);
            TryGetUnescaped(state.value, out var text);
            Encoding.UTF8.GetChars(text, destination[state.prefix.Length..]);
        });
    }

    /// <summary>True when the member is a string equal to <paramref name="expected"/> (compared in UTF-8, escapes decoded).</summary>
    public static bool Is(JsonElement element, ReadOnlySpan<byte> name, ReadOnlySpan<byte> expected) =>
        TryGet(element, name, out var value) && value.ValueKind == JsonValueKind.String && value.ValueEquals(expected);

    /// <summary>
    /// The member's string as one of <paramref name="known"/> when it equals one (compared in UTF-8; the shared
    /// instance is returned, nothing is allocated), else as a new string; null when absent or not a string.
    /// </summary>
    public static string? Known(JsonElement element, ReadOnlySpan<byte> name, KnownStrings known)
    {
        if (!TryGet(element, name, out var value) || value.ValueKind != JsonValueKind.String)
        {
            return null;
        }

        return known.Match(value) ?? value.GetString();
    }

    /// <summary>The member as it is (any kind), else <c>default</c> (ValueKind Undefined).</summary>
    public static JsonElement Member(JsonElement element, ReadOnlySpan<byte> name) =>
        TryGet(element, name, out var value) ? value : default;

    /// <summary>The member when it is a JSON object, else <c>default</c> (ValueKind Undefined).</summary>
    public static JsonElement Object(JsonElement element, ReadOnlySpan<byte> name) =>
        TryGet(element, name, out var value) && value.ValueKind == JsonValueKind.Object ? value : default;

    /// <summary>The elements of an array member (none when absent or not an array).</summary>
    public static JsonElement.ArrayEnumerator Array(JsonElement element, ReadOnlySpan<byte> name) =>
        TryGet(element, name, out var value) && value.ValueKind == JsonValueKind.Array
            ? value.EnumerateArray()
            : EmptyArray.EnumerateArray();

    public static bool HasItems(JsonElement element, ReadOnlySpan<byte> name) =>
        TryGet(element, name, out var value) && value.ValueKind == JsonValueKind.Array && value.GetArrayLength() > 0;

    public static bool Has(JsonElement element, ReadOnlySpan<byte> name) =>
        TryGet(element, name, out var value) && value.ValueKind != JsonValueKind.Null;

    public static bool IsObject(JsonElement element) => element.ValueKind == JsonValueKind.Object;

    /// <summary>A FHIR decimal (a JSON number, R4 §2.6.2.3); strings and out-of-range numbers are not values.</summary>
    public static decimal? Decimal(JsonElement element, ReadOnlySpan<byte> name) =>
        TryGet(element, name, out var value) && value.ValueKind == JsonValueKind.Number && value.TryGetDecimal(out var number)
            ? number
            : null;

    /// <summary>The codings of a CodeableConcept (system, code, display as written; non-object entries skipped).</summary>
    public static List<CodingText> Codings(JsonElement concept)
    {
        var codings = new List<CodingText>();
        foreach (var coding in Array(concept, "coding"u8))
        {
            if (coding.ValueKind == JsonValueKind.Object)
            {
                codings.Add(new CodingText(System(coding), String(coding, "code"u8), String(coding, "display"u8)));
            }
        }

        return codings;
    }

    /// <summary>Coding.system, sharing the instance for the code systems the service reads.</summary>
    public static string? System(JsonElement coding) => Known(coding, "system"u8, KnownSystems);

    /// <summary>The code systems the service reads, as shared instances (<see cref="System"/>).</summary>
    public static readonly KnownStrings KnownSystems = new(
    [
        CodeSystems.Loinc,
        CodeSystems.Snomed,
        CodeSystems.Icd10Cm,
        CodeSystems.RxNorm,
        CodeSystems.Ucum,
    ]);
}

/// <summary>
/// A fixed set of strings, to recognise a JSON string value and return the shared instance (or its position in the set)
/// without allocating one. An unescaped value (nearly all) is compared as UTF-8 — byte by byte in a small set, by hash
/// after transcoding on the stack in a larger one; an escaped one is compared decoded.
/// </summary>
internal sealed class KnownStrings
{
    // Up to this many strings a byte comparison per candidate beats transcoding and hashing the value.
    private const int LinearSearchLimit = 8;

    private readonly string[] _strings;
    private readonly byte[][] _utf8;
    private readonly FrozenDictionary<string, int>.AlternateLookup<ReadOnlySpan<char>> _lookup;
    private readonly int _maxUtf8Length;

    public KnownStrings(IEnumerable<string> strings)
    {
        _strings = [.. strings.Distinct(StringComparer.Ordinal)];
        _utf8 = [.. _strings.Select(Encoding.UTF8.GetBytes)];
        _lookup = _strings.Select((text, index) => (text, index))
            .ToFrozenDictionary(entry => entry.text, entry => entry.index, StringComparer.Ordinal)
            .GetAlternateLookup<ReadOnlySpan<char>>();
        _maxUtf8Length = _utf8.Length == 0 ? 0 : _utf8.Max(bytes => bytes.Length);
    }

    public int Count => _strings.Length;

    public string this[int index] => _strings[index];

    /// <summary>The shared instance equal to the JSON string <paramref name="value"/>, or null.</summary>
    public string? Match(JsonElement value) => IndexOf(value) is var index and >= 0 ? _strings[index] : null;

    /// <summary>The position of the string equal to the JSON string <paramref name="value"/>, or -1.</summary>
    public int IndexOf(JsonElement value)
    {
        if (value.ValueKind != JsonValueKind.String)
        {
            return -1;
        }

        if (FhirJson.TryGetUnescaped(value, out var utf8))
        {
            // Equal strings have equal UTF-8 forms, so a longer value cannot be one of the set.
            if (utf8.Length > _maxUtf8Length)
            {
                return -1;
            }

            if (_utf8.Length <= LinearSearchLimit)
            {
                for (var i = 0; i < _utf8.Length; i++)
                {
                    if (utf8.SequenceEqual(_utf8[i]))
                    {
                        return i;
                    }
                }

                return -1;
            }

            // Valid UTF-8 (TryGetUnescaped checked it) never decodes to more UTF-16 code units than it has bytes.
            Span<char> chars = stackalloc char[utf8.Length];
            var written = Encoding.UTF8.GetChars(utf8, chars);
            return _lookup.TryGetValue(chars[..written], out var index) ? index : -1;
        }

        for (var i = 0; i < _utf8.Length; i++)
        {
            if (value.ValueEquals(_utf8[i]))
            {
                return i;
            }
        }

        return -1;
    }
}
