using System.Data.Common;
using System.Text.Json;
using CdsService.Api.Logging;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace CdsService.Api.Feedback;

/// <summary>
/// The feedback store on EF Core, for either provider: one implementation, so SQLite and PostgreSQL cannot drift apart
/// (one contract, so the same tests run against both). Each operation uses its own short-lived context from a pooled factory,
/// so the store is a thread-safe singleton.
/// </summary>
public abstract class EfFeedbackStore<TContext> : IFeedbackStore
    where TContext : FeedbackDbContext
{
    private readonly IDbContextFactory<TContext> contexts;
    private readonly IOptions<FeedbackStoreOptions> options;
    private readonly ILogger logger;

    // One migration run per store, shared by every caller (the host listens before it finishes, to keep cold start short: docs/performance.md). Not bound to
    // any caller's token: a feedback call that gives up must not cancel the migration the other callers wait for.
    private readonly Lazy<Task> initialization;

    protected EfFeedbackStore(IDbContextFactory<TContext> contexts, IOptions<FeedbackStoreOptions> options, ILogger logger)
    {
        this.contexts = contexts;
        this.options = options;
        this.logger = logger;

        // Task.Run: building the EF model is synchronous CPU work that would otherwise run on the first caller's thread.
        initialization = new(() => Task.Run(MigrateAsync), LazyThreadSafetyMode.ExecutionAndPublication);
    }

    /// <summary>"sqlite" or "postgresql", for logs and readiness.</summary>
    public abstract string Provider { get; }

    /// <summary>Where the data lives, without credentials (a file path, or host:port/database), for the start-up log.</summary>
    public abstract string Location { get; }

    /// <summary>Provider-specific preparation before migrations (the SQLite folder).</summary>
    protected virtual Task PrepareAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    /// <summary>Provider-specific settings after migrations (SQLite's journal mode).</summary>
    protected virtual Task AfterMigrationsAsync(TContext db, CancellationToken cancellationToken) => Task.CompletedTask;

    public bool IsInitialized => initialization.IsValueCreated && initialization.Value.IsCompletedSuccessfully;

    public Task InitializeAsync(CancellationToken cancellationToken) => initialization.Value.WaitAsync(cancellationToken);

    private async Task MigrateAsync()
    {
        try
        {
            await PrepareAsync(CancellationToken.None);
            await using var db = await contexts.CreateDbContextAsync();
            var pending = (await db.Database.GetPendingMigrationsAsync()).ToList();
            if (pending.Count > 0 && !options.Value.MigrateAtStart)
            {
                throw new InvalidOperationException(
                    $"The feedback store ({Provider}) has {pending.Count} pending schema migration(s): {string.Join(", ", pending)}. " +
                    "CdsHooks:Feedback:MigrateAtStart is false, so apply them first (docs/deploy.md §Feedback store) or set it to true.");
            }

            // EF Core 9+ takes a database lock around MigrateAsync, so replicas starting together apply each migration once.
            await db.Database.MigrateAsync();
            await AfterMigrationsAsync(db, CancellationToken.None);
            Log.FeedbackStoreMigrated(logger, Provider, pending.Count);
            Log.FeedbackStoreReady(logger, $"{Provider} {Location}");
        }
        catch (Exception ex)
        {
            // Said here once, whoever awaits: the initializer then stops the host (FeedbackStoreInitializer).
            Log.FeedbackStoreUnavailable(logger, Provider, ex.GetType().Name);
            throw;
        }
    }

    public async Task SaveAsync(IReadOnlyList<FeedbackRecord> records, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(records);
        await InitializeAsync(cancellationToken);
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var unresolved = records.Where(r => r.CardTopic is null).Select(r => r.CardUuid).Distinct(StringComparer.Ordinal).ToList();
        var topics = unresolved.Count == 0
            ? new Dictionary<string, string>(StringComparer.Ordinal)
            : await db.IssuedCards.AsNoTracking()
                .Where(c => unresolved.Contains(c.CardUuid))
                .ToDictionaryAsync(c => c.CardUuid, c => c.Topic, StringComparer.Ordinal, cancellationToken);

        db.FeedbackItems.AddRange(records.Select(r => ToRow(r, r.CardTopic ?? topics.GetValueOrDefault(r.CardUuid))));

        // One SaveChanges is one transaction: a feedback call is stored whole or not at all.
        await db.SaveChangesAsync(cancellationToken);
    }

    public async Task<IReadOnlyList<FeedbackRecord>> ListAsync(string serviceId, CancellationToken cancellationToken)
    {
        await InitializeAsync(cancellationToken);
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var rows = await db.FeedbackItems.AsNoTracking()
            .Where(f => f.ServiceId == serviceId)
            .OrderBy(f => f.Id)
            .ToListAsync(cancellationToken);
        return [.. rows.Select(ToRecord)];
    }

    public async Task RecordIssuedCardsAsync(IReadOnlyList<IssuedCard> cards, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(cards);
        var distinct = cards.DistinctBy(c => c.CardUuid, StringComparer.Ordinal).ToList();
        if (distinct.Count == 0)
        {
            return;
        }

        await InitializeAsync(cancellationToken);
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var ids = distinct.Select(c => c.CardUuid).ToList();
        var known = (await db.IssuedCards.AsNoTracking()
            .Where(c => ids.Contains(c.CardUuid))
            .Select(c => c.CardUuid)
            .ToListAsync(cancellationToken)).ToHashSet(StringComparer.Ordinal);
        var fresh = distinct.Where(c => !known.Contains(c.CardUuid)).Select(ToRow).ToList();
        if (fresh.Count == 0)
        {
            return;
        }

        db.IssuedCards.AddRange(fresh);
        try
        {
            await db.SaveChangesAsync(cancellationToken);
        }
        catch (DbUpdateException)
        {
            // Another instance stored one of these uuids between the read and the write (the EHR retried the same
            // hookInstance against another instance). Store the rest one by one; a duplicate is already what we want.
            foreach (var row in fresh)
            {
                db.ChangeTracker.Clear();
                db.IssuedCards.Add(row);
                try
                {
                    await db.SaveChangesAsync(cancellationToken);
                }
                catch (DbUpdateException)
                {
                    // Already stored by the other instance.
                }
            }
        }
    }

    public async Task<int> PurgeIssuedCardsAsync(DateTimeOffset issuedBefore, CancellationToken cancellationToken)
    {
        await InitializeAsync(cancellationToken);
        var cutoff = issuedBefore.UtcDateTime;
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        return await db.IssuedCards.Where(c => c.IssuedAt < cutoff).ExecuteDeleteAsync(cancellationToken);
    }

    public async Task<int> PurgeFeedbackAsync(DateTimeOffset receivedBefore, CancellationToken cancellationToken)
    {
        await InitializeAsync(cancellationToken);
        var cutoff = receivedBefore.UtcDateTime;
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        return await db.FeedbackItems.Where(f => f.ReceivedAt < cutoff).ExecuteDeleteAsync(cancellationToken);
    }

    public async Task<int> CountReceivedAsync(string clientIssuer, string? clientTenant, DateTimeOffset since, CancellationToken cancellationToken)
    {
        await InitializeAsync(cancellationToken);
        var from = since.UtcDateTime;
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        return await db.FeedbackItems.AsNoTracking()
            .Where(f => f.ReceivedAt >= from && f.ClientIssuer == clientIssuer && f.ClientTenant == clientTenant)
            .CountAsync(cancellationToken);
    }

    public async Task<IReadOnlyList<FeedbackCount>> CountAsync(FeedbackSummaryQuery query, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(query);
        await InitializeAsync(cancellationToken);
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var items = db.FeedbackItems.AsNoTracking();
        if (query.Since is { } since)
        {
            var from = since.UtcDateTime;
            items = items.Where(f => f.ReceivedAt >= from);
        }

        if (query.ServiceId is { } serviceId)
        {
            items = items.Where(f => f.ServiceId == serviceId);
        }

        // Aggregated in the database: the result is one row per (type, outcome, reason), however much feedback exists.
        var groups = await (
                from f in items
                join c in db.IssuedCards on f.CardUuid equals c.CardUuid into issued
                from c in issued.DefaultIfEmpty()
                select new
                {
                    Topic = f.CardTopic ?? (c == null ? null : c.Topic),
                    f.Outcome,
                    f.OverrideReasonSystem,
                    f.OverrideReasonCode,
                })
            .GroupBy(x => new { x.Topic, x.Outcome, x.OverrideReasonSystem, x.OverrideReasonCode })
            .Select(g => new { g.Key.Topic, g.Key.Outcome, g.Key.OverrideReasonSystem, g.Key.OverrideReasonCode, Count = g.Count() })
            .ToListAsync(cancellationToken);

        return [.. groups.Select(g => new FeedbackCount(g.Topic, g.Outcome, g.OverrideReasonSystem, g.OverrideReasonCode, g.Count))];
    }

    public async Task<bool> IsHealthyAsync(CancellationToken cancellationToken)
    {
        if (!IsInitialized)
        {
            // Still migrating (not ready yet, nothing to log), or the migration failed (logged once, when it did).
            return false;
        }

        try
        {
            await using var db = await contexts.CreateDbContextAsync(cancellationToken);

            // A query on both tables: the server answers, the credentials work and the schema is in place.
            _ = await db.FeedbackItems.AsNoTracking().Select(f => f.Id).FirstOrDefaultAsync(cancellationToken);
            _ = await db.IssuedCards.AsNoTracking().Select(c => c.CardUuid).FirstOrDefaultAsync(cancellationToken);
            return true;
        }
        catch (Exception ex) when (ex is DbException or InvalidOperationException or TimeoutException or OperationCanceledException)
        {
            Log.FeedbackStoreUnavailable(logger, Provider, ex.GetType().Name);
            return false;
        }
    }

    private static FeedbackItemRow ToRow(FeedbackRecord record, string? topic) => new()
    {
        ServiceId = record.ServiceId,
        CardUuid = record.CardUuid,
        CardTopic = topic,
        Outcome = record.Outcome,
        AcceptedSuggestionIds = JsonSerializer.Serialize(record.AcceptedSuggestionIds),
        OverrideReasonSystem = record.OverrideReasonSystem,
        OverrideReasonCode = record.OverrideReasonCode,
        UserComment = record.UserComment,
        OutcomeTimestamp = record.OutcomeTimestamp.UtcDateTime,
        ReceivedAt = record.ReceivedAt.UtcDateTime,
        ClientIssuer = record.ClientIssuer,
        ClientTenant = record.ClientTenant,
    };

    private static IssuedCardRow ToRow(IssuedCard card) => new()
    {
        CardUuid = card.CardUuid,
        ServiceId = card.ServiceId,
        Topic = card.Topic,
        Indicator = card.Indicator,
        IssuedAt = card.IssuedAt.UtcDateTime,
    };

    private static FeedbackRecord ToRecord(FeedbackItemRow row) => new()
    {
        ServiceId = row.ServiceId,
        CardUuid = row.CardUuid,
        CardTopic = row.CardTopic,
        Outcome = row.Outcome,
        AcceptedSuggestionIds = JsonSerializer.Deserialize<string[]>(row.AcceptedSuggestionIds) ?? [],
        OverrideReasonSystem = row.OverrideReasonSystem,
        OverrideReasonCode = row.OverrideReasonCode,
        UserComment = row.UserComment,
        OutcomeTimestamp = Utc(row.OutcomeTimestamp),
        ReceivedAt = Utc(row.ReceivedAt),
        ClientIssuer = row.ClientIssuer,
        ClientTenant = row.ClientTenant,
    };

    // SQLite returns DateTime with Kind Unspecified; every stored time is UTC.
    private static DateTimeOffset Utc(DateTime value) => new(DateTime.SpecifyKind(value, DateTimeKind.Utc));
}
