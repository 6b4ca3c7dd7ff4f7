using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using CdsService.Api.Configuration;
using CdsService.Api.Logging;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Options;
using StackExchange.Redis;

namespace CdsService.Api.Security;

/// <summary>
/// The shared replay cache (docs/deploy.md §Replay cache on Redis: with several instances a replay must be caught whichever instance it reaches).
/// One sorted set per issuer (member: a hash of issuer and jti; score: until when it is remembered, in Unix ms), updated
/// by one atomic script per token: expired members are dropped, a live member is a replay, a full share
/// (<see cref="ReplayCacheShare"/>) refuses, else the member is added. Per issuer, so one client filling Redis cannot
/// lock the others out. Fails closed: when Redis cannot answer, the token is refused (<see cref="ReplayCheck.Unavailable"/>
/// → 401), because a replay check that cannot run must not grant access.
/// </summary>
public sealed class RedisReplayCache(RedisConnection connection, ReplayCacheShare share, TimeProvider time, ILogger<RedisReplayCache> logger) : IReplayCache
{
    /// <summary>Namespace of the keys, so the cache can share a Redis with other data and be inspected by prefix.</summary>
    public const string KeyPrefix = "cds-hooks:jti:";

    /// <summary>
    /// KEYS[1] the issuer's set; ARGV: member, now (ms), keep-until (ms), share. Returns 0 first use, 1 replay, 2 full.
    /// The key's own expiry is only ever extended, to the latest keep-until, so an idle issuer's set disappears.
    /// </summary>
    private const string RegisterScript = """
        redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', ARGV[2])
        if redis.call('ZSCORE', KEYS[1], ARGV[1]) then return 1 end
        if redis.call('ZCARD', KEYS[1]) >= tonumber(ARGV[4]) then return 2 end
        redis.call('ZADD', KEYS[1], ARGV[3], ARGV[1])
        local wanted = tonumber(ARGV[3]) - tonumber(ARGV[2])
        if redis.call('PTTL', KEYS[1]) < wanted then redis.call('PEXPIRE', KEYS[1], wanted) end
        return 0
        """;

    /// <summary>
    /// The set of one issuer: a SHA-256 of the issuer, never the raw value, so what sits in Redis says nothing about
    /// the client. One key per issuer (a cluster puts it in one slot: the script is atomic on it).
    /// </summary>
    public static string Key(string issuer)
    {
        ArgumentNullException.ThrowIfNull(issuer);
        return KeyPrefix + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(issuer)));
    }

    /// <summary>
    /// The member for a token id: the 128-bit hash of the length-prefixed issuer and jti the in-memory cache uses
    /// (<see cref="InMemoryReplayCache.KeyOf"/>), as 32 hex digits. A jti is opaque client data of any length and
    /// character set; the hash bounds the member and does not reveal it.
    /// </summary>
    public static string Member(string issuer, string jti)
    {
        ArgumentNullException.ThrowIfNull(issuer);
        ArgumentNullException.ThrowIfNull(jti);
        return InMemoryReplayCache.KeyOf(issuer, jti).ToString("x32", CultureInfo.InvariantCulture);
    }

    /// <summary>
    /// How long a token id is kept: until exp + clock skew, as long as the token itself is still accepted (cds-hooks.org
    /// best practices: "store jti for the max token lifetime"); at least a second.
    /// </summary>
    public static TimeSpan KeyLifetime(DateTimeOffset expiresAt, DateTimeOffset now)
    {
        var ttl = expiresAt + ClientTokenRules.ClockSkew - now;
        return ttl < TimeSpan.FromSeconds(1) ? TimeSpan.FromSeconds(1) : ttl;
    }

    public async ValueTask<ReplayCheck> CheckAsync(string issuer, string jti, CancellationToken cancellationToken)
    {
        try
        {
            var redis = await connection.GetAsync(cancellationToken);
            if (!redis.IsConnected)
            {
                Log.ReplayCheckFailed(logger, "NotConnected");
                return ReplayCheck.Unavailable;
            }

            var keepUntil = await redis.GetDatabase().SortedSetScoreAsync(Key(issuer), Member(issuer, jti));
            return keepUntil is { } until && until > time.GetUtcNow().ToUnixTimeMilliseconds() ? ReplayCheck.Replayed : ReplayCheck.FirstUse;
        }
        catch (Exception ex) when (ex is RedisException or TimeoutException or ObjectDisposedException)
        {
            Log.ReplayCheckFailed(logger, ex.GetType().Name);
            return ReplayCheck.Unavailable;
        }
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

            var now = time.GetUtcNow();
            var answer = (long)await redis.GetDatabase().ScriptEvaluateAsync(
                RegisterScript,
                [Key(issuer)],
                [Member(issuer, jti), now.ToUnixTimeMilliseconds(), (now + KeyLifetime(expiresAt, now)).ToUnixTimeMilliseconds(), share.PerIssuer]);
            return answer switch
            {
                0 => ReplayCheck.FirstUse,
                1 => ReplayCheck.Replayed,
                _ => ReplayCheck.Unavailable,
            };
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
        var share = services.GetRequiredService<ReplayCacheShare>();
        Log.ReplayCacheShares(logger, share.Capacity, share.PerIssuer, share.IssuerCount,
            services.GetRequiredService<IOptions<LimitOptions>>().Value.MaxTokenLifetime);
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
