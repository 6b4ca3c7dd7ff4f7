using System.Collections.Immutable;
using System.Globalization;
using CdsService.Clinical.Hypogonadism;
using CdsService.Clinical.Model;
using CdsService.Protocol;

namespace CdsService.Cards;

/// <summary>
/// What the cards of one hook call are written from: the request, the absolute link to the rules document and the
/// guideline pages, and the small facts several cards print (today, the newest value of an analyte, a monitoring plan).
/// One per call, read-only, so the card bodies stay static and stateless.
/// </summary>
internal sealed class CardContext(CardRequest request, string rulesUrl, GuidelineLinks guidelines, string? handoutUrl = null, Link? smartLink = null)
{
    /// <summary>Absolute URL of the patient handout, or null when not configured.</summary>
    public string? HandoutUrl { get; } = handoutUrl;

    /// <summary>The link of type "smart" to the work-up view, or null when the app is not enabled.</summary>
    public Link? SmartLink { get; } = smartLink;

    public CardRequest Request { get; } = request;

    /// <summary>Absolute URL of the rules document (CDS Hooks 2.0 §Link: links are absolute).</summary>
    public string RulesUrl { get; } = rulesUrl;

    public GuidelineLinks Guidelines { get; } = guidelines;

    public Assessment Assessment => Request.Assessment;

    public PatientSnapshot Snapshot => Request.Snapshot;

    /// <summary>The day of the assessment, so due dates and "baseline now" do not depend on when the card is written.</summary>
    public DateOnly Today => DateOnly.FromDateTime(Assessment.EvaluatedAt.DateTime);

    /// <summary>The engine's plan when it was made for <paramref name="therapy"/>; otherwise none.</summary>
    public ImmutableArray<MonitoringItem> PlanFor(TherapyKind therapy) =>
        Assessment.MonitoringFor == therapy ? Assessment.MonitoringPlan : [];

    /// <summary>"TT 245 ng/dL": the newest value of an analyte the rules used, for the summary.</summary>
    public string? KeyValue(Analyte analyte, string label)
    {
        // The first of the newest, as a stable descending sort would pick.
        EvidenceItem? newest = null;
        foreach (var evidence in Assessment.Evidence)
        {
            if (evidence.Analyte == analyte && (newest is null || evidence.EffectiveTime.Value > newest.EffectiveTime.Value))
            {
                newest = evidence;
            }
        }

        return newest is null
            ? null
            : $"{label} {ClinicalWording.Comparator(newest.Comparator)}{MarkdownText.Number(newest.Quantity.Value)} {ClinicalWords.DescribeOrThrow(newest.Quantity.Unit)}";
    }

    /// <summary>
    /// The core of a monitoring card's summary: what is due now (baseline) and the next date, so the prescriber sees
    /// the plan's urgency within the 140-character summary (CDS Hooks 2.0 §Card).
    /// </summary>
    public string MonitoringCore(string drug, ImmutableArray<MonitoringItem> plan)
    {
        if (plan.IsDefaultOrEmpty)
        {
            return $"{drug}: monitoring plan needed";
        }

        var today = Today;
        var baseline = false;
        DateOnly? next = null;
        foreach (var item in plan)
        {
            if (item.Due <= today)
            {
                baseline = true;
            }
            else if (next is null || item.Due < next)
            {
                next = item.Due;
            }
        }

        // A man already on testosterone has no baseline: what is due now is overdue or the next routine check.
        var now = Assessment.AndrogenExposure == AndrogenExposure.OnTestosterone ? "tests due now" : "baseline tests now";
        return (baseline, next) switch
        {
            (true, { } date) => string.Create(CultureInfo.InvariantCulture, $"{drug} monitoring: {now}, next due {date:yyyy-MM-dd}"),
            (true, null) => $"{drug} monitoring: {now}",
            (false, { } date) => string.Create(CultureInfo.InvariantCulture, $"{drug} monitoring: {plan.Length} checks, first due {date:yyyy-MM-dd}"),
            _ => string.Create(CultureInfo.InvariantCulture, $"{drug} monitoring: {plan.Length} checks"),
        };
    }

    public static string Capitalise(string text) =>
        text.Length == 0 ? text : char.ToUpperInvariant(text[0]) + text[1..];
}
