using CdsService.Protocol;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Design;

namespace CdsService.Api.Feedback;

/// <summary>A row of <c>feedback_item</c>. Columns mirror <see cref="FeedbackRecord"/>; times are UTC.</summary>
public sealed class FeedbackItemRow
{
    public long Id { get; set; }

    public required string ServiceId { get; set; }

    public required string CardUuid { get; set; }

    public string? CardTopic { get; set; }

    public required string Outcome { get; set; }

    /// <summary>JSON array of suggestion uuids: read back whole, never queried.</summary>
    public required string AcceptedSuggestionIds { get; set; }

    public string? OverrideReasonSystem { get; set; }

    public string? OverrideReasonCode { get; set; }

    public string? UserComment { get; set; }

    public DateTime OutcomeTimestamp { get; set; }

    public DateTime ReceivedAt { get; set; }

    public required string ClientIssuer { get; set; }

    public string? ClientTenant { get; set; }
}

/// <summary>A row of <c>issued_card</c>: card uuid → card type, for the feedback summary (retention-bounded).</summary>
public sealed class IssuedCardRow
{
    public required string CardUuid { get; set; }

    public required string ServiceId { get; set; }

    public required string Topic { get; set; }

    public required string Indicator { get; set; }

    public DateTime IssuedAt { get; set; }
}

/// <summary>
/// The feedback store's model, shared by both providers. Times are <see cref="DateTime"/> in UTC rather than
/// <see cref="DateTimeOffset"/>: the SQLite provider cannot compare or order DateTimeOffset in SQL, while UTC DateTime
/// is ISO 8601 text there (orders correctly) and <c>timestamp with time zone</c> in PostgreSQL. Strings carry no length
/// in the schema; <see cref="FeedbackReader"/> bounds them before they get here. Names are snake_case so that the
/// tables read naturally in psql and sqlite3.
/// </summary>
public abstract class FeedbackDbContext(DbContextOptions options) : DbContext(options)
{
    public DbSet<FeedbackItemRow> FeedbackItems => Set<FeedbackItemRow>();

    public DbSet<IssuedCardRow> IssuedCards => Set<IssuedCardRow>();

    protected override void OnModelCreating(ModelBuilder modelBuilder)
    {
        ArgumentNullException.ThrowIfNull(modelBuilder);
        modelBuilder.Entity<FeedbackItemRow>(item =>
        {
            item.ToTable("feedback_item");
            item.HasKey(f => f.Id);
            item.Property(f => f.Id).HasColumnName("id").ValueGeneratedOnAdd();
            item.Property(f => f.ServiceId).HasColumnName("service_id");
            item.Property(f => f.CardUuid).HasColumnName("card_uuid");
            item.Property(f => f.CardTopic).HasColumnName("card_topic");
            item.Property(f => f.Outcome).HasColumnName("outcome");
            item.Property(f => f.AcceptedSuggestionIds).HasColumnName("accepted_suggestion_ids");
            item.Property(f => f.OverrideReasonSystem).HasColumnName("override_reason_system");
            item.Property(f => f.OverrideReasonCode).HasColumnName("override_reason_code");
            item.Property(f => f.UserComment).HasColumnName("user_comment");
            item.Property(f => f.OutcomeTimestamp).HasColumnName("outcome_timestamp");
            item.Property(f => f.ReceivedAt).HasColumnName("received_at");
            item.Property(f => f.ClientIssuer).HasColumnName("client_issuer");
            item.Property(f => f.ClientTenant).HasColumnName("client_tenant");

            // The summary filters by receive time; the list by service; feedback is joined to issued cards by uuid.
            item.HasIndex(f => f.ReceivedAt).HasDatabaseName("ix_feedback_item_received_at");
            item.HasIndex(f => new { f.ServiceId, f.Id }).HasDatabaseName("ix_feedback_item_service_id");
            item.HasIndex(f => f.CardUuid).HasDatabaseName("ix_feedback_item_card_uuid");
        });

        modelBuilder.Entity<IssuedCardRow>(card =>
        {
            card.ToTable("issued_card");
            card.HasKey(c => c.CardUuid);
            card.Property(c => c.CardUuid).HasColumnName("card_uuid");
            card.Property(c => c.ServiceId).HasColumnName("service_id");
            card.Property(c => c.Topic).HasColumnName("topic");
            card.Property(c => c.Indicator).HasColumnName("indicator");
            card.Property(c => c.IssuedAt).HasColumnName("issued_at");

            // The retention purge deletes by issue time.
            card.HasIndex(c => c.IssuedAt).HasDatabaseName("ix_issued_card_issued_at");
        });
    }
}

/// <summary>The SQLite flavour (its own migrations in Feedback/Migrations/Sqlite).</summary>
public sealed class SqliteFeedbackDbContext(DbContextOptions<SqliteFeedbackDbContext> options) : FeedbackDbContext(options);

/// <summary>The PostgreSQL flavour (its own migrations in Feedback/Migrations/Postgres).</summary>
public sealed class PostgresFeedbackDbContext(DbContextOptions<PostgresFeedbackDbContext> options) : FeedbackDbContext(options);

/// <summary>
/// Design-time factories for <c>dotnet ef</c> (Feedback/Migrations/README.md). Generating a migration needs only the
/// provider, never a live database, so the connection strings are placeholders.
/// </summary>
public sealed class SqliteFeedbackDesignTimeFactory : IDesignTimeDbContextFactory<SqliteFeedbackDbContext>
{
    public SqliteFeedbackDbContext CreateDbContext(string[] args) =>
        new(new DbContextOptionsBuilder<SqliteFeedbackDbContext>().UseSqlite("Data Source=design-time.db").Options);
}

/// <inheritdoc cref="SqliteFeedbackDesignTimeFactory"/>
public sealed class PostgresFeedbackDesignTimeFactory : IDesignTimeDbContextFactory<PostgresFeedbackDbContext>
{
    public PostgresFeedbackDbContext CreateDbContext(string[] args) =>
        new(new DbContextOptionsBuilder<PostgresFeedbackDbContext>().UseNpgsql("Host=localhost;Database=cds_feedback").Options);
}
