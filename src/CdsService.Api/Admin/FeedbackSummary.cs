using CdsService.Api.Feedback;

namespace CdsService.Api.Admin;

/// <summary>
/// GET /admin/feedback/summary: what clinicians did with the cards, for clinical governance (docs/deploy.md §Governance). Counts only: no
/// card text, patient, user or free-text comment. Rates are shares of the feedback received (an EHR sends feedback
/// only when the user acts on a card, so cards shown and ignored are not in the denominator); null when nothing was
/// received.
/// </summary>
public sealed record FeedbackSummary
{
    public required DateTimeOffset GeneratedAt { get; init; }

    /// <summary>Only feedback received at or after this time is counted (null: all).</summary>
    public DateTimeOffset? Since { get; init; }

    /// <summary>Only feedback for this service is counted (null: all three).</summary>
    public string? ServiceId { get; init; }

    public required OutcomeTally Total { get; init; }

    /// <summary>Per card type (the card's source.topic); "unknown" when the card's uuid was never mapped or has expired.</summary>
    public required IReadOnlyList<CardTypeSummary> CardTypes { get; init; }

    /// <summary>Override reasons over all card types.</summary>
    public required IReadOnlyList<ReasonTally> OverrideReasons { get; init; }

    public const string UnknownTopic = "unknown";

    public static FeedbackSummary From(IReadOnlyList<FeedbackCount> counts, DateTimeOffset generatedAt, FeedbackSummaryQuery query)
    {
        ArgumentNullException.ThrowIfNull(counts);
        ArgumentNullException.ThrowIfNull(query);
        return new FeedbackSummary
        {
            GeneratedAt = generatedAt,
            Since = query.Since,
            ServiceId = query.ServiceId,
            Total = OutcomeTally.From(counts),
            CardTypes = [.. counts
                .GroupBy(c => c.Topic ?? UnknownTopic, StringComparer.Ordinal)
                .OrderBy(g => g.Key == UnknownTopic)
                .ThenBy(g => g.Key, StringComparer.Ordinal)
                .Select(g => new CardTypeSummary
                {
                    Code = g.Key,
                    Outcomes = OutcomeTally.From([.. g]),
                    OverrideReasons = ReasonTally.From([.. g]),
                })],
            OverrideReasons = ReasonTally.From(counts),
        };
    }
}

public sealed record CardTypeSummary
{
    /// <summary>The card type: the code of the card's source.topic (docs/cards.md), e.g. "fertility-conflict", or "unknown".</summary>
    public required string Code { get; init; }

    public required OutcomeTally Outcomes { get; init; }

    public required IReadOnlyList<ReasonTally> OverrideReasons { get; init; }
}

public sealed record OutcomeTally
{
    public required int Feedback { get; init; }

    public required int Accepted { get; init; }

    public required int Overridden { get; init; }

    /// <summary>Accepted ÷ feedback, 4 decimals; absent when there is no feedback.</summary>
    public double? AcceptanceRate { get; init; }

    /// <summary>Overridden ÷ feedback, 4 decimals; absent when there is no feedback.</summary>
    public double? OverrideRate { get; init; }

    public static OutcomeTally From(IReadOnlyList<FeedbackCount> counts)
    {
        ArgumentNullException.ThrowIfNull(counts);
        var accepted = counts.Where(c => c.Outcome == "accepted").Sum(c => c.Count);
        var overridden = counts.Where(c => c.Outcome == "overridden").Sum(c => c.Count);
        var total = counts.Sum(c => c.Count);
        return new OutcomeTally
        {
            Feedback = total,
            Accepted = accepted,
            Overridden = overridden,
            AcceptanceRate = Rate(accepted, total),
            OverrideRate = Rate(overridden, total),
        };
    }

    internal static double? Rate(int part, int whole) => whole == 0 ? null : Math.Round((double)part / whole, 4);
}

/// <summary>
/// One override reason (a Coding from the card's overrideReasons, or none: an override with only a comment or no
/// reason), with its count and its share of the overrides in the same group.
/// </summary>
public sealed record ReasonTally
{
    /// <summary>Absent for an override without a coded reason.</summary>
    public string? System { get; init; }

    /// <summary>Absent for an override without a coded reason.</summary>
    public string? Code { get; init; }

    public required int Count { get; init; }

    /// <summary>Count ÷ overrides in the group, 4 decimals.</summary>
    public required double Share { get; init; }

    public static IReadOnlyList<ReasonTally> From(IReadOnlyList<FeedbackCount> counts)
    {
        ArgumentNullException.ThrowIfNull(counts);
        var overrides = counts.Where(c => c.Outcome == "overridden").ToList();
        var total = overrides.Sum(c => c.Count);
        return [.. overrides
            .GroupBy(c => (c.ReasonSystem, c.ReasonCode))
            .Select(g => new ReasonTally
            {
                System = g.Key.ReasonSystem,
                Code = g.Key.ReasonCode,
                Count = g.Sum(c => c.Count),
                Share = OutcomeTally.Rate(g.Sum(c => c.Count), total) ?? 0,
            })
            .OrderByDescending(r => r.Count)
            .ThenBy(r => r.System, StringComparer.Ordinal)
            .ThenBy(r => r.Code, StringComparer.Ordinal)];
    }
}
