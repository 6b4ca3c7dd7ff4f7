using System.Net;
using CdsService.Api.Feedback;
using CdsService.IntegrationTests.ScaleOut;
using CdsService.IntegrationTests.Support;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Time.Testing;
using static CdsService.IntegrationTests.Feedback.FeedbackBodies;

namespace CdsService.IntegrationTests.Feedback;

/// <summary>
/// The feedback store's contract (one contract, so the same tests run against both): every test here runs once against the
/// embedded SQLite file and once against a real PostgreSQL server, through the real host (migrations at start, the
/// HTTP feedback endpoint, the issued-card map, the admin summary).
/// </summary>
public abstract class FeedbackStoreContract
{
    private static readonly string Service = HookRequests.OrderSignService;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    /// <summary>Configuration pointing a new host at a new, empty store of the provider under test.</summary>
    protected abstract Task<IReadOnlyDictionary<string, string?>> NewStoreSettingsAsync();

    /// <summary>The store type the provider under test must resolve to (so a misconfigured test cannot pass on the other one).</summary>
    protected abstract Type ExpectedStoreType { get; }

    /// <summary>The DbContext type of the provider under test.</summary>
    protected abstract Type ContextType { get; }

    [Fact]
    public async Task GivenFeedbackPostedOverHttp_WhenListed_ThenEveryFieldRoundTripsForThatServiceOnly()
    {
        await using var app = await NewAppAsync(new Dictionary<string, string?> { ["CdsHooks:Feedback:StoreComments"] = "true", ["CdsHooks:Clients:0:Tenant"] = "tenant-a" });
        using var client = app.CreateCdsClient(t => t with { Tenant = "tenant-a" });

        using (var first = await client.PostFeedbackAsync(Service, FeedbackBody(Accepted("card-1", "sugg-1", "sugg-2"), Overridden("card-2", "patient-refuses", "too costly"))))
        {
            Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        }

        using (var other = await client.PostFeedbackAsync(HookRequests.PatientViewService, FeedbackBody(Overridden("card-3", null, "elsewhere"))))
        {
            Assert.Equal(HttpStatusCode.OK, other.StatusCode);
        }

        var stored = await app.FeedbackStore.ListAsync(Service, Ct);
        Assert.Equal(2, stored.Count);
        Assert.Equal(("card-1", "accepted", null), (stored[0].CardUuid, stored[0].Outcome, stored[0].CardTopic));
        Assert.Equal(["sugg-1", "sugg-2"], stored[0].AcceptedSuggestionIds);
        Assert.Equal(new DateTimeOffset(2026, 1, 2, 3, 4, 5, 520, TimeSpan.Zero), stored[0].OutcomeTimestamp);
        Assert.Equal((ReasonSystem, "patient-refuses", "too costly"), (stored[1].OverrideReasonSystem, stored[1].OverrideReasonCode, stored[1].UserComment));
        Assert.Empty(stored[1].AcceptedSuggestionIds);
        Assert.Equal(new DateTimeOffset(2026, 1, 2, 2, 4, 5, TimeSpan.Zero), stored[1].OutcomeTimestamp);
        Assert.All(stored, r => Assert.Equal((Service, CdsApiFactory.Issuer, "tenant-a"), (r.ServiceId, r.ClientIssuer, r.ClientTenant)));
        Assert.All(stored, r => Assert.InRange(r.ReceivedAt, TimeProvider.System.GetUtcNow().AddMinutes(-5), TimeProvider.System.GetUtcNow().AddMinutes(1)));
        Assert.Equal("card-3", Assert.Single(await app.FeedbackStore.ListAsync(HookRequests.PatientViewService, Ct)).CardUuid);
    }

