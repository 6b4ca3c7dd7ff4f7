using System.Net;
using CdsService.Api.Feedback;
using CdsService.IntegrationTests.Support;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using static CdsService.IntegrationTests.Feedback.FeedbackBodies;

namespace CdsService.IntegrationTests.Feedback;

/// <summary>
/// Cold start (docs/performance.md): the feedback store is migrated in the background while the host starts. The host listens
/// before the schema exists, so: readiness says "not ready" until it does, feedback that arrives meanwhile waits for it
/// and is then stored, nothing reaches the tables before the migration created them, and a failed initialisation still
/// stops the host. The migration is held back by a command interceptor, so the order is forced, not raced.
/// </summary>
public sealed class FeedbackStoreInitializationTests
{
    private static readonly string Service = HookRequests.OrderSignService;

    private static readonly TimeSpan DeadlockGuard = FeedbackCommandGate.DeadlockGuard;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task GivenTheMigrationIsHeldBack_WhenTheHostStarts_ThenItListensNotReadyAndFeedbackWaitsThenIsStoredAfterTheSchemaExists()
    {
        var gate = new FeedbackCommandGate();
        await using var app = new CdsApiFactory(configureServices: gate.Install);

        // The host has started (the test server answers) while the migration has not run a single command.
        using var anonymous = app.CreateAnonymousClient();
        using var live = await anonymous.GetAsync(new Uri("/health/live", UriKind.Relative), Ct).WaitAsync(DeadlockGuard, Ct);
        using var notReady = await anonymous.GetAsync(new Uri("/health/ready", UriKind.Relative), Ct);
        Assert.Equal(HttpStatusCode.OK, live.StatusCode);
        Assert.Equal(HttpStatusCode.ServiceUnavailable, notReady.StatusCode);
        Assert.False(app.FeedbackStore.IsInitialized);

        // Feedback over HTTP, and a direct store call, both while the schema does not exist yet.
        using var client = app.CreateCdsClient();
        var posted = client.PostFeedbackAsync(Service, FeedbackBody(Accepted("card-early", "sugg-1")));
        var saved = app.FeedbackStore.SaveAsync([Record("card-direct")], Ct);
        Assert.False(saved.IsCompleted);

        gate.Open();
        using var response = await posted.WaitAsync(DeadlockGuard, Ct);
        await saved.WaitAsync(DeadlockGuard, Ct);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(["card-direct", "card-early"], (await app.FeedbackStore.ListAsync(Service, Ct)).Select(r => r.CardUuid).Order(StringComparer.Ordinal));
        var commands = gate.Commands.ToList();
        var created = commands.FindIndex(c => c.Contains("CREATE TABLE \"feedback_item\"", StringComparison.Ordinal));
        var firstUse = commands.FindIndex(c => (c.StartsWith("SELECT", StringComparison.Ordinal) || c.StartsWith("INSERT", StringComparison.Ordinal))
            && (c.Contains("\"feedback_item\"", StringComparison.Ordinal) || c.Contains("\"issued_card\"", StringComparison.Ordinal)));
        Assert.InRange(created, 0, firstUse - 1);
        using var ready = await anonymous.GetAsync(new Uri("/health/ready", UriKind.Relative), Ct);
        Assert.Equal(HttpStatusCode.OK, ready.StatusCode);
    }

    [Fact]
    public async Task GivenTheMigrationFails_WhenTheHostHasStarted_ThenNotReadyTheFailureIsLoggedStoreCallsFailAndTheHostStops()
    {
        var gate = new FeedbackCommandGate();
        await using var app = new CdsApiFactory(
            settings: new Dictionary<string, string?> { ["CdsHooks:Feedback:MigrateAtStart"] = "false" },
            configureServices: gate.Install);
        FeedbackCommandGate.CreateEmptySqliteFile(app);
        using var anonymous = app.CreateAnonymousClient();
        // Taken before the failure: the stopped host's service provider is disposed.
        var lifetime = app.Services.GetRequiredService<IHostApplicationLifetime>();
        var store = app.FeedbackStore;
        var initializer = app.Services.GetServices<IHostedService>().OfType<FeedbackStoreInitializer>().Single();
        using (var notReady = await anonymous.GetAsync(new Uri("/health/ready", UriKind.Relative), Ct).WaitAsync(DeadlockGuard, Ct))
        {
            Assert.Equal(HttpStatusCode.ServiceUnavailable, notReady.StatusCode);
        }

        gate.Open();
        var failure = await Assert.ThrowsAsync<InvalidOperationException>(() => initializer.ExecuteTask!.WaitAsync(DeadlockGuard, Ct));

        Assert.Contains("MigrateAtStart", failure.Message, StringComparison.Ordinal);
        Assert.True(lifetime.ApplicationStopping.IsCancellationRequested);
        Assert.Equal("sqlite", CollectingSink.Property(Assert.Single(app.Logs.Named("FeedbackStoreUnavailable")), "Provider"));
        Assert.False(store.IsInitialized);
        Assert.False(await store.IsHealthyAsync(Ct));
        await Assert.ThrowsAsync<InvalidOperationException>(() => store.SaveAsync([Record("card-late")], Ct));
        Assert.DoesNotContain(gate.Commands, c => c.Contains("feedback_item", StringComparison.Ordinal));
    }

    private static FeedbackRecord Record(string card) => new()
    {
        ServiceId = Service,
        CardUuid = card,
        Outcome = "accepted",
        OutcomeTimestamp = TimeProvider.System.GetUtcNow(),
        ReceivedAt = TimeProvider.System.GetUtcNow(),
        ClientIssuer = CdsApiFactory.Issuer,
    };
}
