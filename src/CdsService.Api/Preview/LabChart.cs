using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using CdsService.Clinical.Hypogonadism;
using CdsService.Clinical.Model;
using CdsService.Fhir.Terminology;

namespace CdsService.Api.Preview;

/// <summary>How a sample's time of day counts for the rules (docs/clinical/hypogonadism-rules.md: morning = before the cutoff in the sample's own offset).</summary>
public enum SampleTiming
{
    Morning,
    NotMorning,

    /// <summary>No time in the result: counted as morning by the rules, and flagged (fhir-profiles/README.md).</summary>
    DateOnly,
}

/// <summary>One plotted result, in the rules' canonical unit.</summary>
public sealed record LabPoint(Analyte Analyte, DateTimeOffset When, decimal Value, SampleTiming Timing, string Status);

/// <summary>
/// The lab-trend chart of the preview page: total testosterone, free testosterone, LH and FSH over time, one small
/// panel per analyte on a shared time axis, as inline SVG (no script, no library; works offline). Threshold lines and
/// the morning cutoff come from <see cref="ClinicalThresholds"/> — the numbers the engine decides with — so the chart
/// cannot show a different rule than the one applied. Values are converted to the rules' canonical unit with the
/// same terminology and unit tables as the engine (<see cref="TerminologyCatalog"/>, <see cref="UnitNormalizer"/>,
/// <see cref="LabUnits"/>); a result in a unit the rules cannot read is not plotted, as the engine does not use it.
/// </summary>
public static class LabChart
{
    private const int Width = 760;
    private const int PanelHeight = 120;
    private const int PanelGap = 34;
    private const int Left = 70;
    private const int Right = 150;
    private const int Top = 30;

    private static readonly Analyte[] Plotted = [Analyte.TotalTestosterone, Analyte.FreeTestosterone, Analyte.Lh, Analyte.Fsh];

    // Only results the rules read (clinical brief §5: final, amended, corrected); preliminary or entered-in-error
    // values are left off so the chart shows what the decision used.
    private static readonly string[] UsableStatuses = ["final", "amended", "corrected"];

    /// <summary>The plottable results in a searchset Bundle (the hormoneLabs prefetch).</summary>
    public static IReadOnlyList<LabPoint> Points(JsonNode? searchset, ClinicalThresholds thresholds)
    {
        ArgumentNullException.ThrowIfNull(thresholds);
        var points = new List<LabPoint>();
        foreach (var resource in (searchset?["entry"] as JsonArray ?? []).Select(e => e?["resource"] as JsonObject).OfType<JsonObject>())
        {
            if (Str(resource, "resourceType") != "Observation" || !UsableStatuses.Contains(Str(resource, "status"))
                || !TryAnalyte(resource, out var analyte) || !Plotted.Contains(analyte)
                || resource["valueQuantity"] is not JsonObject quantity || !TryDecimal(quantity["value"], out var value)
                || !UnitNormalizer.TryNormalize(analyte, Str(quantity, "system"), Str(quantity, "code"), Str(quantity, "unit"), out var unit)
                || !LabUnits.TryToCanonical(analyte, value, unit, out var canonical)
                || !TryWhen(resource, thresholds.MorningCutoff, out var when, out var timing))
            {
                continue;
            }

            points.Add(new LabPoint(analyte, when, canonical, timing, Str(resource, "status")!));
        }

        return [.. points.OrderBy(p => p.When)];
    }