    [Fact]
    public async Task GivenCardsFromAHookCall_WhenFeedbackArrives_ThenTheSummaryGivesRatesPerCardTypeAndOverrideReason()
    {
        await using var app = await NewAppAsync();
        var cards = await app.IssueCardsAsync();
        await app.Services.GetRequiredService<IssuedCardWriter>().FlushAsync(Ct);
        var (first, firstTopic) = cards[0];
        using var client = app.CreateCdsClient();

        // The first card: accepted once, overridden twice (two reasons); an unknown card overridden without a coded reason.
        using var posted = await client.PostFeedbackAsync(Service, FeedbackBody(
            Accepted(first, "s-1"),
            Overridden(first, "patient-refuses"),
            Overridden(first, "not-indicated"),
            Overridden("card-never-issued", null, "comment only")));
        Assert.Equal(HttpStatusCode.OK, posted.StatusCode);

        var stored = await app.FeedbackStore.ListAsync(Service, Ct);
        Assert.Equal([firstTopic, firstTopic, firstTopic, null], stored.Select(r => r.CardTopic));

        var summary = await app.SummaryAsync();
        var total = summary.GetProperty("total");
        Assert.Equal((4, 1, 3), (total.GetProperty("feedback").GetInt32(), total.GetProperty("accepted").GetInt32(), total.GetProperty("overridden").GetInt32()));
        Assert.Equal(0.25, total.GetProperty("acceptanceRate").GetDouble());
        Assert.Equal(0.75, total.GetProperty("overrideRate").GetDouble());

        var type = summary.CardType(firstTopic).GetProperty("outcomes");
        Assert.Equal((3, 1, 2), (type.GetProperty("feedback").GetInt32(), type.GetProperty("accepted").GetInt32(), type.GetProperty("overridden").GetInt32()));
        Assert.Equal(0.3333, type.GetProperty("acceptanceRate").GetDouble());
        Assert.Equal(0.6667, type.GetProperty("overrideRate").GetDouble());
        var reasons = summary.CardType(firstTopic).GetProperty("overrideReasons").EnumerateArray()
            .Select(r => (r.GetProperty("code").GetString(), r.GetProperty("count").GetInt32(), r.GetProperty("share").GetDouble()))
            .OrderBy(r => r.Item1, StringComparer.Ordinal)
            .ToList();
        Assert.Equal([("not-indicated", 1, 0.5), ("patient-refuses", 1, 0.5)], reasons);

        var unknown = summary.CardType("unknown");
        Assert.Equal(1, unknown.GetProperty("outcomes").GetProperty("overridden").GetInt32());
        var uncoded = Assert.Single(unknown.GetProperty("overrideReasons").EnumerateArray());
        Assert.False(uncoded.TryGetProperty("code", out _));
        Assert.Equal(3, summary.GetProperty("overrideReasons").GetArrayLength());
    }

    [Fact]
    public async Task GivenFeedbackStoredBeforeItsCardWasMapped_WhenCounted_ThenTheMapSuppliesTheCardType()
    {
        await using var app = await NewAppAsync();
        var store = app.FeedbackStore;
        await store.SaveAsync([Record("late-card", "overridden", "not-indicated")], Ct);
        Assert.Null(Assert.Single(await store.ListAsync(Service, Ct)).CardTopic);

        await store.RecordIssuedCardsAsync([new IssuedCard("late-card", Service, "fertility-conflict", "critical", TimeProvider.System.GetUtcNow())], Ct);

        var count = Assert.Single(await store.CountAsync(new FeedbackSummaryQuery(), Ct));
        Assert.Equal(new FeedbackCount("fertility-conflict", "overridden", FeedbackBodies.ReasonSystem, "not-indicated", 1), count);
    }

    [Fact]
    public async Task GivenACardMappedTwice_WhenFeedbackIsStored_ThenTheFirstMappingIsKept()
    {
        await using var app = await NewAppAsync();
        var store = app.FeedbackStore;
        var now = TimeProvider.System.GetUtcNow();

        await store.RecordIssuedCardsAsync([new IssuedCard("card-a", Service, "trt-monitoring", "info", now), new IssuedCard("card-a", Service, "trt-monitoring", "info", now)], Ct);
        await store.RecordIssuedCardsAsync([new IssuedCard("card-a", Service, "fertility-conflict", "critical", now), new IssuedCard("card-b", Service, "fertility-conflict", "critical", now)], Ct);
        await store.SaveAsync([Record("card-a", "accepted"), Record("card-b", "accepted")], Ct);

        Assert.Equal(["trt-monitoring", "fertility-conflict"], (await store.ListAsync(Service, Ct)).Select(r => r.CardTopic));
    }

