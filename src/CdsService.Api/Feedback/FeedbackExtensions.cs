using CdsService.Api.Configuration;
using CdsService.Api.Health;
using CdsService.Api.Hooks;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Options;
using Npgsql;

namespace CdsService.Api.Feedback;

public static class FeedbackExtensions
{
    /// <summary>
    /// The feedback store: PostgreSQL when <c>ConnectionStrings:Feedback</c> is set, else SQLite; schema migrated (or
    /// checked) at start; the issued-card map writer and its retention; a readiness check. The provider is chosen when
    /// the store is first resolved, from the final configuration (not while services are registered).
    /// </summary>
    public static IHostApplicationBuilder AddFeedbackStore(this IHostApplicationBuilder builder)
    {
        var services = builder.Services;
        services.AddOptions<FeedbackStoreOptions>()
            .BindConfiguration(FeedbackStoreOptions.SectionName)
            .ValidateDataAnnotations()
            .ValidateOnStart();
        services.AddSingleton<IValidateOptions<FeedbackStoreOptions>, FeedbackConnectionValidator>();

        services.AddPooledDbContextFactory<SqliteFeedbackDbContext>((sp, options) => WithoutFailureMessages(options.UseSqlite(
            SqliteFeedbackStore.ConnectionString(SqliteFeedbackStore.ResolvePath(sp.GetRequiredService<IOptions<CdsHooksOptions>>().Value.Feedback.SqlitePath)))));
        services.AddPooledDbContextFactory<PostgresFeedbackDbContext>((sp, options) => WithoutFailureMessages(options.UseNpgsql(
            sp.GetRequiredService<IConfiguration>().GetConnectionString(FeedbackStoreOptions.ConnectionStringName))));
        services.AddSingleton<SqliteFeedbackStore>();
        services.AddSingleton<PostgresFeedbackStore>();
        services.AddSingleton<IFeedbackStore>(sp => UsesPostgres(sp.GetRequiredService<IConfiguration>())
            ? sp.GetRequiredService<PostgresFeedbackStore>()
            : sp.GetRequiredService<SqliteFeedbackStore>());

        // The schema is migrated in the background while the host starts (cold start, docs/performance.md); the store's operations
        // and its readiness check wait for that migration themselves, so the writers below need no start order.
        services.AddHostedService<FeedbackStoreInitializer>();
        services.AddSingleton<IssuedCardWriter>();
        services.AddHostedService(sp => sp.GetRequiredService<IssuedCardWriter>());
        services.AddHostedService<IssuedCardRetention>();
        // Card uuid → card type, because spec §Feedback names a card only by its uuid and the summary counts per type.
        services.AddSingleton<IssuedCardRecorder>();
        services.AddHookCallObserver<IssuedCardRecorder>();

        services.AddHealthChecks().AddCheck<FeedbackStoreHealthCheck>("feedback-store", tags: [HealthExtensions.ReadyTag], timeout: HealthExtensions.CheckTimeout);
        return builder;
    }

    /// <summary>
    /// EF Core logs a failed command, query or save at Error with the database's exception, whose message can quote the
    /// values being written (PostgreSQL: "invalid byte sequence … 0x00" with the row). The exception still propagates:
    /// the hook and feedback endpoints' handler logs it once, type and stack only (RedactedException), and the store's
    /// own events name the exception type.
    /// </summary>
    private static DbContextOptionsBuilder WithoutFailureMessages(DbContextOptionsBuilder options) =>
        options.ConfigureWarnings(w => w.Ignore(
            CoreEventId.SaveChangesFailed,
            CoreEventId.QueryIterationFailed,
            CoreEventId.OptimisticConcurrencyException,
            RelationalEventId.CommandError,
            RelationalEventId.ConnectionError,
            RelationalEventId.TransactionError));

    /// <summary>Whether the shared PostgreSQL store is configured (else the embedded SQLite file is used).</summary>
    public static bool UsesPostgres(IConfiguration configuration) =>
        !string.IsNullOrWhiteSpace(configuration.GetConnectionString(FeedbackStoreOptions.ConnectionStringName));
}

/// <summary>
/// Creates or migrates the schema at start, without holding up the start (cold start, docs/performance.md: it was ~18 % of start-up CPU, most
/// of it building the EF model): Kestrel listens meanwhile, /health/ready answers 503 until the schema is in place, and
/// feedback calls wait for it (<see cref="IFeedbackStore.InitializeAsync"/>). A store that cannot be initialised still
/// stops the process (fail fast, as before): the failure is logged (FeedbackStoreUnavailable, then the host's
/// "BackgroundService failed" with the exception), the host stops, and Program ends with the exception
/// (<see cref="ThrowIfFailed"/>: logged as fatal, non-zero exit code), so an orchestrator restarts the pod and shows the
/// crash loop, instead of a pod that stays up, never ready, with nobody told why.
/// </summary>
public sealed class FeedbackStoreInitializer(IFeedbackStore store, IHostApplicationLifetime lifetime) : BackgroundService
{
    /// <summary>The host's initializer (taken before the host runs: a stopped host's services are disposed).</summary>
    public static FeedbackStoreInitializer From(IServiceProvider services) =>
        services.GetServices<IHostedService>().OfType<FeedbackStoreInitializer>().Single();

    /// <summary>Rethrows the initialisation's failure, if it failed; called by Program once the host has stopped.</summary>
    public void ThrowIfFailed()
    {
        if (ExecuteTask is { IsFaulted: true } failed)
        {
            failed.GetAwaiter().GetResult();
        }
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        try
        {
            await store.InitializeAsync(stoppingToken);
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !stoppingToken.IsCancellationRequested)
        {
            // Stopped explicitly rather than through HostOptions.BackgroundServiceExceptionBehavior, which a host may set
            // to Ignore.
            lifetime.StopApplication();
            throw;
        }
    }
}

public sealed class FeedbackStoreHealthCheck(IFeedbackStore store) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default) =>
        !store.IsInitialized ? HealthCheckResult.Unhealthy("The feedback store's schema is not initialised (yet).")
        : await store.IsHealthyAsync(cancellationToken) ? HealthCheckResult.Healthy()
        : HealthCheckResult.Unhealthy("The feedback store does not answer.");
}

/// <summary>
/// A PostgreSQL connection string that does not parse stops the service at start. The message never repeats the
/// string: it holds the database password.
/// </summary>
public sealed class FeedbackConnectionValidator(IConfiguration configuration) : IValidateOptions<FeedbackStoreOptions>
{
    public ValidateOptionsResult Validate(string? name, FeedbackStoreOptions options)
    {
        if (!FeedbackExtensions.UsesPostgres(configuration))
        {
            return ValidateOptionsResult.Success;
        }

        try
        {
            var builder = new NpgsqlConnectionStringBuilder(configuration.GetConnectionString(FeedbackStoreOptions.ConnectionStringName));
            return string.IsNullOrWhiteSpace(builder.Host) || string.IsNullOrWhiteSpace(builder.Database)
                ? ValidateOptionsResult.Fail("ConnectionStrings:Feedback must name a PostgreSQL Host and Database (Npgsql syntax: Host=...;Database=...;Username=...;Password=...).")
                : ValidateOptionsResult.Success;
        }
        catch (ArgumentException)
        {
            return ValidateOptionsResult.Fail("ConnectionStrings:Feedback is not a valid Npgsql connection string (Host=...;Database=...;Username=...;Password=...).");
        }
    }
}
