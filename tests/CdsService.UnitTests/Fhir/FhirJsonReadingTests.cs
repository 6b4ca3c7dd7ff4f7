using System.Text;
using System.Text.Json;
using CdsService.Clinical.Model;
using CdsService.Fhir.Mapping;
using CdsService.Fhir.Terminology;
using static CdsService.UnitTests.Fhir.FhirTestData;

namespace CdsService.UnitTests.Fhir;

/// <summary>
/// The allocation-free readers of the prefetch path (bytes per hook call, docs/performance.md): each is checked against the string path it shortcuts,
/// which is still taken for escaped strings, so the two must give identical values.
/// </summary>
public sealed class FhirJsonReadingTests
{
    private static JsonElement Json(string json) => JsonDocument.Parse(json).RootElement.Clone();

    // Written by hand, not by JsonSerializer: its default encoder escapes '+', which would hide the fast path.
    private static JsonElement JsonString(string value) => Json("\"" + value + "\"");

    // The first character as a \u escape: same value, but only the string path can read it.
    private static JsonElement EscapedJsonString(string value) =>
        Json("\"" + (value.Length == 0 ? "" : $"\\u{(int)value[0]:x4}" + value[1..]) + "\"");

    [Fact]
    public void GivenPlainString_WhenReadUnescaped_ThenItsUtf8IsReturnedWithoutQuotes()
    {
        Assert.True(FhirJson.TryGetUnescaped(JsonString("Observation-1"), out var utf8));
        Assert.Equal("Observation-1", Encoding.UTF8.GetString(utf8));
    }

    [Theory]
    [InlineData("\"o\\u0031\"")]
    [InlineData("\"a\\/b\"")]
    [InlineData("12")]
    [InlineData("null")]
    [InlineData("{}")]
    public void GivenEscapedStringOrNonString_WhenReadUnescaped_ThenRefused(string json) =>
        Assert.False(FhirJson.TryGetUnescaped(Json(json), out _));

    [Fact]
    public void GivenInvalidUtf8String_WhenReadUnescaped_ThenLeftToTheStringPath()
    {
        // System.Text.Json accepts the bytes at parse time and refuses them in GetString; the shortcut must not read them.
        var value = JsonDocument.Parse((byte[])[(byte)'"', (byte)'o', 0xFF, (byte)'"']).RootElement;

        Assert.False(FhirJson.TryGetUnescaped(value, out _));
        Assert.Throws<InvalidOperationException>(() => FhirJson.Concat("Observation/", value));
    }

    [Theory]
    [InlineData("\"o1\"", "Observation/o1")]
    [InlineData("\"o\\u0031\"", "Observation/o1")]
    [InlineData("\"h\u00e9-\u65e5\"", "Observation/h\u00e9-\u65e5")]
    [InlineData("\"\"", "Observation/")]
    public void GivenStringId_WhenConcatenated_ThenTheDecodedValueFollowsThePrefix(string json, string expected) =>
        Assert.Equal(expected, FhirJson.Concat("Observation/", Json(json)));

    [Theory]
    [InlineData("7")]
    [InlineData("null")]
    public void GivenNonStringId_WhenConcatenated_ThenNull(string json) =>
        Assert.Null(FhirJson.Concat("Observation/", Json(json)));

    [Fact]
    public void GivenKnownValue_WhenMatched_ThenTheSharedInstanceIsReturnedWhetherEscapedOrNot()
    {
        var known = new KnownStrings(["ng/dL", "m[IU]/mL", "\u00b5g/L"]);
        var shared = "m[IU]/mL";

        Assert.Same(shared, known.Match(JsonString("m[IU]/mL")));
        Assert.Same(shared, known.Match(EscapedJsonString("m[IU]/mL")));
        Assert.Equal("\u00b5g/L", known.Match(JsonString("\u00b5g/L")));
    }

    [Theory]
    [InlineData(3)]
    [InlineData(40)]
    public void GivenSmallOrLargeSet_WhenLookedUp_ThenEveryMemberFoundAtItsPositionAndNothingElse(int size)
    {
        // Small sets are searched byte by byte, large ones by hash: both must agree with plain string equality.
        var strings = Enumerable.Range(0, size).Select(i => $"code-{i}-\u00e9").ToArray();
        var known = new KnownStrings(strings);

        for (var i = 0; i < size; i++)
        {
            Assert.Equal(i, known.IndexOf(JsonString(strings[i])));
            Assert.Equal(i, known.IndexOf(EscapedJsonString(strings[i])));
            Assert.Same(strings[i], known[i]);
        }

        Assert.Equal(-1, known.IndexOf(JsonString($"code-{size}-\u00e9")));
        Assert.Equal(-1, known.IndexOf(JsonString("code-0-e")));
        Assert.Equal(-1, known.IndexOf(JsonString("")));
        Assert.Equal(-1, known.IndexOf(Json("0")));
    }