    /// <summary>The chart as an SVG element, or null when there is nothing to plot.</summary>
    public static string? Svg(IReadOnlyList<LabPoint> points, ClinicalThresholds thresholds)
    {
        ArgumentNullException.ThrowIfNull(points);
        ArgumentNullException.ThrowIfNull(thresholds);
        var panels = Plotted.Where(a => points.Any(p => p.Analyte == a)).ToList();
        if (panels.Count == 0)
        {
            return null;
        }

        var start = points.Min(p => p.When).AddDays(-10);
        var end = points.Max(p => p.When).AddDays(10);
        var plotWidth = Width - Left - Right;
        double X(DateTimeOffset t) => Left + (plotWidth * (t - start).TotalSeconds / (end - start).TotalSeconds);

        var height = Top + (panels.Count * (PanelHeight + PanelGap)) + 30;
        var svg = new StringBuilder();
        svg.Append(CultureInfo.InvariantCulture, $"<svg class=\"lab-chart\" role=\"img\" aria-labelledby=\"chart-title\" xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 {Width} {height}\" width=\"{Width}\" height=\"{height}\">");
        svg.Append("<title id=\"chart-title\">Hormone results over time with decision thresholds</title>");
        Legend(svg);

        for (var i = 0; i < panels.Count; i++)
        {
            var analyte = panels[i];
            var top = Top + (i * (PanelHeight + PanelGap));
            var series = points.Where(p => p.Analyte == analyte).ToList();
            var threshold = Threshold(analyte, thresholds);
            var max = (double)Math.Max(series.Max(p => p.Value), threshold?.Value ?? 0) * 1.2;
            double Y(decimal v) => top + PanelHeight - (PanelHeight * (double)v / max);

            svg.Append(CultureInfo.InvariantCulture, $"<g class=\"panel\" data-analyte=\"{analyte}\">");
            svg.Append(CultureInfo.InvariantCulture, $"<rect x=\"{Left}\" y=\"{top}\" width=\"{plotWidth}\" height=\"{PanelHeight}\" fill=\"#fafafa\" stroke=\"#ccc\"/>");
            svg.Append(CultureInfo.InvariantCulture, $"<text x=\"{Left - 8}\" y=\"{top + 14}\" text-anchor=\"end\" class=\"axis-label\">{Name(analyte)}</text>");
            svg.Append(CultureInfo.InvariantCulture, $"<text x=\"{Left - 8}\" y=\"{top + 28}\" text-anchor=\"end\" class=\"unit\">{Esc(LabUnits.Symbol(LabUnits.CanonicalUnit(analyte)))}</text>");
            svg.Append(CultureInfo.InvariantCulture, $"<text x=\"{Left - 8}\" y=\"{top + PanelHeight}\" text-anchor=\"end\" class=\"unit\">0</text>");
            svg.Append(CultureInfo.InvariantCulture, $"<text x=\"{Left - 8}\" y=\"{top + 42}\" text-anchor=\"end\" class=\"unit\">max {Fmt((decimal)max)}</text>");

            if (threshold is { } t)
            {
                var y = Y(t.Value);
                svg.Append(CultureInfo.InvariantCulture, $"<line class=\"threshold\" x1=\"{Left}\" x2=\"{Left + plotWidth}\" y1=\"{y:0.#}\" y2=\"{y:0.#}\" stroke=\"#b00020\" stroke-dasharray=\"6 4\"/>");
                svg.Append(CultureInfo.InvariantCulture, $"<text class=\"threshold-label\" x=\"{Left + plotWidth + 6}\" y=\"{y + 4:0.#}\" fill=\"#b00020\">{Esc(t.Label)}</text>");
            }

            var path = string.Join(' ', series.Select((p, k) => string.Create(CultureInfo.InvariantCulture, $"{(k == 0 ? 'M' : 'L')}{X(p.When):0.#},{Y(p.Value):0.#}")));
            svg.Append(CultureInfo.InvariantCulture, $"<path d=\"{path}\" fill=\"none\" stroke=\"#1f5fa8\" stroke-width=\"1.5\"/>");
            foreach (var p in series)
            {
                Marker(svg, X(p.When), Y(p.Value), p);
            }

            svg.Append("</g>");
        }

        // Shared time axis: first and last sample dates, and month starts between them.
        var axisY = Top + (panels.Count * (PanelHeight + PanelGap)) - PanelGap + 16;
        for (var month = new DateTimeOffset(start.Year, start.Month, 1, 0, 0, 0, TimeSpan.Zero).AddMonths(1); month < end; month = month.AddMonths(1))
        {
            svg.Append(CultureInfo.InvariantCulture, $"<text class=\"tick\" x=\"{X(month):0.#}\" y=\"{axisY}\" text-anchor=\"middle\">{month:MMM yyyy}</text>");
        }

        svg.Append("</svg>");
        return svg.ToString();
    }

    private static void Legend(StringBuilder svg)
    {
        svg.Append("<g class=\"legend\" font-size=\"12\">");
        svg.Append("<circle cx=\"80\" cy=\"12\" r=\"5\" fill=\"#1f5fa8\"/><text x=\"90\" y=\"16\">morning sample</text>");
        svg.Append("<path d=\"M220 6 L226 17 L214 17 Z\" fill=\"#fff\" stroke=\"#d2691e\" stroke-width=\"2\"/><text x=\"232\" y=\"16\">not a morning sample</text>");
        svg.Append("<rect x=\"385\" y=\"7\" width=\"10\" height=\"10\" fill=\"#fff\" stroke=\"#1f5fa8\" stroke-width=\"2\"/><text x=\"401\" y=\"16\">date only (counted as morning)</text>");
        svg.Append("<line x1=\"595\" x2=\"625\" y1=\"12\" y2=\"12\" stroke=\"#b00020\" stroke-dasharray=\"6 4\"/><text x=\"630\" y=\"16\">threshold</text>");
        svg.Append("</g>");
    }

