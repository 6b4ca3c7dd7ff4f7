using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Npgsql;

namespace CdsService.Api.Feedback;

/// <summary>
/// PostgreSQL store, used when <c>ConnectionStrings:Feedback</c> is set: every instance behind the load balancer writes
/// to and reports from the same tables (docs/deploy.md §Shared state: Redis and PostgreSQL).
/// </summary>
public sealed class PostgresFeedbackStore(
    IDbContextFactory<PostgresFeedbackDbContext> contexts,
    IConfiguration configuration,
    IOptions<FeedbackStoreOptions> options,
    ILogger<PostgresFeedbackStore> logger)
    : EfFeedbackStore<PostgresFeedbackDbContext>(contexts, options, logger)
{
    public override string Provider => "postgresql";

    /// <summary>host:port/database only: the connection string's user and password never reach a log.</summary>
    public override string Location
    {
        get
        {
            var builder = new NpgsqlConnectionStringBuilder(configuration.GetConnectionString(FeedbackStoreOptions.ConnectionStringName));
            return $"{builder.Host}:{builder.Port}/{builder.Database}";
        }
    }
}
