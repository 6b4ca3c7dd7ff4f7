using System.Globalization;
using System.Text.Json;
using CdsService.Clinical.Model;
using P = Hl7.Fhir.ElementModel.Types;

namespace CdsService.Fhir.Mapping;

/// <summary>FHIR date/dateTime/instant values to BCL types, keeping the sender's UTC offset.</summary>
internal static class FhirDates
{
    /// <summary>
    /// A sample time from <c>effective[x]</c> of a resource in FHIR JSON: <c>effectiveDateTime</c>,
    /// <c>effectivePeriod.start</c> or <c>effectiveInstant</c>. A date-only value becomes <see cref="SampleTime.OnDate"/>
    /// (the rules count it as morning and flag "time not recorded": docs/clinical/hypogonadism-rules.md §2). A year or year-month value is too vague to
    /// place in the lookback and is refused (null).
    /// </summary>
    public static SampleTime? ToSampleTime(JsonElement resource)
    {
        var dateTime = FhirJson.Member(resource, "effectiveDateTime"u8);
        if (dateTime.ValueKind == JsonValueKind.String)
        {
            return FromDateTime(dateTime);
        }

        var period = FhirJson.Object(resource, "effectivePeriod"u8);
        if (FhirJson.IsObject(period))
        {
            return FromDateTime(FhirJson.Member(period, "start"u8));
        }

        // instant: always a time with a zone (R4 §2.24.0.1 instant); a bare date or a time without zone is not one.
        return FhirJson.String(resource, "effectiveInstant"u8) is { } instant
            && P.DateTime.TryParse(instant, out var parsed) && parsed.HasOffset
            && parsed.Precision is not (P.DateTimePrecision.Year or P.DateTimePrecision.Month or P.DateTimePrecision.Day)
            ? SampleTime.At(parsed.ToDateTimeOffset(TimeSpan.Zero))
            : null;
    }

    /// <summary>
    /// <see cref="ToDateTimeOffset(string?, bool)"/> of a JSON value as written in the request: the common shapes are
    /// read from its UTF-8 without a string; anything else (and any non-string) takes the string path.
    /// </summary>
    public static DateTimeOffset? ToDateTimeOffset(JsonElement value, bool latest) =>
        FhirJson.TryGetUnescaped(value, out var utf8) && TryParseCommon(utf8, out var common, out _)
            ? common
            : ToDateTimeOffset(StringValue(value), latest);

    /// <summary>
    /// A point in time from a FHIR date or dateTime string. An imprecise value is resolved to the start or the end
    /// of the period it names (<paramref name="latest"/>), chosen by the caller as the clinically conservative end
    /// (e.g. the latest possible onset of a myocardial infarction).
    /// </summary>
    public static DateTimeOffset? ToDateTimeOffset(string? value, bool latest)
    {
        if (TryParseCommon(value, out var common, out _))
        {
            // A full date or a dateTime with zone: its own start and end (only year and month precision widen).
            return common;
        }

        if (string.IsNullOrWhiteSpace(value) || !P.DateTime.TryParse(value, out var parsed))
        {
            return null;
        }

        var start = parsed.ToDateTimeOffset(TimeSpan.Zero);
        if (!latest)
        {
            return start;
        }

        return parsed.Precision switch
        {
            P.DateTimePrecision.Year => start.AddYears(1).AddDays(-1),
            P.DateTimePrecision.Month => start.AddMonths(1).AddDays(-1),
            _ => start,
        };
    }