    [Theory]
    [InlineData("\"ng/dl\"")]
    [InlineData("\"ng/dL \"")]
    [InlineData("\"a much longer unit than any known one\"")]
    [InlineData("\"\"")]
    [InlineData("5")]
    [InlineData("null")]
    public void GivenUnknownValueOrNonString_WhenMatched_ThenNull(string json) =>
        Assert.Null(new KnownStrings(["ng/dL", "nmol/L"]).Match(Json(json)));

    private static List<string> DateValues()
    {
        string[] years = ["0001", "0002", "2024", "2026", "9998", "9999"];
        string[] days = ["01-01", "02-29", "02-30", "04-31", "12-31", "00-10", "13-01", "1-01"];
        string[] times = ["", "T00:00:00", "T23:59:59", "T24:00:00", "T08:30:60", "T08:30", "T08:30:00.1", "T08:30:00.1234567", "T08:30:00.12345678", "T08:30:00."];
        string[] zones = ["", "Z", "z", "+00:00", "-05:00", "+05:30", "+14:00", "-14:00", "+14:01", "+15:00", "+05:60", "+0500", " "];
        var values = new List<string> { "2026", "2026-10", "", " ", "2026-10-01 ", "\uff12026-10-01", "2026-10-01T08:30:00\u2212" + "05:00" };
        foreach (var year in years)
        {
            foreach (var day in days)
            {
                foreach (var time in times)
                {
                    foreach (var zone in zones)
                    {
                        values.Add($"{year}-{day}{time}{zone}");
                    }
                }
            }
        }

        return values;
    }

    [Fact]
    public void GivenAnyDateValue_WhenReadFromUtf8_ThenSameAsTheStringPath()
    {
        var mismatches = new List<string>();
        foreach (var value in DateValues())
        {
            foreach (var latest in (bool[])[false, true])
            {
                var expected = FhirDates.ToDateTimeOffset(value, latest);
                var actual = FhirDates.ToDateTimeOffset(JsonString(value), latest);
                if (expected.HasValue != actual.HasValue || (expected is { } e && actual is { } a && !e.EqualsExact(a)))
                {
                    mismatches.Add($"'{value}' (latest: {latest}): {expected:O} read as {actual:O}");
                }
            }

            if (value.Length > 0)
            {
                var fast = FhirDates.ToSampleTime(Json($$"""{"effectiveDateTime":{{JsonString(value).GetRawText()}}}"""));
                var reference = FhirDates.ToSampleTime(Json($$"""{"effectiveDateTime":{{EscapedJsonString(value).GetRawText()}}}"""));
                if (reference.HasValue != fast.HasValue
                    || (reference is { } r && fast is { } f && !(r.Value.EqualsExact(f.Value) && r.TimeRecorded == f.TimeRecorded)))
                {
                    mismatches.Add($"'{value}' as a sample time: {reference} read as {fast}");
                }
            }
        }

        Assert.Empty(mismatches);
    }

    [Theory]
    [InlineData("2026-10-01", true)]
    [InlineData("2026-10-01T08:30:00-05:00", false)]
    [InlineData("2026-10-01T08:30:00.25Z", false)]
    public void GivenCommonShape_WhenParsedFromUtf8_ThenReadWithoutTheStringPath(string value, bool dateOnly)
    {
        Assert.True(FhirDates.TryParseCommon(Encoding.UTF8.GetBytes(value), out var parsed, out var isDateOnly));
        Assert.Equal(dateOnly, isDateOnly);
        Assert.True(FhirDates.ToDateTimeOffset(value, latest: false)!.Value.EqualsExact(parsed));
    }

    [Fact]
    public void GivenPrefetchValues_WhenCounted_ThenBundleEntriesOrOneResource()
    {
        Assert.Equal(3, FhirResourceSet.EntryCount(Json(Bundle([Patient(), Observation("o1", "2986-8", 250m, "ng/dL"), Observation("o2", "2986-8", 260m, "ng/dL")]))));
        Assert.Equal(1, FhirResourceSet.EntryCount(Json(Patient())));
        Assert.Equal(0, FhirResourceSet.EntryCount(Json("""{"resourceType":"Bundle"}""")));
        Assert.Equal(0, FhirResourceSet.EntryCount(Json("[]")));
    }

