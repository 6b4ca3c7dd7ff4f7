using System.Text;
using System.Text.Json;

namespace CdsService.Fhir.Mapping;

/// <summary>
/// Lenient readers for FHIR R4 JSON (R4 §2.6.2 "JSON representation"): a member of the wrong JSON type reads as absent,
/// exactly as Firely's recoverable mode drops an element it cannot parse, so malformed input degrades to "no data"
/// (and a data issue downstream) rather than an exception. Reading the request's own JSON elements directly is what
/// keeps the hot path free of a second parse (issue 8: parsing 60 Observations into Firely POCOs cost ~0.8 ms and
/// ~880 KB per request). Member names are UTF-8 literals (no transcoding per lookup), and codes compared against a
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

    private static readonly KnownStrings KnownSystems = new(
    [
        Terminology.TerminologyCatalog.Loinc,
        Terminology.TerminologyCatalog.Snomed,
        Terminology.TerminologyCatalog.Icd10Cm,
        Terminology.TerminologyCatalog.RxNorm,
        Terminology.UnitNormalizer.UcumSystem,
    ]);
}

/// <summary>A fixed set of strings with their UTF-8 forms, to recognise a JSON string value without allocating it.</summary>
internal sealed class KnownStrings
{
    private readonly string[] _strings;
    private readonly byte[][] _utf8;

    public KnownStrings(IEnumerable<string> strings)
    {
        _strings = [.. strings.Distinct(StringComparer.Ordinal)];
        _utf8 = [.. _strings.Select(Encoding.UTF8.GetBytes)];
    }

    /// <summary>The shared instance equal to the JSON string <paramref name="value"/>, or null.</summary>
    public string? Match(JsonElement value)
    {
        for (var i = 0; i < _utf8.Length; i++)
        {
            if (value.ValueEquals(_utf8[i]))
            {
                return _strings[i];
            }
        }

        return null;
    }
}