    /// <summary>
    /// A birth date; a partial date (year or year-month) resolves to the latest possible day so that an age
    /// threshold (adults only: ClinicalThresholds.AdultAgeYears, 18) is never met early.
    /// </summary>
    public static DateOnly? ToBirthDate(string? value, out bool imprecise)
    {
        imprecise = false;
        if (string.IsNullOrWhiteSpace(value))
        {
            return null;
        }

        if (DateOnly.TryParseExact(value, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var day))
        {
            return day;
        }

        imprecise = true;
        if (DateOnly.TryParseExact(value, "yyyy-MM", CultureInfo.InvariantCulture, DateTimeStyles.None, out var month))
        {
            return month.AddMonths(1).AddDays(-1);
        }

        return DateOnly.TryParseExact(value, "yyyy", CultureInfo.InvariantCulture, DateTimeStyles.None, out var year)
            ? year.AddYears(1).AddDays(-1)
            : null;
    }

    private static SampleTime? FromDateTime(JsonElement value)
    {
        if (FhirJson.TryGetUnescaped(value, out var utf8) && TryParseCommon(utf8, out var common, out var dateOnly))
        {
            return dateOnly ? SampleTime.OnDate(DateOnly.FromDateTime(common.DateTime)) : SampleTime.At(common);
        }

        return FromDateTime(StringValue(value));
    }

    private static string? StringValue(JsonElement value) => value.ValueKind == JsonValueKind.String ? value.GetString() : null;

    private static SampleTime? FromDateTime(string? value)
    {
        if (TryParseCommon(value, out var common, out var dateOnly))
        {
            return dateOnly ? SampleTime.OnDate(DateOnly.FromDateTime(common.DateTime)) : SampleTime.At(common);
        }

        if (string.IsNullOrWhiteSpace(value) || !P.DateTime.TryParse(value, out var parsed))
        {
            return null;
        }

        switch (parsed.Precision)
        {
            case P.DateTimePrecision.Year or P.DateTimePrecision.Month:
                return null;
            case P.DateTimePrecision.Day:
                var date = parsed.ToDateTimeOffset(TimeSpan.Zero);
                return SampleTime.OnDate(new DateOnly(date.Year, date.Month, date.Day));
            default:
                // FHIR requires a zone whenever a time is given; if a sender omits it, the wall-clock time is kept
                // as written (offset zero) because "morning" is judged on the local clock
                // of the timestamp (docs/clinical/hypogonadism-rules.md §2).
                return SampleTime.At(parsed.ToDateTimeOffset(TimeSpan.Zero));
        }
    }
    // The two shapes nearly every EHR sends: a full date (YYYY-MM-DD) and a dateTime to the second with a zone
    // (YYYY-MM-DDThh:mm:ss[.fffffff](Z|+hh:mm|-hh:mm), R4 §2.24.0.1). Parsed exactly, without allocating, to the same
    // value Firely's FHIR dateTime parser gives (a date at 00:00 offset zero; a dateTime with its written offset).
    // Anything else (partial dates, no zone, more than 7 fraction digits, leap seconds) goes to that parser.
    private static readonly string[] CommonDateTimeFormats = ["yyyy-MM-dd'T'HH:mm:ssK", "yyyy-MM-dd'T'HH:mm:ss.FFFFFFFK"];

    private static bool TryParseCommon(string? value, out DateTimeOffset result, out bool dateOnly)
    {
        result = default;
        dateOnly = false;
        if (value is null)
        {
            return false;
        }

        if (value.Length == 10)
        {
            if (DateOnly.TryParseExact(value, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var day))
            {
                result = new DateTimeOffset(day.ToDateTime(TimeOnly.MinValue), TimeSpan.Zero);
                dateOnly = true;
                return true;
            }

            return false;
        }

        // "K" also accepts no zone at all (then the machine's zone would be assumed): require one explicitly.
        var hasZone = value.Length >= 20
            && (value[^1] == 'Z' || (value.Length >= 25 && value[^6] is '+' or '-' && value[^3] == ':'));
        return hasZone && DateTimeOffset.TryParseExact(value, CommonDateTimeFormats, CultureInfo.InvariantCulture, DateTimeStyles.None, out result);
    }

