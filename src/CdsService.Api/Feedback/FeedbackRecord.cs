namespace CdsService.Api.Feedback;

/// <summary>
/// One stored feedback item (CDS Hooks 2.0 §Feedback). Deliberately PHI-free: no patient, no user, no card text; only
/// which card (by uuid) got which outcome, from which client. <see cref="UserComment"/> is free text and may hold PHI,
/// so it is null unless <c>CdsHooks:Feedback:StoreComments</c> is true.
/// </summary>
public sealed record FeedbackRecord
{
    public required string ServiceId { get; init; }

    public required string CardUuid { get; init; }

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
/// Where feedback goes. SQLite by default (<see cref="SqliteFeedbackStore"/>); a PostgreSQL implementation can be
/// registered instead for a multi-instance deployment without touching the endpoint.
/// </summary>
public interface IFeedbackStore
{
    /// <summary>Creates the schema when missing; called once at start.</summary>
    Task InitializeAsync(CancellationToken cancellationToken);

    /// <summary>Stores all items of one feedback call atomically.</summary>
    Task SaveAsync(IReadOnlyList<FeedbackRecord> records, CancellationToken cancellationToken);

    /// <summary>Items stored for a service, oldest first (analytics, tests).</summary>
    Task<IReadOnlyList<FeedbackRecord>> ListAsync(string serviceId, CancellationToken cancellationToken);

    /// <summary>Whether the store answers (readiness probe).</summary>
    Task<bool> IsHealthyAsync(CancellationToken cancellationToken);
}
