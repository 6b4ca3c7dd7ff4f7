using CdsService.Api.Configuration;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace CdsService.Api.Feedback;

/// <summary>
/// Embedded SQLite store (one file, no server): the default, so the service runs with no infrastructure. Right for one
/// instance only: with several, each would keep its own file (docs/runbook.md). WAL journal so the readiness probe and
/// writers do not block each other.
/// </summary>
public sealed class SqliteFeedbackStore(
    IDbContextFactory<SqliteFeedbackDbContext> contexts,
    IOptions<CdsHooksOptions> cdsOptions,
    IOptions<FeedbackStoreOptions> options,
    ILogger<SqliteFeedbackStore> logger)
    : EfFeedbackStore<SqliteFeedbackDbContext>(contexts, options, logger)
{
    public override string Provider => "sqlite";

    public override string Location => DatabasePath;

    /// <summary>Resolved on use (not in the constructor), after the start-up options validation has run.</summary>
    public string DatabasePath => ResolvePath(cdsOptions.Value.Feedback.SqlitePath);

    /// <summary>The documented default: app-data (or temp) / cds-hypogonadism / feedback.db.</summary>
    public static string ResolvePath(string? configured)
    {
        if (!string.IsNullOrWhiteSpace(configured))
        {
            return Path.GetFullPath(configured);
        }

        var root = Environment.GetFolderPath(Environment.SpecialFolder.LocalApplicationData, Environment.SpecialFolderOption.DoNotVerify);
        if (string.IsNullOrEmpty(root))
        {
            root = Path.GetTempPath();
        }

        return Path.Combine(root, "cds-hypogonadism", "feedback.db");
    }

    /// <summary>The connection string for a database file: created when missing, pooled.</summary>
    public static string ConnectionString(string databasePath) => new SqliteConnectionStringBuilder
    {
        DataSource = databasePath,
        Mode = SqliteOpenMode.ReadWriteCreate,
        Pooling = true,
    }.ToString();

    protected override Task PrepareAsync(CancellationToken cancellationToken)
    {
        var directory = Path.GetDirectoryName(DatabasePath);
        if (!string.IsNullOrEmpty(directory))
        {
            Directory.CreateDirectory(directory);
        }

        return Task.CompletedTask;
    }

    // WAL is a property of the file, so setting it once after the schema exists is enough.
    protected override Task AfterMigrationsAsync(SqliteFeedbackDbContext db, CancellationToken cancellationToken) =>
        db.Database.ExecuteSqlRawAsync("PRAGMA journal_mode=WAL;", cancellationToken);
}
