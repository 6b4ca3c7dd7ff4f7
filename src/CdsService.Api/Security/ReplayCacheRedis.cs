using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using CdsService.Api.Logging;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using StackExchange.Redis;

namespace CdsService.Api.Security;

/// <summary>
/// The shared replay cache (docs/deploy.md §Replay cache on Redis: with several instances a replay must be caught whichever instance it reaches).
/// One atomic <c>SET key 1 NX PX ttl</c> per token: the first instance to see an (issuer, jti) pair creates the key,
/// every later attempt on any instance finds it. Fails closed: when Redis cannot answer, the token is refused
/// (<see cref="ReplayCheck.Unavailable"/> → 401), because a replay check that cannot run must not grant access.
/// </summary>
public sealed class RedisReplayCache(RedisConnection connection, TimeProvider time, ILogger<RedisReplayCache> logger) : IReplayCache
{
    /// <summary>Namespace of the keys, so the cache can share a Redis with other data and be inspected by prefix.</summary>
    public const string KeyPrefix = "cds-hooks:jti:";

    /// <summary>
    /// The key for a token id: a SHA-256 of issuer and jti, never the raw values. A jti is opaque client data of any
    /// length and character set; the hash bounds the key, and what sits in Redis says nothing about the token.
    /// </summary>
    public static string Key(string issuer, string jti)
    {
        ArgumentNullException.ThrowIfNull(issuer);
        ArgumentNullException.ThrowIfNull(jti);
        // Length-prefixed, so no (issuer, jti) pair can be spelled as another one whatever characters they hold.
        var hash = SHA256.HashData(Encoding.UTF8.GetBytes(string.Create(CultureInfo.InvariantCulture, $"{issuer.Length}:{issuer}{jti}")));
        return KeyPrefix + Convert.ToHexStringLower(hash);
    }

    /// <summary>
    /// How long the key lives: until exp + clock skew, as long as the token itself is still accepted (cds-hooks.org
    /// best practices: "store jti for the max token lifetime"); at least a second, since Redis rejects a zero expiry.
    /// </summary>
    public static TimeSpan KeyLifetime(DateTimeOffset expiresAt, DateTimeOffset now)
    {
        var ttl = expiresAt + ClientTokenRules.ClockSkew - now;
        return ttl < TimeSpan.FromSeconds(1) ? TimeSpan.FromSeconds(1) : ttl;
    }

    public async ValueTask<ReplayCheck> TryRegisterAsync(string issuer, string jti, DateTimeOffset expiresAt, CancellationToken cancellationToken)
    {
        try
        {
            var redis = await connection.GetAsync(cancellationToken);
            if (!redis.IsConnected)
            {
                Log.ReplayCheckFailed(logger, "NotConnected");
                return ReplayCheck.Unavailable;
            }

            var created = await redis.GetDatabase().StringSetAsync(
                Key(issuer, jti), 1, KeyLifetime(expiresAt, time.GetUtcNow()), when: When.NotExists);
            return created ? ReplayCheck.FirstUse : ReplayCheck.Replayed;
        }
        catch (Exception ex) when (ex is RedisException or TimeoutException or ObjectDisposedException)
        {
            // Connection lost, timeout (asyncTimeout), or a server refusal such as "OOM command not allowed" under
            // maxmemory + noeviction: all mean this token's novelty is unknown, so it is not accepted. The refusal
            // itself is the one warning per call (ClientAuthenticationFailed, ReplayCacheUnavailable); this is detail.
            Log.ReplayCheckFailed(logger, ex.GetType().Name);
            return ReplayCheck.Unavailable;
        }
    }
}

/// <summary>
/// The one Redis connection of the process (StackExchange.Redis multiplexes every call over it), opened on first use
/// or by <see cref="RedisConnectionStarter"/> at start. Safety settings are fixed, whatever the connection string
/// says: <c>abortConnect=false</c> (the service starts and reports "not ready" rather than crash-looping while Redis
/// is down, and reconnects by itself) and a fail-fast backlog (while disconnected a command fails at once, so a token
/// is refused immediately instead of queuing the hook call).
/// </summary>
public sealed class RedisConnection(IConfiguration configuration, ILogger<RedisConnection> logger) : IAsyncDisposable
{
    public const string ConnectionStringName = "Redis";

