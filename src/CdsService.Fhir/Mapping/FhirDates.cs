using System.Globalization;
using CdsService.Clinical.Model;
using Hl7.Fhir.Model;
using P = Hl7.Fhir.ElementModel.Types;

namespace CdsService.Fhir.Mapping;

/// <summary>FHIR date/dateTime/instant values to BCL types, keeping the sender's UTC offset.</summary>
internal static class FhirDates
{
    /// <summary>
    /// A sample time from effective[x]: dateTime, Period.start or instant. A date-only value becomes
    /// <see cref="SampleTime.OnDate"/> (the rules count it as morning and flag "time not recorded", issue 3).
    /// A year or year-month value is too vague to place in the lookback and is refused (null).
    /// </summary>
    public static SampleTime? ToSampleTime(DataType? effective) => effective switch
    {
        FhirDateTime dateTime => FromDateTime(dateTime.Value),
        Period period => FromDateTime(period.Start),
        Instant { Value: { } instant } => SampleTime.At(instant),
        _ => null,
    };

    /// <summary>
    /// A point in time from a FHIR date or dateTime string. An imprecise value is resolved to the start or the end
    /// of the period it names (<paramref name="latest"/>), chosen by the caller as the clinically conservative end
    /// (e.g. the latest possible onset of a myocardial infarction).
    /// </summary>
    public static DateTimeOffset? ToDateTimeOffset(string? value, bool latest)
    {
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
}
