using System.Globalization;
using System.Text.Json;
using CdsService.Api.Configuration;
using CdsService.Api.Logging;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Options;

namespace CdsService.Api.Feedback;

/// <summary>
/// Embedded SQLite store (one file, no server): the default so the service runs with no infrastructure. WAL journal so
/// the readiness probe and writers do not block each other. Timestamps are stored as round-trip ISO 8601 text.
/// </summary>
public sealed class SqliteFeedbackStore : IFeedbackStore
{
    private const string Schema = """
        CREATE TABLE IF NOT EXISTS feedback (
            id INTEGER PRIMARY KEY AUTOINCREMENT,
            service_id TEXT NOT NULL,
            card_uuid TEXT NOT NULL,
            outcome TEXT NOT NULL,
            accepted_suggestion_ids TEXT NOT NULL,
            override_reason_system TEXT NULL,
            override_reason_code TEXT NULL,
            user_comment TEXT NULL,
            outcome_timestamp TEXT NOT NULL,
            received_at TEXT NOT NULL,
            client_issuer TEXT NOT NULL,
            client_tenant TEXT NULL
        );
        CREATE INDEX IF NOT EXISTS ix_feedback_service_card ON feedback (service_id, card_uuid);
        """;

    private readonly IOptions<CdsHooksOptions> options;
    private readonly ILogger<SqliteFeedbackStore> logger;

    public SqliteFeedbackStore(IOptions<CdsHooksOptions> options, ILogger<SqliteFeedbackStore> logger)
    {
        ArgumentNullException.ThrowIfNull(options);
        this.options = options;
        this.logger = logger;
    }

    /// <summary>Resolved on use (not in the constructor), after the start-up options validation has run.</summary>
    public string DatabasePath => ResolvePath(options.Value.Feedback.SqlitePath);

    private string ConnectionString => new SqliteConnectionStringBuilder
    {
        DataSource = DatabasePath,
        Mode = SqliteOpenMode.ReadWriteCreate,
        Pooling = true,
    }.ToString();

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

    public async Task InitializeAsync(CancellationToken cancellationToken)
    {
        var directory = Path.GetDirectoryName(DatabasePath);
        if (!string.IsNullOrEmpty(directory))
        {
            Directory.CreateDirectory(directory);
        }

        await using var connection = await OpenAsync(cancellationToken);
        await using (var wal = connection.CreateCommand())
        {
            wal.CommandText = "PRAGMA journal_mode=WAL;";
            await wal.ExecuteNonQueryAsync(cancellationToken);
        }

        await using var command = connection.CreateCommand();
        command.CommandText = Schema;
        await command.ExecuteNonQueryAsync(cancellationToken);
        Log.FeedbackStoreReady(logger, DatabasePath);
    }

    public async Task SaveAsync(IReadOnlyList<FeedbackRecord> records, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(records);
        await using var connection = await OpenAsync(cancellationToken);
        await using var transaction = (SqliteTransaction)await connection.BeginTransactionAsync(cancellationToken);
        foreach (var record in records)
        {
            await using var command = connection.CreateCommand();
            command.Transaction = transaction;
            command.CommandText = """
                INSERT INTO feedback (service_id, card_uuid, outcome, accepted_suggestion_ids, override_reason_system,
                    override_reason_code, user_comment, outcome_timestamp, received_at, client_issuer, client_tenant)
                VALUES ($service, $card, $outcome, $accepted, $reasonSystem, $reasonCode, $comment, $outcomeAt, $receivedAt, $issuer, $tenant);
                """;
            command.Parameters.AddWithValue("$service", record.ServiceId);
            command.Parameters.AddWithValue("$card", record.CardUuid);
            command.Parameters.AddWithValue("$outcome", record.Outcome);
            command.Parameters.AddWithValue("$accepted", JsonSerializer.Serialize(record.AcceptedSuggestionIds));
            command.Parameters.AddWithValue("$reasonSystem", (object?)record.OverrideReasonSystem ?? DBNull.Value);
            command.Parameters.AddWithValue("$reasonCode", (object?)record.OverrideReasonCode ?? DBNull.Value);
            command.Parameters.AddWithValue("$comment", (object?)record.UserComment ?? DBNull.Value);
            command.Parameters.AddWithValue("$outcomeAt", record.OutcomeTimestamp.ToString("O", CultureInfo.InvariantCulture));
            command.Parameters.AddWithValue("$receivedAt", record.ReceivedAt.ToString("O", CultureInfo.InvariantCulture));
            command.Parameters.AddWithValue("$issuer", record.ClientIssuer);
            command.Parameters.AddWithValue("$tenant", (object?)record.ClientTenant ?? DBNull.Value);
            await command.ExecuteNonQueryAsync(cancellationToken);
        }

        await transaction.CommitAsync(cancellationToken);
    }

    public async Task<IReadOnlyList<FeedbackRecord>> ListAsync(string serviceId, CancellationToken cancellationToken)
    {
        await using var connection = await OpenAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = """
            SELECT service_id, card_uuid, outcome, accepted_suggestion_ids, override_reason_system, override_reason_code,
                   user_comment, outcome_timestamp, received_at, client_issuer, client_tenant
            FROM feedback WHERE service_id = $service ORDER BY id;
            """;
        command.Parameters.AddWithValue("$service", serviceId);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var records = new List<FeedbackRecord>();
        while (await reader.ReadAsync(cancellationToken))
        {
            records.Add(new FeedbackRecord
            {
                ServiceId = reader.GetString(0),
                CardUuid = reader.GetString(1),
                Outcome = reader.GetString(2),
                AcceptedSuggestionIds = JsonSerializer.Deserialize<string[]>(reader.GetString(3)) ?? [],
                OverrideReasonSystem = reader.IsDBNull(4) ? null : reader.GetString(4),
                OverrideReasonCode = reader.IsDBNull(5) ? null : reader.GetString(5),
                UserComment = reader.IsDBNull(6) ? null : reader.GetString(6),
                OutcomeTimestamp = DateTimeOffset.Parse(reader.GetString(7), CultureInfo.InvariantCulture),
                ReceivedAt = DateTimeOffset.Parse(reader.GetString(8), CultureInfo.InvariantCulture),
                ClientIssuer = reader.GetString(9),
                ClientTenant = reader.IsDBNull(10) ? null : reader.GetString(10),
            });
        }

        return records;
    }

    public async Task<bool> IsHealthyAsync(CancellationToken cancellationToken)
    {
        try
        {
            await using var connection = await OpenAsync(cancellationToken);
            await using var command = connection.CreateCommand();
            command.CommandText = "SELECT COUNT(*) FROM sqlite_master WHERE type = 'table' AND name = 'feedback';";
            return Convert.ToInt64(await command.ExecuteScalarAsync(cancellationToken), CultureInfo.InvariantCulture) == 1;
        }
        catch (SqliteException ex)
        {
            Log.FeedbackStoreUnhealthy(logger, ex.SqliteErrorCode);
            return false;
        }
    }

    private async Task<SqliteConnection> OpenAsync(CancellationToken cancellationToken)
    {
        var connection = new SqliteConnection(ConnectionString);
        try
        {
            await connection.OpenAsync(cancellationToken);
            return connection;
        }
        catch
        {
            await connection.DisposeAsync();
            throw;
        }
    }
}