    [Fact]
    public void GivenSameResourceWithEscapedId_WhenGathered_ThenDeduplicatedAndCitedByItsDecodedId()
    {
        var set = new FhirResourceSet(2);
        set.AddJson(Json(Bundle([Observation("o1", "2986-8", 250m, "ng/dL")])));
        set.AddJson(Json(Bundle([Observation("o\\u0031", "2986-8", 250m, "ng/dL"), Observation("o\\u0032", "2986-8", 260m, "ng/dL")])));

        Assert.Equal(["Observation/o1", "Observation/o2"], set.Resources.Select(r => r.SourceId));
        Assert.Equal(3, set.ResourcesRead);
    }

    [Fact]
    public void GivenMedicationWithEscapedId_WhenReferenced_ThenResolved()
    {
        var set = new FhirResourceSet();
        set.AddJson(Json(Bundle([
            MedicationRequestByReference("mr1", "Medication/med1"),
            Medication("med\\u0031", "Testosterone undecanoate 750 mg/3 mL"),
        ])));

        var snapshot = new SnapshotMapper(TerminologyCatalog.Default).Map(set, PatientId, []);

        Assert.Equal(MedicationClass.Testosterone, Assert.Single(snapshot.Medications).Class);
    }

    [Fact]
    public void GivenLabsEqualOnEverySortKey_WhenMapped_ThenInputOrderKept()
    {
        // No id (so no SourceId), same time, analyte and value: only the unit differs, and the sort must be stable.
        var molar = Observation("x", "2986-8", 10m, "nmol/L").Replace("\"id\":\"x\",", "", StringComparison.Ordinal);
        var mass = Observation("x", "2986-8", 10m, "ng/dL").Replace("\"id\":\"x\",", "", StringComparison.Ordinal);

        LabUnit[] Units(params string[] resources)
        {
            var set = new FhirResourceSet();
            set.AddJson(Json(Bundle(resources)));
            return [.. new SnapshotMapper(TerminologyCatalog.Default).Map(set, PatientId, []).Labs.Select(l => l.Quantity.Unit)];
        }

        Assert.Equal([LabUnit.NanomolesPerLiter, LabUnit.NanogramsPerDeciliter], Units(molar, mass));
        Assert.Equal([LabUnit.NanogramsPerDeciliter, LabUnit.NanomolesPerLiter], Units(mass, molar));
    }

    [Fact]
    public void GivenMoreItemsThanTheFirstArray_WhenAddedToPooledList_ThenAllKeptInOrderUntilDisposed()
    {
        var list = default(PooledList<string?>);
        var expected = Enumerable.Range(0, 37).Select(i => i % 5 == 0 ? null : $"item {i}").ToArray();
        foreach (var item in expected)
        {
            list.Add(item);
        }

        Assert.Equal(expected, list.Items.ToArray());
        list.Dispose();
        Assert.Equal(0, list.Count);
        Assert.True(list.Items.IsEmpty);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(3)]
    [InlineData(100)]
    public void GivenAnyInitialCapacity_WhenItemsAddedToPooledList_ThenAllKeptInOrder(int capacity)
    {
        var list = new PooledList<int>(capacity);
        for (var i = 0; i < 10; i++)
        {
            list.Add(i);
        }

        Assert.Equal(Enumerable.Range(0, 10), list.Items.ToArray());
        list.Dispose();
    }

    [Theory]
    [InlineData("metformin 500 MG Oral Tablet", "metformin 500 MG Oral Tablet", false, null)]
    [InlineData("metformin 500 MG Oral Tablet", "Testosterone cypionate 200 mg/mL", true, "Testosterone cypionate 200 mg/mL")]
    [InlineData("Testosterone cypionate 200 mg/mL", "Testosterone cypionate 200 mg/mL", true, "Testosterone cypionate 200 mg/mL")]
    public void GivenTextEqualToOrDifferentFromDisplay_WhenClassified_ThenOnlyAMatchingNameClassifies(string display, string text, bool classified, string? expectedDisplay)
    {
        var found = MedicationClassifier.TryClassify(
            TerminologyCatalog.Default, [new CodingText("http://example.org/formulary", "X1", display)], [text], out var medicationClass, out var shown);

        Assert.Equal(classified, found);
        Assert.Equal(classified ? MedicationClass.Testosterone : MedicationClass.Other, medicationClass);
        Assert.Equal(expectedDisplay, shown);
    }
}
