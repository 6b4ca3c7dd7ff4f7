using System.Net;
using CdsService.Api.Feedback;
using CdsService.IntegrationTests.Feedback;
using CdsService.IntegrationTests.Support;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace CdsService.IntegrationTests.Security;

/// <summary>
/// Feedback is bounded per client and in time (docs/security.md §5): a client cannot fill the store or outvote the
/// others in the governance summary, and feedback items do not stay forever.
/// </summary>
public sealed class FeedbackQuotaTests
{
    [TestedAttack("One client floods the feedback endpoint (to fill the store or skew the governance summary)", "429 OperationOutcome once its 24-hour quota is used; other clients and tenants unaffected")]
    [Fact]
    public async Task GivenAClientOverItsDailyQuota_WhenItSendsMoreFeedback_Then429AndOtherTenantsAreUnaffected()
    {
        await using var app = new CdsApiFactory(settings: new Dictionary<string, string?> { ["CdsHooks:Feedback:MaxFeedbackItemsPerClientPerDay"] = "3" });
        using var tenantA = app.CreateCdsClient(t => t with { Tenant = "tenant-a" });
        using var tenantB = app.CreateCdsClient(t => t with { Tenant = "tenant-b" });
        var two = FeedbackBodies.FeedbackBody(FeedbackBodies.Overridden("c1", "declined"), FeedbackBodies.Overridden("c2", "declined"));

        using var first = await tenantA.PostFeedbackAsync(HookRequests.PatientViewService, two);
        using var second = await tenantA.PostFeedbackAsync(HookRequests.PatientViewService, two);
        using var other = await tenantB.PostFeedbackAsync(HookRequests.PatientViewService, two);

        Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        using var outcome = await CdsAssert.OperationOutcomeAsync(second, HttpStatusCode.TooManyRequests);
        Assert.Contains("MaxFeedbackItemsPerClientPerDay", CdsAssert.IssueText(outcome), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, other.StatusCode);
        Assert.Equal(4, (await app.FeedbackStore.ListAsync(HookRequests.PatientViewService, TestContext.Current.CancellationToken)).Count);
        Assert.Single(app.Logs.Named("FeedbackQuotaExceeded"));
    }

    [TestedAttack("Feedback kept forever (feedback_item had no retention)", "items older than CdsHooks:Feedback:FeedbackRetentionDays are deleted by the hourly purge")]
    [Fact]
    public async Task GivenFeedbackOlderThanItsRetention_WhenThePurgeRuns_ThenOnlyRecentFeedbackRemains()
    {
        await using var app = new CdsApiFactory(settings: new Dictionary<string, string?> { ["CdsHooks:Feedback:FeedbackRetentionDays"] = "30" });
        var now = TimeProvider.System.GetUtcNow();
        await app.FeedbackStore.SaveAsync([Record("old", now.AddDays(-31)), Record("recent", now.AddDays(-29))], TestContext.Current.CancellationToken);

        var retention = app.Services.GetServices<IHostedService>().OfType<IssuedCardRetention>().Single();
        await retention.PurgeOnceAsync(TestContext.Current.CancellationToken);

        var left = await app.FeedbackStore.ListAsync(HookRequests.PatientViewService, TestContext.Current.CancellationToken);
        Assert.Equal("recent", Assert.Single(left).CardUuid);
    }

    private static FeedbackRecord Record(string card, DateTimeOffset receivedAt) => new()
    {
        ServiceId = HookRequests.PatientViewService,
        CardUuid = card,
        Outcome = "accepted",
        OutcomeTimestamp = receivedAt,
        ReceivedAt = receivedAt,
        ClientIssuer = CdsApiFactory.Issuer,
    };
}
