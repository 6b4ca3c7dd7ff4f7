namespace CdsService.Api.Feedback;

/// <summary>
/// One stored feedback item (CDS Hooks 2.0 §Feedback). Deliberately PHI-free: no patient, no user, no card text; only
/// which card (by uuid, and its type) got which outcome, from which client. <see cref="UserComment"/> is free text and
/// may hold PHI, so it is null unless <c>CdsHooks:Feedback:StoreComments</c> is true.
/// </summary>
public sealed record FeedbackRecord
{
    public required string ServiceId { get; init; }

    public required string CardUuid { get; init; }

    /// <summary>
    /// The card's type (its <c>source.topic</c> code, e.g. "fertility-conflict"), looked up from the issued-card map
    /// when the feedback is stored; null when this service has no record of issuing the card (yet, or any more).
    /// </summary>
    public string? CardTopic { get; init; }

    /// <summary>"accepted" or "overridden".</summary>
    public required string Outcome { get; init; }

    public IReadOnlyList<string> AcceptedSuggestionIds { get; init; } = [];

    public string? OverrideReasonSystem { get; init; }

    public string? OverrideReasonCode { get; init; }

    public string? UserComment { get; init; }

    public required DateTimeOffset OutcomeTimestamp { get; init; }

    public required DateTimeOffset ReceivedAt { get; init; }

    public required string ClientIssuer { get; init; }

    public string? ClientTenant { get; init; }
}

/// <summary>
/// A card this service returned, remembered so that feedback, which names a card only by uuid (spec §Feedback), can be
/// counted per card type. PHI-free: the uuid is derived from the random <c>hookInstance</c> and the topic; no patient,
/// user or card text. Kept for <c>CdsHooks:Feedback:IssuedCardRetentionDays</c>.
/// </summary>
public sealed record IssuedCard(string CardUuid, string ServiceId, string Topic, string Indicator, DateTimeOffset IssuedAt);

/// <summary>Which feedback a summary counts: received at or after <see cref="Since"/>, for one service or all.</summary>
public sealed record FeedbackSummaryQuery(DateTimeOffset? Since = null, string? ServiceId = null);

/// <summary>One group of a summary: how many items had this card type, outcome and override reason.</summary>
public sealed record FeedbackCount(string? Topic, string Outcome, string? ReasonSystem, string? ReasonCode, int Count);

/// <summary>
/// Where feedback goes. SQLite by default (<see cref="SqliteFeedbackStore"/>); PostgreSQL
/// (<see cref="PostgresFeedbackStore"/>) when <c>ConnectionStrings:Feedback</c> is set, so every instance behind a load
/// balancer writes to and reports from one store. Both are EF Core over the same model and pass the same contract tests.
/// </summary>
public interface IFeedbackStore
{
    /// <summary>
    /// Brings the schema up to date (or checks it is, when migrations are applied out of band). It runs once per store,
    /// whoever asks first (the start-up initializer, normally); every caller awaits that one run, and its failure is
    /// every caller's failure. Cancelling stops this caller's wait, not the migration.
    /// </summary>
    Task InitializeAsync(CancellationToken cancellationToken);

    /// <summary>
    /// Whether <see cref="InitializeAsync"/> has completed successfully. Until then every other operation waits for it
    /// (none runs against an unmigrated schema) and <see cref="IsHealthyAsync"/> answers false.
    /// </summary>
    bool IsInitialized { get; }

    /// <summary>
    /// Stores all items of one feedback call atomically. Each item's card type is resolved from the issued-card map;
    /// a <see cref="FeedbackRecord.CardTopic"/> already set is kept.
    /// </summary>
    Task SaveAsync(IReadOnlyList<FeedbackRecord> records, CancellationToken cancellationToken);

    /// <summary>Items stored for a service, oldest first (analytics, tests).</summary>
    Task<IReadOnlyList<FeedbackRecord>> ListAsync(string serviceId, CancellationToken cancellationToken);

    /// <summary>Remembers cards returned to a client; a uuid already known is left as it is (a retried hookInstance).</summary>
    Task RecordIssuedCardsAsync(IReadOnlyList<IssuedCard> cards, CancellationToken cancellationToken);

    /// <summary>Deletes feedback received before <paramref name="receivedBefore"/> (retention); returns how many were removed.</summary>
    Task<int> PurgeFeedbackAsync(DateTimeOffset receivedBefore, CancellationToken cancellationToken);

    /// <summary>How many feedback items this client (issuer and tenant) stored since <paramref name="since"/> (the quota).</summary>
    Task<int> CountReceivedAsync(string clientIssuer, string? clientTenant, DateTimeOffset since, CancellationToken cancellationToken);

    /// <summary>Forgets issued cards older than <paramref name="issuedBefore"/>; returns how many were removed.</summary>
    Task<int> PurgeIssuedCardsAsync(DateTimeOffset issuedBefore, CancellationToken cancellationToken);

    /// <summary>
    /// Feedback counted by card type, outcome and override reason. The card type is the one stored with the item, else
    /// the issued-card map's (feedback that arrived before the map was written), else null (unknown).
    /// </summary>
    Task<IReadOnlyList<FeedbackCount>> CountAsync(FeedbackSummaryQuery query, CancellationToken cancellationToken);

    /// <summary>Whether the store is initialised, answers, and its schema is in place (readiness probe); never waits for initialisation.</summary>
    Task<bool> IsHealthyAsync(CancellationToken cancellationToken);
}
