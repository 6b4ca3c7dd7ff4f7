using System.Net;
using System.Text.Json.Nodes;
using CdsService.IntegrationTests.Feedback;
using CdsService.IntegrationTests.Support;
using Microsoft.Data.Sqlite;
using Serilog.Events;

namespace CdsService.IntegrationTests.Security;

/// <summary>
/// What a client can put into the feedback store (docs/security.md §7): identifiers and codes only in token shapes,
/// no control character anywhere (a NUL made PostgreSQL refuse the row with a 500), and a database failure logged
/// without the database's message.
/// </summary>
public sealed class FeedbackInputTests
{
    public static TheoryData<string, JsonObject> ControlCharacters => new()
    {
        { "card", FeedbackBodies.Accepted("card\u0000one", "s") },
        { "acceptedSuggestions[0].id", FeedbackBodies.Accepted("c", "s\u001b[31m") },
        { "reason.code", FeedbackBodies.Overridden("c", "declined\u0000") },
        { "userComment", FeedbackBodies.Overridden("c", null, "not today\u0000") },
    };

    [TestedAttack("NUL, escape or other control character in a stored feedback string", "400 OperationOutcome naming the field; nothing stored")]
    [Theory]
    [MemberData(nameof(ControlCharacters))]
    public async Task GivenControlCharacterInAStoredString_WhenFeedbackIsSent_Then400AndNothingStored(string member, JsonObject item)
    {
        await using var app = new CdsApiFactory();
        using var client = app.CreateCdsClient();

        using var response = await client.PostFeedbackAsync(HookRequests.PatientViewService, FeedbackBodies.FeedbackBody(item));

        using var outcome = await CdsAssert.OperationOutcomeAsync(response, HttpStatusCode.BadRequest);
        Assert.Contains(member, CdsAssert.IssueText(outcome), StringComparison.Ordinal);
        Assert.Empty(await app.FeedbackStore.ListAsync(HookRequests.PatientViewService, TestContext.Current.CancellationToken));
    }

    [Fact]
    public async Task GivenLineBreaksInAComment_WhenFeedbackIsSent_ThenStored()
    {
        await using var app = new CdsApiFactory(settings: new Dictionary<string, string?> { ["CdsHooks:Feedback:StoreComments"] = "true" });
        using var client = app.CreateCdsClient();

        using var response = await client.PostFeedbackAsync(HookRequests.PatientViewService, FeedbackBodies.FeedbackBody(FeedbackBodies.Overridden("c", "declined", "line one\r\n\tline two")));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("line one\r\n\tline two", Assert.Single(await app.FeedbackStore.ListAsync(HookRequests.PatientViewService, TestContext.Current.CancellationToken)).UserComment);
    }

    public static TheoryData<string, string, string> FreeTextCodings => new()
    {
        { "code", FeedbackBodies.ReasonSystem, "the patient said no, and here is a long story" },
        { "code", FeedbackBodies.ReasonSystem, new string('x', 512) },
        { "system", "not a uri at all", "declined" },
        { "system", "http://example.org/" + new string('p', 400), "declined" },
        { "system", "javascript:alert(1)", "declined" },
    };

    [TestedAttack("Free text (spaces, 512 characters, not a URI) as an override reason code or system", "400 OperationOutcome; reasons are codes, free text goes in userComment")]
    [Theory]
    [MemberData(nameof(FreeTextCodings))]
    public async Task GivenFreeTextAsReasonCoding_WhenFeedbackIsSent_Then400(string member, string system, string code)
    {
        await using var app = new CdsApiFactory();
        using var client = app.CreateCdsClient();
        var item = FeedbackBodies.Overridden("c", code);
        item["overrideReason"]!["reason"]!["system"] = system;

        using var response = await client.PostFeedbackAsync(HookRequests.PatientViewService, FeedbackBodies.FeedbackBody(item));

        using var outcome = await CdsAssert.OperationOutcomeAsync(response, HttpStatusCode.BadRequest);
        Assert.Contains($"reason.{member}", CdsAssert.IssueText(outcome), StringComparison.Ordinal);
    }

    [TestedAttack("Feedback that makes the database fail with a message quoting what was written", "500 OperationOutcome; the log names the exception type, never the database's message")]
    [Fact]
    public async Task GivenTheStoreFailsOnWrite_WhenFeedbackIsSent_Then500AndTheDatabaseMessageIsNotLogged()
    {
        await using var app = new CdsApiFactory();
        using var client = app.CreateCdsClient();
        await app.FeedbackStore.InitializeAsync(TestContext.Current.CancellationToken);
        await using (var connection = new SqliteConnection($"Data Source={Path.Combine(app.Directory, "feedback.db")}"))
        {
            await connection.OpenAsync(TestContext.Current.CancellationToken);
            await using var drop = connection.CreateCommand();
            drop.CommandText = "DROP TABLE feedback_item";
            await drop.ExecuteNonQueryAsync(TestContext.Current.CancellationToken);
        }

        using var response = await client.PostFeedbackAsync(HookRequests.PatientViewService, FeedbackBodies.FeedbackBody(FeedbackBodies.Overridden("c", "declined")));

        using var outcome = await CdsAssert.OperationOutcomeAsync(response, HttpStatusCode.InternalServerError);
        Assert.DoesNotContain("no such table", app.Logs.AllText(), StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain(app.Logs.Events, e => e.Level >= LogEventLevel.Error
            && (CollectingSink.Property(e, "SourceContext") ?? string.Empty).StartsWith("Microsoft.EntityFrameworkCore", StringComparison.Ordinal));
        Assert.Single(app.Logs.Named("UnhandledException"));
    }
}
