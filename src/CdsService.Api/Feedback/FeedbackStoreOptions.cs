using System.ComponentModel.DataAnnotations;

namespace CdsService.Api.Feedback;

/// <summary>
/// The store half of <c>CdsHooks:Feedback</c> (the same section as the Configuration project's FeedbackOptions, which
/// holds SqlitePath and StoreComments). Which database is used is decided by <c>ConnectionStrings:Feedback</c>:
/// set → PostgreSQL, shared by every instance; empty → the embedded SQLite file.
/// </summary>
public sealed class FeedbackStoreOptions
{
    public const string SectionName = "CdsHooks:Feedback";

    public const string ConnectionStringName = "Feedback";

    /// <summary>
    /// Apply pending schema migrations at start (default true). Set false when the schema is managed out of band (the
    /// service's database role then needs no DDL rights): the service then refuses to start while migrations are
    /// pending, and docs/deploy.md §Feedback store says how to apply them.
    /// </summary>
    public bool MigrateAtStart { get; set; } = true;

    /// <summary>
    /// Days an issued card's uuid → type mapping is kept (default 30). Feedback stored within that time gets its card
    /// type; the mapping holds no PHI, but it is a per-call record, so it does not stay forever.
    /// </summary>
    [Range(1, 366)]
    public int IssuedCardRetentionDays { get; set; } = 30;

    /// <summary>Cards waiting to be written to the issued-card map; beyond it, mappings are dropped (and logged), never the hook call. The default value is 10000.</summary>
    [Range(100, 1_000_000)]
    public int IssuedCardQueueCapacity { get; set; } = 10_000;

    public TimeSpan IssuedCardRetention => TimeSpan.FromDays(IssuedCardRetentionDays);

    /// <summary>
    /// Days a feedback item is kept (default 730): governance looks at trends over months, not at single calls kept
    /// forever. Purged with the issued-card map, hourly.
    /// </summary>
    [Range(30, 3660)]
    public int FeedbackRetentionDays { get; set; } = 730;

    /// <summary>
    /// Feedback items one client (issuer and tenant) may store in 24 hours (default 5000); beyond it the call is a 429.
    /// A client can otherwise fill the store and skew the governance summary at will. Checked before each write, so
    /// concurrent calls can overshoot by at most one call's items.
    /// </summary>
    [Range(1, 10_000_000)]
    public int MaxFeedbackItemsPerClientPerDay { get; set; } = 5000;

    public TimeSpan FeedbackRetention => TimeSpan.FromDays(FeedbackRetentionDays);
}
