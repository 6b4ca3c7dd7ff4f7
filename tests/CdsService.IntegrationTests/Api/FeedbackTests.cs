using System.Net;
using System.Text.Json.Nodes;
using CdsService.IntegrationTests.Feedback;
using CdsService.IntegrationTests.Support;

namespace CdsService.IntegrationTests.Api;

public sealed class FeedbackTests
{
    private static readonly string Service = HookRequests.OrderSignService;

    [Fact]
    public async Task GivenAcceptedFeedback_WhenPosted_Then200AndStoredWithCallerAndNoComment()
    {
        await using var app = new CdsApiFactory(settings: new Dictionary<string, string?> { ["CdsHooks:Clients:0:Tenant"] = "tenant-a" });
        using var client = app.CreateCdsClient(t => t with { Tenant = "tenant-a" });
        var body = Feedback(Accepted("card-1", "sugg-1"), Overridden("card-2", "patient-refuses", "private note about the patient"));
        CdsAssert.Valid(CdsAssert.Feedback, body.ToJsonString());

        using var response = await client.PostFeedbackAsync(Service, body);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var stored = await app.FeedbackStore.ListAsync(Service, TestContext.Current.CancellationToken);
        Assert.Equal(2, stored.Count);
        Assert.Equal(("card-1", "accepted"), (stored[0].CardUuid, stored[0].Outcome));
        Assert.Equal(["sugg-1"], stored[0].AcceptedSuggestionIds);
        Assert.Equal(("overridden", "patient-refuses"), (stored[1].Outcome, stored[1].OverrideReasonCode));
        Assert.Equal(new DateTimeOffset(2026, 1, 2, 3, 4, 5, 520, TimeSpan.Zero), stored[0].OutcomeTimestamp);
        Assert.All(stored, r => Assert.Equal((CdsApiFactory.Issuer, "tenant-a"), (r.ClientIssuer, r.ClientTenant)));
        Assert.All(stored, r => Assert.Null(r.UserComment));
    }

    [Fact]
    public async Task GivenStoreCommentsTrue_WhenOverriddenWithComment_ThenCommentStored()
    {
        await using var app = new CdsApiFactory(settings: new Dictionary<string, string?> { ["CdsHooks:Feedback:StoreComments"] = "true" });
        using var client = app.CreateCdsClient();

        using var response = await client.PostFeedbackAsync(Service, Feedback(Overridden("card-9", null, "too costly")));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var stored = Assert.Single(await app.FeedbackStore.ListAsync(Service, TestContext.Current.CancellationToken));
        Assert.Equal("too costly", stored.UserComment);
        Assert.Null(stored.OverrideReasonCode);
    }

    public static TheoryData<string, string, string> BadFeedback => new()
    {
        { "no feedback array", "{}", "feedback" },
        { "empty feedback array", "{\"feedback\": []}", "feedback" },
        { "missing card", Feedback(Without(Accepted("c", "s"), "card")).ToJsonString(), "feedback[0].card" },
        { "unknown outcome", Feedback(With(Accepted("c", "s"), f => f["outcome"] = "ignored")).ToJsonString(), "feedback[0].outcome" },
        { "accepted without acceptedSuggestions", Feedback(Without(Accepted("c", "s"), "acceptedSuggestions")).ToJsonString(), "acceptedSuggestions" },
        { "acceptedSuggestions item without id", Feedback(With(Accepted("c", "s"), f => f["acceptedSuggestions"] = new JsonArray(new JsonObject()))).ToJsonString(), "acceptedSuggestions[0].id" },
        { "timestamp not RFC 3339", Feedback(With(Accepted("c", "s"), f => f["outcomeTimestamp"] = "2026-01-02 03:04")).ToJsonString(), "outcomeTimestamp" },
        { "timestamp without offset", Feedback(With(Accepted("c", "s"), f => f["outcomeTimestamp"] = "2026-01-02T03:04:05")).ToJsonString(), "outcomeTimestamp" },
        { "impossible date", Feedback(With(Accepted("c", "s"), f => f["outcomeTimestamp"] = "2026-02-30T03:04:05Z")).ToJsonString(), "outcomeTimestamp" },
        { "missing timestamp", Feedback(Without(Accepted("c", "s"), "outcomeTimestamp")).ToJsonString(), "outcomeTimestamp" },
        { "empty overrideReason", Feedback(With(Overridden("c", "x", null), f => f["overrideReason"] = new JsonObject())).ToJsonString(), "overrideReason" },
        { "reason Coding without system", Feedback(With(Overridden("c", "x", null), f => f["overrideReason"]!["reason"]!.AsObject().Remove("system"))).ToJsonString(), "overrideReason.reason.system" },
    };

    [Theory]
    [MemberData(nameof(BadFeedback))]
    public async Task GivenInvalidFeedback_WhenPosted_Then400OperationOutcomeAndNothingStored(string scenario, string body, string mentioned)
    {
        await using var app = new CdsApiFactory();
        using var client = app.CreateCdsClient();

        using var response = await client.PostAsync(new Uri($"/cds-services/{Service}/feedback", UriKind.Relative), HookRequests.Raw(body), TestContext.Current.CancellationToken);

        using var outcome = await CdsAssert.OperationOutcomeAsync(response, HttpStatusCode.BadRequest);
        Assert.True(CdsAssert.IssueText(outcome).Contains(mentioned, StringComparison.Ordinal), $"{scenario}: {CdsAssert.IssueText(outcome)}");
        Assert.Empty(await app.FeedbackStore.ListAsync(Service, TestContext.Current.CancellationToken));
        if (scenario != "impossible date")
        {
            // The published schema and the endpoint agree on what is invalid (the schema's date-time format check
            // does not know calendars).
            CdsAssert.Invalid(CdsAssert.Feedback, body.Length == 0 ? "null" : body);
        }
    }

    [Fact]
    public async Task GivenUnknownService_WhenFeedbackPosted_Then404()
    {
        await using var app = new CdsApiFactory();
        using var client = app.CreateCdsClient();

        using var response = await client.PostFeedbackAsync("no-such-service", Feedback(Accepted("c", "s")));

        using var _ = await CdsAssert.OperationOutcomeAsync(response, HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task GivenNoToken_WhenFeedbackPosted_ThenBare401AndNothingStored()
    {
        await using var app = new CdsApiFactory();
        using var client = app.CreateAnonymousClient();

        using var response = await client.PostFeedbackAsync(Service, Feedback(Accepted("c", "s")));

        await CdsAssert.BareUnauthorizedAsync(response);
        Assert.Empty(await app.FeedbackStore.ListAsync(Service, TestContext.Current.CancellationToken));
    }

    private static JsonObject Feedback(params JsonObject[] items) => FeedbackBodies.FeedbackBody(items);

    private static JsonObject Accepted(string card, string suggestion) => FeedbackBodies.Accepted(card, suggestion);

    private static JsonObject Overridden(string card, string? reasonCode, string? comment) =>
        FeedbackBodies.Overridden(card, reasonCode, comment, reasonDisplay: reasonCode is null ? null : "Patient refuses");

    private static JsonObject Without(JsonObject item, string member)
    {
        item.Remove(member);
        return item;
    }

    private static JsonObject With(JsonObject item, Action<JsonObject> change)
    {
        change(item);
        return item;
    }
}