    /// <summary>
    /// The same two shapes read from the request's UTF-8 (no string, no culture-aware parser), accepting only what the
    /// exact formats above accept with the same value; anything it does not accept (out-of-range fields, an offset
    /// beyond ±14:00, years at the edges of the calendar, non-ASCII) is left to the string path, so the result can
    /// only differ from it in cost.
    /// </summary>
    internal static bool TryParseCommon(ReadOnlySpan<byte> value, out DateTimeOffset result, out bool dateOnly)
    {
        result = default;
        dateOnly = false;
        if (value.Length < 10 || !TryDate(value, out var year, out var month, out var day))
        {
            return false;
        }

        if (value.Length == 10)
        {
            result = new DateTimeOffset(year, month, day, 0, 0, 0, TimeSpan.Zero);
            dateOnly = true;
            return true;
        }

        // A zone-crossing value at the calendar's edges could fall outside DateTimeOffset's range: the string path decides.
        if (year is < 2 or > 9998 || value.Length < 20 || value[10] != (byte)'T' || value[13] != (byte)':' || value[16] != (byte)':'
            || !TryTwoDigits(value[11..], 23, out var hour) || !TryTwoDigits(value[14..], 59, out var minute)
            || !TryTwoDigits(value[17..], 59, out var second))
        {
            return false;
        }

        var rest = value[19..];
        long fractionTicks = 0;
        if (rest[0] == (byte)'.')
        {
            var digits = 0;
            while (digits + 1 < rest.Length && char.IsAsciiDigit((char)rest[digits + 1]))
            {
                digits++;
            }

            // "FFFFFFF": one to seven digits of a second (ticks are 100 ns).
            if (digits is 0 or > 7)
            {
                return false;
            }

            for (var i = 1; i <= digits; i++)
            {
                fractionTicks = (fractionTicks * 10) + (rest[i] - '0');
            }

            for (var i = digits; i < 7; i++)
            {
                fractionTicks *= 10;
            }

            rest = rest[(digits + 1)..];
        }

        if (!TryZone(rest, out var offset))
        {
            return false;
        }

        result = new DateTimeOffset(year, month, day, hour, minute, second, offset).AddTicks(fractionTicks);
        return true;
    }

    private static bool TryDate(ReadOnlySpan<byte> value, out int year, out int month, out int day)
    {
        year = month = day = 0;
        if (value[4] != (byte)'-' || value[7] != (byte)'-' || !TryTwoDigits(value, 99, out var century)
            || !TryTwoDigits(value[2..], 99, out var yearOfCentury) || !TryTwoDigits(value[5..], 12, out month)
            || !TryTwoDigits(value[8..], 31, out day))
        {
            return false;
        }

        year = (century * 100) + yearOfCentury;
        return year >= 1 && month >= 1 && day >= 1 && day <= DateTime.DaysInMonth(year, month);
    }

    // "Z", or "+hh:mm" / "-hh:mm" within DateTimeOffset's ±14:00.
    private static bool TryZone(ReadOnlySpan<byte> zone, out TimeSpan offset)
    {
        offset = TimeSpan.Zero;
        if (zone.Length == 1 && zone[0] == (byte)'Z')
        {
            return true;
        }

        if (zone.Length != 6 || zone[0] is not ((byte)'+' or (byte)'-') || zone[3] != (byte)':'
            || !TryTwoDigits(zone[1..], 14, out var hours) || !TryTwoDigits(zone[4..], 59, out var minutes)
            || (hours == 14 && minutes != 0))
        {
            return false;
        }

        offset = new TimeSpan(hours, minutes, 0);
        if (zone[0] == (byte)'-')
        {
            offset = offset.Negate();
        }

        return true;
    }

    private static bool TryTwoDigits(ReadOnlySpan<byte> value, int max, out int number)
    {
        number = 0;
        if (!char.IsAsciiDigit((char)value[0]) || !char.IsAsciiDigit((char)value[1]))
        {
            return false;
        }

        number = ((value[0] - '0') * 10) + (value[1] - '0');
        return number <= max;
    }
}