    private static void Marker(StringBuilder svg, double x, double y, LabPoint p)
    {
        var title = string.Create(CultureInfo.InvariantCulture, $"{Name(p.Analyte)} {Fmt(p.Value)} {LabUnits.Symbol(LabUnits.CanonicalUnit(p.Analyte))}, {p.When:yyyy-MM-dd HH:mm zzz}, {Timing(p.Timing)}");
        var shape = p.Timing switch
        {
            SampleTiming.Morning => string.Create(CultureInfo.InvariantCulture, $"<circle class=\"sample morning\" cx=\"{x:0.#}\" cy=\"{y:0.#}\" r=\"5\" fill=\"#1f5fa8\">"),
            SampleTiming.NotMorning => string.Create(CultureInfo.InvariantCulture, $"<path class=\"sample not-morning\" d=\"M{x:0.#} {y - 7:0.#} L{x + 6:0.#} {y + 4:0.#} L{x - 6:0.#} {y + 4:0.#} Z\" fill=\"#fff\" stroke=\"#d2691e\" stroke-width=\"2\">"),
            _ => string.Create(CultureInfo.InvariantCulture, $"<rect class=\"sample date-only\" x=\"{x - 5:0.#}\" y=\"{y - 5:0.#}\" width=\"10\" height=\"10\" fill=\"#fff\" stroke=\"#1f5fa8\" stroke-width=\"2\">"),
        };
        var close = p.Timing switch { SampleTiming.Morning => "</circle>", SampleTiming.NotMorning => "</path>", _ => "</rect>" };
        svg.Append(shape).Append("<title>").Append(Esc(title)).Append("</title>").Append(close);
        svg.Append(CultureInfo.InvariantCulture, $"<text class=\"value\" x=\"{x:0.#}\" y=\"{y - 10:0.#}\" text-anchor=\"middle\">{Fmt(p.Value)}</text>");
    }

    /// <summary>The decision threshold drawn for an analyte, with its label; FSH has none in the rules.</summary>
    public static (decimal Value, string Label)? Threshold(Analyte analyte, ClinicalThresholds thresholds)
    {
        ArgumentNullException.ThrowIfNull(thresholds);
        return analyte switch
        {
            Analyte.TotalTestosterone => (thresholds.TotalTestosteroneLowNgPerDl, $"low < {Fmt(thresholds.TotalTestosteroneLowNgPerDl)}"),
            Analyte.FreeTestosterone => (thresholds.FreeTestosteroneLowPmolPerL, $"low < {Fmt(thresholds.FreeTestosteroneLowPmolPerL)}"),
            Analyte.Lh => (thresholds.LhHighIuPerL, $"high > {Fmt(thresholds.LhHighIuPerL)}"),
            _ => null,
        };
    }

    public static string Name(Analyte analyte) => analyte switch
    {
        Analyte.TotalTestosterone => "Total T",
        Analyte.FreeTestosterone => "Free T",
        Analyte.Lh => "LH",
        Analyte.Fsh => "FSH",
        _ => analyte.ToString(),
    };

    public static string Timing(SampleTiming timing) => timing switch
    {
        SampleTiming.Morning => "morning",
        SampleTiming.NotMorning => "not morning",
        _ => "date only",
    };

    private static bool TryAnalyte(JsonObject observation, out Analyte analyte)
    {
        foreach (var coding in (observation["code"]?["coding"] as JsonArray ?? []).OfType<JsonObject>())
        {
            if (TerminologyCatalog.Default.TryGetAnalyte(Str(coding, "system"), Str(coding, "code"), out analyte))
            {
                return true;
            }
        }

        analyte = default;
        return false;
    }

    private static bool TryWhen(JsonObject observation, TimeOnly morningCutoff, out DateTimeOffset when, out SampleTiming timing)
    {
        var text = Str(observation, "effectiveDateTime") ?? Str(observation, "effectiveInstant")
            ?? Str(observation["effectivePeriod"] as JsonObject, "start");
        timing = SampleTiming.DateOnly;
        when = default;
        if (text is null)
        {
            return false;
        }

        if (text.Length == 10 && DateOnly.TryParseExact(text, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var date))
        {
            when = new DateTimeOffset(date.ToDateTime(new TimeOnly(12, 0)), TimeSpan.Zero);
            return true;
        }

        // The clock time in the sample's own offset decides (a 08:20-07:00 draw is a morning draw wherever it is read).
        if (!DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out when))
        {
            return false;
        }

        timing = TimeOnly.FromTimeSpan(when.TimeOfDay) < morningCutoff ? SampleTiming.Morning : SampleTiming.NotMorning;
        return true;
    }

    private static bool TryDecimal(JsonNode? node, out decimal value)
    {
        value = 0;
        return node is JsonValue v && v.GetValueKind() == JsonValueKind.Number && v.TryGetValue(out value);
    }

    private static string? Str(JsonObject? obj, string name) =>
        obj?[name] is JsonValue value && value.GetValueKind() == JsonValueKind.String ? value.GetValue<string>() : null;

    private static string Fmt(decimal value) => value.ToString(value >= 100 ? "0" : "0.#", CultureInfo.InvariantCulture);

    private static string Esc(string text) => System.Net.WebUtility.HtmlEncode(text);
}
