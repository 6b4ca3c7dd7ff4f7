using System.Text;
using System.Text.Json;
using CdsService.Api.Feedback;
using CdsService.IntegrationTests.ScaleOut;
using CdsService.IntegrationTests.Support;
using CdsService.Protocol;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;
using Npgsql;

namespace CdsService.IntegrationTests.Feedback;

/// <summary>
/// The store's schema: PHI-free by construction, and the out-of-band path for PostgreSQL (the committed idempotent
/// script, applied with psql, then the service started with MigrateAtStart=false) stays in step with the migrations.
/// </summary>
public sealed class FeedbackSchemaTests(LocalServers servers)
{
    private const string ScriptPath = "src/CdsService.Api/Feedback/Migrations/Postgres/feedback-schema.postgres.sql";

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public void GivenTheStoreModel_WhenItsColumnsAreListed_ThenTheyAreExactlyTheReviewedPhiFreeSet()
    {
        using var db = new SqliteFeedbackDesignTimeFactory().CreateDbContext([]);
        var columns = db.Model.GetEntityTypes()
            .SelectMany(t => t.GetProperties().Select(p => $"{t.GetTableName()}.{p.GetColumnName()}"))
            .Order(StringComparer.Ordinal)
            .ToList();

        // A new column must be added here on purpose, after checking it cannot hold patient, user or card content.
        Assert.Equal(
            [
                "feedback_item.accepted_suggestion_ids", "feedback_item.card_topic", "feedback_item.card_uuid",
                "feedback_item.client_issuer", "feedback_item.client_tenant", "feedback_item.id", "feedback_item.outcome",
                "feedback_item.outcome_timestamp", "feedback_item.override_reason_code", "feedback_item.override_reason_system",
                "feedback_item.received_at", "feedback_item.service_id", "feedback_item.user_comment",
                "issued_card.card_uuid", "issued_card.indicator", "issued_card.issued_at", "issued_card.service_id", "issued_card.topic",
            ],
            columns);
    }

    [Fact]
    public void GivenThePostgresMigrations_WhenScripted_ThenTheCommittedScriptMatches()
    {
        using var db = new PostgresFeedbackDesignTimeFactory().CreateDbContext([]);
        var generated = db.GetService<IMigrator>().GenerateScript(options: MigrationsSqlGenerationOptions.Idempotent);

        var committed = File.ReadAllText(RepositoryPaths.Of(ScriptPath), Encoding.UTF8);

        Assert.Equal(Normalize(generated), Normalize(committed));
    }

    [Fact]
    public async Task GivenTheScriptAppliedWithPsql_WhenTheServiceStartsWithMigrateAtStartOff_ThenItStartsAndStoresFeedback()
    {
        var psql = new[] { "/usr/bin/psql", "/usr/local/bin/psql" }.FirstOrDefault(File.Exists);
        if (psql is null)
        {
            Assert.Skip("psql is not installed (Debian package postgresql-client, part of postgresql).");
        }

        var postgres = await servers.PostgresAsync();
        var database = await postgres.CreateDatabaseAsync(Ct);
        var cs = new NpgsqlConnectionStringBuilder(database);

        // The documented out-of-band command (docs/deploy.md §Feedback store), twice: the script is idempotent.
        for (var run = 0; run < 2; run++)
        {
            var (exit, output) = await LocalServers.RunAsync(
                psql,
                [$"host={cs.Host} port={cs.Port} user={cs.Username} dbname={cs.Database}", "-v", "ON_ERROR_STOP=1", "-q", "-f", RepositoryPaths.Of(ScriptPath)],
                null,
                Ct);
            Assert.True(exit == 0, output);
        }

        await using var app = new CdsApiFactory(settings: new Dictionary<string, string?>
        {
            ["ConnectionStrings:Feedback"] = database,
            ["CdsHooks:Feedback:MigrateAtStart"] = "false",
        });
        Assert.IsType<PostgresFeedbackStore>(app.FeedbackStore);
        using var client = app.CreateCdsClient();
        using var response = await client.PostFeedbackAsync(HookRequests.OrderSignService, FeedbackBodies.FeedbackBody(FeedbackBodies.Accepted("card-1", "s-1")));

        Assert.Equal(System.Net.HttpStatusCode.OK, response.StatusCode);
        Assert.Single(await app.FeedbackStore.ListAsync(HookRequests.OrderSignService, Ct));
        Assert.Equal("0", Assert.Single(app.Logs.Named("FeedbackStoreMigrated")).Properties["MigrationCount"].ToString());
    }

    [Fact]
    public async Task GivenAMalformedPostgresConnectionString_WhenTheServiceStarts_ThenItRefusesWithoutEchoingTheString()
    {
        const string secret = "s3cret-password";
        await using var app = new CdsApiFactory(settings: new Dictionary<string, string?>
        {
            ["ConnectionStrings:Feedback"] = $"Hots=db;Database=cds;Password={secret}",
        });

        var failure = Assert.Throws<Microsoft.Extensions.Options.OptionsValidationException>(() => app.Services);

        Assert.Contains("ConnectionStrings:Feedback", failure.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(secret, failure.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(app.Logs.Events, e => e.RenderMessage(System.Globalization.CultureInfo.InvariantCulture).Contains(secret, StringComparison.Ordinal));
    }

    public static TheoryData<string, string> OverlongFeedback => new()
    {
        { "card", Body(FeedbackBodies.Accepted(new string('c', FeedbackReader.MaxIdLength + 1), "s")) },
        { "id", Body(FeedbackBodies.Accepted("c", new string('s', FeedbackReader.MaxIdLength + 1))) },
        { "code", Body(FeedbackBodies.Overridden("c", new string('x', FeedbackReader.MaxReasonCodeLength + 1))) },
        { "userComment", Body(FeedbackBodies.Overridden("c", null, new string('x', FeedbackReader.MaxCommentLength + 1))) },
    };

    [Theory]
    [MemberData(nameof(OverlongFeedback))]
    public void GivenAnOverlongValue_WhenFeedbackIsRead_ThenTooLongIssueNamesIt(string member, string body)
    {
        using var document = JsonDocument.Parse(body);

        var read = FeedbackReader.Read(document.RootElement);

        Assert.False(read.IsValid);
        var issue = Assert.Single(read.Issues);
        Assert.Equal("too-long", issue.Code);
        Assert.Contains($".{member}", issue.Diagnostics, StringComparison.Ordinal);
    }

    [Fact]
    public void GivenValuesAtTheLimits_WhenFeedbackIsRead_ThenAccepted()
    {
        var body = Body(FeedbackBodies.Overridden(new string('c', FeedbackReader.MaxIdLength), new string('x', FeedbackReader.MaxReasonCodeLength), new string('x', FeedbackReader.MaxCommentLength)));
        using var document = JsonDocument.Parse(body);

        Assert.True(FeedbackReader.Read(document.RootElement).IsValid);
    }

    private static string Body(System.Text.Json.Nodes.JsonObject item) => FeedbackBodies.FeedbackBody(item).ToJsonString();

    private static string Normalize(string sql) => sql.Replace("\r\n", "\n", StringComparison.Ordinal).TrimStart('\uFEFF').Trim();
}