    [Fact]
    public async Task GivenOldAndRecentCardMappings_WhenRetentionRuns_ThenOnlyOldOnesGoAndStoredFeedbackKeepsItsType()
    {
        var time = new FakeTimeProvider(TimeProvider.System.GetUtcNow());
        await using var app = await NewAppAsync(
            new Dictionary<string, string?> { ["CdsHooks:Feedback:IssuedCardRetentionDays"] = "7" },
            services => services.AddSingleton<TimeProvider>(time),
            time);
        var store = app.FeedbackStore;
        var now = time.GetUtcNow();
        await store.RecordIssuedCardsAsync(
            [new IssuedCard("old", Service, "trt-monitoring", "info", now.AddDays(-8)), new IssuedCard("recent", Service, "fertility-conflict", "critical", now.AddDays(-6))],
            Ct);
        await store.SaveAsync([Record("old", "accepted")], Ct);

        var retention = app.Services.GetServices<IHostedService>().OfType<IssuedCardRetention>().Single();
        Assert.Equal(1, await retention.PurgeOnceAsync(Ct));

        await store.SaveAsync([Record("old", "overridden"), Record("recent", "overridden")], Ct);
        var topics = (await store.ListAsync(Service, Ct)).Select(r => (r.CardUuid, r.Outcome, r.CardTopic)).ToList();
        Assert.Equal([("old", "accepted", "trt-monitoring"), ("old", "overridden", null), ("recent", "overridden", "fertility-conflict")], topics);
        Assert.Equal(0, await retention.PurgeOnceAsync(Ct));
    }

    [Fact]
    public async Task GivenSinceAndServiceFilters_WhenCounted_ThenOnlyMatchingFeedbackIsCounted()
    {
        await using var app = await NewAppAsync();
        var store = app.FeedbackStore;
        var t0 = new DateTimeOffset(2026, 3, 1, 8, 0, 0, TimeSpan.Zero);
        await store.SaveAsync(
            [
                Record("a", "accepted") with { ReceivedAt = t0 },
                Record("b", "accepted") with { ReceivedAt = t0.AddHours(2) },
                Record("c", "overridden") with { ReceivedAt = t0.AddHours(3), ServiceId = HookRequests.PatientViewService },
            ],
            Ct);

        Assert.Equal(3, (await store.CountAsync(new FeedbackSummaryQuery(), Ct)).Sum(c => c.Count));
        Assert.Equal(2, (await store.CountAsync(new FeedbackSummaryQuery(Since: t0.AddHours(1)), Ct)).Sum(c => c.Count));
        Assert.Equal(2, (await store.CountAsync(new FeedbackSummaryQuery(Since: new DateTimeOffset(2026, 3, 1, 10, 0, 0, TimeSpan.FromHours(1))), Ct)).Sum(c => c.Count));
        var filtered = Assert.Single(await store.CountAsync(new FeedbackSummaryQuery(Since: t0.AddHours(1), ServiceId: Service), Ct));
        Assert.Equal(new FeedbackCount(null, "accepted", null, null, 1), filtered);

        var summary = await app.SummaryAsync($"?since=2026-03-01T09:00:00Z&serviceId={HookRequests.PatientViewService}");
        Assert.Equal(1, summary.GetProperty("total").GetProperty("overridden").GetInt32());
        Assert.Equal("2026-03-01T09:00:00+00:00", summary.GetProperty("since").GetString());
    }

    [Fact]
    public async Task GivenTheModel_WhenComparedWithTheMigrations_ThenNothingIsPending()
    {
        await using var app = await NewAppAsync();
        await app.FeedbackStore.InitializeAsync(Ct);   // migrated after the host starts (cold start)
        var factoryType = typeof(IDbContextFactory<>).MakeGenericType(ContextType);
        var factory = app.Services.GetRequiredService(factoryType);
        await using var db = (FeedbackDbContext)factoryType.GetMethod(nameof(IDbContextFactory<FeedbackDbContext>.CreateDbContext))!.Invoke(factory, null)!;

        Assert.False(db.Database.HasPendingModelChanges(), "The model changed without a migration: see Feedback/Migrations/README.md.");
        Assert.Empty(await db.Database.GetPendingMigrationsAsync(Ct));
        Assert.NotEmpty(await db.Database.GetAppliedMigrationsAsync(Ct));
    }

