using System.Collections.Concurrent;
using CdsService.Api.Configuration;
using Microsoft.Extensions.Options;

namespace CdsService.Api.Security;

public enum ReplayCheck
{
    /// <summary>First time this (issuer, jti) is seen within its lifetime.</summary>
    FirstUse,

    /// <summary>Seen before and not yet expired: a replay.</summary>
    Replayed,

    /// <summary>The cache cannot record it (full, or its backing store is down): refused, never waved through.</summary>
    Unavailable,
}

/// <summary>
/// Remembers token ids per issuer until the token expires (cds-hooks.org best practices: "jti not seen before, then
/// store jti for the max token lifetime"). In-memory by default; a shared implementation (Redis) catches a replay sent
/// to another instance.
/// </summary>
public interface IReplayCache
{
    ValueTask<ReplayCheck> TryRegisterAsync(string issuer, string jti, DateTimeOffset expiresAt, CancellationToken cancellationToken);
}

/// <summary>
/// Per-instance replay cache, bounded by <c>CdsHooks:Limits:ReplayCacheCapacity</c>. When full of live entries it
/// refuses new tokens rather than forgetting old ones (forgetting would reopen replay for them).
/// </summary>
public sealed class InMemoryReplayCache(TimeProvider time, IOptions<LimitOptions> limits) : IReplayCache
{
    private const int PurgeEvery = 1024;
    private readonly ConcurrentDictionary<string, DateTimeOffset> seen = new(StringComparer.Ordinal);
    private int insertsSincePurge;

    public ValueTask<ReplayCheck> TryRegisterAsync(string issuer, string jti, DateTimeOffset expiresAt, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var key = string.Concat(issuer, "\n", jti);
        var capacity = limits.Value.ReplayCacheCapacity;

        if (Interlocked.Increment(ref insertsSincePurge) >= PurgeEvery || seen.Count >= capacity)
        {
            Purge(now);
        }

        // Kept until exp + skew: the token is still accepted that long.
        var keepUntil = expiresAt + ClientTokenRules.ClockSkew;
        while (true)
        {
            if (seen.TryGetValue(key, out var existing))
            {
                if (existing > now)
                {
                    return ValueTask.FromResult(ReplayCheck.Replayed);
                }

                if (seen.TryUpdate(key, keepUntil, existing))
                {
                    return ValueTask.FromResult(ReplayCheck.FirstUse);
                }

                continue;
            }

            if (seen.Count >= capacity)
            {
                return ValueTask.FromResult(ReplayCheck.Unavailable);
            }

            if (seen.TryAdd(key, keepUntil))
            {
                return ValueTask.FromResult(ReplayCheck.FirstUse);
            }
        }
    }

    private void Purge(DateTimeOffset now)
    {
        Interlocked.Exchange(ref insertsSincePurge, 0);
        foreach (var (key, until) in seen)
        {
            if (until <= now)
            {
                seen.TryRemove(new KeyValuePair<string, DateTimeOffset>(key, until));
            }
        }
    }
}