    /// <summary>
    /// Defaults put in front of the configured string, so an operator's own value wins: connect within 2 s, and give a
    /// command 1 s, well inside an EHR's hook timeout (a stalled Redis turns into a prompt 401, not a hung call).
    /// </summary>
    public const string Defaults = "connectTimeout=2000,asyncTimeout=1000,syncTimeout=1000,name=cds-hypogonadism";

    private readonly SemaphoreSlim gate = new(1, 1);
    private ConnectionMultiplexer? multiplexer;

    /// <summary>Whether <c>ConnectionStrings:Redis</c> is set (else the in-memory cache is used).</summary>
    public static bool IsConfigured(IConfiguration configuration) =>
        !string.IsNullOrWhiteSpace(configuration.GetConnectionString(ConnectionStringName));

    /// <summary>The client options for a connection string, with this service's defaults and fixed safety settings.</summary>
    public static ConfigurationOptions Options(string connectionString)
    {
        var options = ConfigurationOptions.Parse($"{Defaults},{connectionString}");
        options.AbortOnConnectFail = false;
        options.BacklogPolicy = BacklogPolicy.FailFast;
        return options;
    }

    public async Task<IConnectionMultiplexer> GetAsync(CancellationToken cancellationToken)
    {
        if (multiplexer is { } ready)
        {
            return ready;
        }

        await gate.WaitAsync(cancellationToken);
        try
        {
            if (multiplexer is null)
            {
                var options = Options(configuration.GetConnectionString(ConnectionStringName)
                    ?? throw new InvalidOperationException("ConnectionStrings:Redis is not configured."));
                var connected = await ConnectionMultiplexer.ConnectAsync(options);
                connected.ConnectionFailed += (_, e) => Log.RedisConnectionFailed(logger, e.FailureType.ToString());
                connected.ConnectionRestored += (_, _) => Log.RedisConnectionRestored(logger);
                if (!connected.IsConnected)
                {
                    Log.ReplayCacheUnavailable(logger, "NotConnected");
                }

                multiplexer = connected;
            }

            return multiplexer;
        }
        finally
        {
            gate.Release();
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (multiplexer is { } open)
        {
            await open.CloseAsync(allowCommandsToComplete: false);
            await open.DisposeAsync();
        }

        gate.Dispose();
    }
}

/// <summary>Opens the Redis connection at start (without holding up start-up), so the first hook call does not pay for it.</summary>
public sealed class RedisConnectionStarter(IConfiguration configuration, IServiceProvider services, ILogger<RedisConnectionStarter> logger) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken)
    {
        if (!RedisConnection.IsConfigured(configuration))
        {
            Log.ReplayCacheConfigured(logger, "in-memory (this instance only)");
            return Task.CompletedTask;
        }

        Log.ReplayCacheConfigured(logger, "redis (shared)");
        _ = services.GetRequiredService<RedisConnection>().GetAsync(CancellationToken.None).ContinueWith(
            t => Log.ReplayCacheUnavailable(logger, t.Exception!.GetBaseException().GetType().Name),
            CancellationToken.None,
            TaskContinuationOptions.OnlyOnFaulted,
            TaskScheduler.Default);
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}

/// <summary>
/// Readiness of the replay cache: with Redis configured, a PING must answer within the check timeout; a pod whose
/// Redis is gone would refuse every token, so it must not get traffic. The in-memory cache is always ready.
/// </summary>
public sealed class ReplayCacheHealthCheck(IConfiguration configuration, IServiceProvider services) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        if (!RedisConnection.IsConfigured(configuration))
        {
            return HealthCheckResult.Healthy("In-memory replay cache.");
        }

        try
        {
            var redis = await services.GetRequiredService<RedisConnection>().GetAsync(cancellationToken);
            if (!redis.IsConnected)
            {
                return HealthCheckResult.Unhealthy("Redis is not connected.");
            }

            await redis.GetDatabase().PingAsync();
            return HealthCheckResult.Healthy();
        }
        catch (Exception ex) when (ex is RedisException or TimeoutException or ObjectDisposedException)
        {
            return HealthCheckResult.Unhealthy($"Redis does not answer ({ex.GetType().Name}).");
        }
    }
}
