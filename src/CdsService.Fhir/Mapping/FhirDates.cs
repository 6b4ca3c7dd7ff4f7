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
    /// (the rules count it as morning and flag "time not recorded", issue 3). A year or year-month value is too vague to
    /// place in the lookback and is refused (null).
    /// </summary>
    public static SampleTime? ToSampleTime(JsonElement resource)
    {
        if (FhirJson.String(resource, "effectiveDateTime"u8) is { } dateTime)
        {
            return FromDateTime(dateTime);
        }

        var period = FhirJson.Object(resource, "effectivePeriod"u8);
        if (FhirJson.IsObject(period))
        {
            return FromDateTime(FhirJson.String(period, "start"u8));
        }

        // instant: always a time with a zone (R4 §2.24.0.1 instant); a bare date or a time without zone is not one.
        return FhirJson.String(resource, "effectiveInstant"u8) is { } instant
            && P.DateTime.TryParse(instant, out var parsed) && parsed.HasOffset
            && parsed.Precision is not (P.DateTimePrecision.Year or P.DateTimePrecision.Month or P.DateTimePrecision.Day)
            ? SampleTime.At(parsed.ToDateTimeOffset(TimeSpan.Zero))
            : null;
    }

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
    /// threshold (18 years, issue 3) is never met early.
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
                // as written (offset zero) because "morning" is judged on the local clock (issue 3).
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
}