    [Fact]
    public async Task GivenMigrateAtStartOffAndAnEmptyStore_WhenTheServiceStarts_ThenItStopsNamingThePendingMigration()
    {
        // The schema is checked after the host starts listening (cold start), so the refusal stops the started host. The
        // check is held until the host has started, so that the test can look at the host before it stops.
        var gate = new FeedbackCommandGate();
        await using var app = await NewAppAsync(new Dictionary<string, string?> { ["CdsHooks:Feedback:MigrateAtStart"] = "false" }, gate.Install, start: false);
        FeedbackCommandGate.CreateEmptySqliteFile(app);
        var initializer = app.Services.GetServices<IHostedService>().OfType<FeedbackStoreInitializer>().Single();
        var lifetime = app.Services.GetRequiredService<IHostApplicationLifetime>();   // taken before the stopped host is disposed
        var store = app.FeedbackStore;
        gate.Open();

        var failure = await Assert.ThrowsAnyAsync<InvalidOperationException>(() => initializer.ExecuteTask!.WaitAsync(FeedbackCommandGate.DeadlockGuard, Ct));

        Assert.Contains("InitialFeedbackStore", failure.Message, StringComparison.Ordinal);
        Assert.Contains("MigrateAtStart", failure.Message, StringComparison.Ordinal);
        Assert.True(lifetime.ApplicationStopping.IsCancellationRequested);
        Assert.False(await store.IsHealthyAsync(Ct));
    }

    /// <summary>A host on a new store of the provider under test, trusting the admin client; started unless told not to.</summary>
    protected async Task<CdsApiFactory> NewAppAsync(
        IReadOnlyDictionary<string, string?>? extra = null,
        Action<IServiceCollection>? configureServices = null,
        TimeProvider? time = null,
        bool start = true)
    {
        var settings = new Dictionary<string, string?>(await NewStoreSettingsAsync());
        foreach (var (key, value) in AdminClient.Settings.Concat(extra ?? new Dictionary<string, string?>()))
        {
            settings[key] = value;
        }

        var app = new CdsApiFactory(settings: settings, configureServices: configureServices) { Time = time ?? TimeProvider.System };
        if (start)
        {
            Assert.IsType(ExpectedStoreType, app.FeedbackStore);
        }

        return app;
    }

    private static FeedbackRecord Record(string card, string outcome, string? reasonCode = null) => new()
    {
        ServiceId = Service,
        CardUuid = card,
        Outcome = outcome,
        OverrideReasonSystem = reasonCode is null ? null : FeedbackBodies.ReasonSystem,
        OverrideReasonCode = reasonCode,
        OutcomeTimestamp = TimeProvider.System.GetUtcNow(),
        ReceivedAt = TimeProvider.System.GetUtcNow(),
        ClientIssuer = CdsApiFactory.Issuer,
    };
}

/// <summary>The contract on the default store: an SQLite file in the host's temp folder.</summary>
public sealed class SqliteFeedbackStoreTests : FeedbackStoreContract
{
    protected override Type ExpectedStoreType => typeof(SqliteFeedbackStore);

    protected override Type ContextType => typeof(SqliteFeedbackDbContext);

    // CdsApiFactory already points CdsHooks:Feedback:SqlitePath into its own folder.
    protected override Task<IReadOnlyDictionary<string, string?>> NewStoreSettingsAsync() =>
        Task.FromResult<IReadOnlyDictionary<string, string?>>(new Dictionary<string, string?>());
}

/// <summary>The contract on PostgreSQL: a new database on the fixture's real server for every test.</summary>
public sealed class PostgresFeedbackStoreTests(LocalServers servers) : FeedbackStoreContract
{
    protected override Type ExpectedStoreType => typeof(PostgresFeedbackStore);

    protected override Type ContextType => typeof(PostgresFeedbackDbContext);

    protected override async Task<IReadOnlyDictionary<string, string?>> NewStoreSettingsAsync()
    {
        var postgres = await servers.PostgresAsync();
        return new Dictionary<string, string?> { ["ConnectionStrings:Feedback"] = await postgres.CreateDatabaseAsync(TestContext.Current.CancellationToken) };
    }
}
