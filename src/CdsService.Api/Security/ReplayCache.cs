using System.Buffers;
using System.Buffers.Binary;
using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text;
using CdsService.Api.Configuration;
using Microsoft.Extensions.Options;

namespace CdsService.Api.Security;

public enum ReplayCheck
{
    /// <summary>First time this (issuer, jti) is seen within its lifetime.</summary>
    FirstUse,

    /// <summary>Seen before and not yet expired: a replay.</summary>
    Replayed,

    /// <summary>The cache cannot record it (the issuer's share is full, or the store is down): refused, never waved through.</summary>
    Unavailable,
}

/// <summary>
/// Remembers token ids per issuer until the token expires (cds-hooks.org best practices: "jti not seen before, then
/// store jti for the max token lifetime"). In-memory by default; a shared implementation (Redis) catches a replay sent
/// to another instance. Both bound each issuer by its <see cref="ReplayCacheShare"/> (ADR-0008).
/// </summary>
public interface IReplayCache
{
    /// <summary>Records the token id; <see cref="ReplayCheck.FirstUse"/> only the first time within its lifetime.</summary>
    ValueTask<ReplayCheck> TryRegisterAsync(string issuer, string jti, DateTimeOffset expiresAt, CancellationToken cancellationToken);

    /// <summary>
    /// Whether the token id is already remembered, without recording it (<see cref="ReplayCheck.FirstUse"/>: not seen
    /// yet). Authentication asks this, so a replay is refused before it spends the client's rate budget; the token is
    /// recorded (<see cref="TryRegisterAsync"/>) only once the rate limiter let the call through, so throttled calls
    /// take no room (<see cref="ReplayProtectionMiddleware"/>).
    /// </summary>
    ValueTask<ReplayCheck> CheckAsync(string issuer, string jti, CancellationToken cancellationToken);
}

/// <summary>
/// How many token ids each issuer may hold: <c>CdsHooks:Limits:ReplayCacheCapacity</c> split evenly between the
/// trusted issuers, so a client flooding the cache fills only its own share and every other client keeps working. An
/// issuer that is not a CDS client (the admin client) gets a share of the same size of its own.
/// </summary>
public sealed class ReplayCacheShare
{
    private readonly Lazy<(int Capacity, int Issuers)> sizes;

    public ReplayCacheShare(IOptions<LimitOptions> limits, ClientRegistry registry)
    {
        ArgumentNullException.ThrowIfNull(limits);
        ArgumentNullException.ThrowIfNull(registry);

        // Lazy: the registry reads the validated options, which must not happen while the host is still being built.
        sizes = new(() => (limits.Value.ReplayCacheCapacity, Math.Max(1, registry.Issuers.Count)));
    }

    private ReplayCacheShare(int capacity, int issuers) => sizes = new((capacity, Math.Max(1, issuers)));

    /// <summary>A fixed split, for tests and tools.</summary>
    public static ReplayCacheShare Fixed(int capacity, int issuers) => new(capacity, issuers);

    public int Capacity => sizes.Value.Capacity;

    public int IssuerCount => sizes.Value.Issuers;

    /// <summary>Entries one issuer may hold at once.</summary>
    public int PerIssuer => Math.Max(1, sizes.Value.Capacity / sizes.Value.Issuers);
}

/// <summary>
/// Per-instance replay cache, bounded per issuer by <see cref="ReplayCacheShare"/>. When an issuer's share is full of
/// live entries its new tokens are refused rather than old ones forgotten (forgetting would reopen replay for them);
/// other issuers are not affected.
/// </summary>
/// <remarks>
/// Every authenticated call passes through here, so it must not serialise them (docs/performance.md §Replay cache). The entry counts are kept in
/// counters because <c>ConcurrentDictionary.Count</c> takes every bucket lock: read twice per call it was the largest
/// lock contention under load. Expired entries leave through a queue in registration order, a few per call, instead of
/// a scan of the whole dictionary every 1,024 calls on the caller's thread. Registration order is close to expiry
/// order (clients mint short-lived tokens of similar lifetime, at most <c>MaxTokenLifetime</c>); a long-lived token at
/// the head only delays the removal of those behind it, and a full share still triggers a scan for expired entries
/// before it refuses — at most one per <see cref="FullScanInterval"/>, so a client hammering its full share cannot make
/// every call scan the cache.
/// </remarks>
public sealed class InMemoryReplayCache(TimeProvider time, ReplayCacheShare share) : IReplayCache
{
    /// <summary>Least time between two full scans for expired entries.</summary>
    public static readonly TimeSpan FullScanInterval = TimeSpan.FromSeconds(1);

    /// <summary>Expired entries removed per call at most, so no single call pays for a backlog.</summary>
    private const int MaxRemovalsPerCall = 64;

    /// <summary>Longer issuer + jti pairs (beyond what any client sends) are encoded on the heap instead of the stack.</summary>
    private const int MaxStackKeyBytes = 512;

    private readonly ConcurrentDictionary<UInt128, Entry> seen = new();
    private readonly ConcurrentQueue<KeyValuePair<UInt128, Entry>> registrationOrder = new();
    private readonly ConcurrentDictionary<string, IssuerCount> issuers = new(StringComparer.Ordinal);
    private int count;
    private int removing;
    private long lastFullScan = long.MinValue / 2;

    /// <summary>Entries currently remembered (for tests and diagnostics).</summary>
    internal int Count => Volatile.Read(ref count);

    /// <summary>Entries one issuer currently holds (for tests and diagnostics).</summary>
    internal int CountOf(string issuer) => issuers.TryGetValue(issuer, out var held) ? Volatile.Read(ref held.Value) : 0;

    public ValueTask<ReplayCheck> CheckAsync(string issuer, string jti, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(issuer);
        ArgumentNullException.ThrowIfNull(jti);
        return ValueTask.FromResult(seen.TryGetValue(KeyOf(issuer, jti), out var existing) && existing.KeepUntil > time.GetUtcNow().UtcTicks
            ? ReplayCheck.Replayed
            : ReplayCheck.FirstUse);
    }

    public ValueTask<ReplayCheck> TryRegisterAsync(string issuer, string jti, DateTimeOffset expiresAt, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(issuer);
        ArgumentNullException.ThrowIfNull(jti);
        var now = time.GetUtcNow().UtcTicks;
        var key = KeyOf(issuer, jti);
        var perIssuer = share.PerIssuer;
        var held = issuers.GetOrAdd(issuer, _ => new IssuerCount());
        RemoveExpiredInOrder(now, MaxRemovalsPerCall);

        // Kept until exp + skew: the token is still accepted that long.
        var entry = new Entry((expiresAt + ClientTokenRules.ClockSkew).UtcTicks, held);
        while (true)
        {
            if (seen.TryGetValue(key, out var existing))
            {
                if (existing.KeepUntil > now)
                {
                    return ValueTask.FromResult(ReplayCheck.Replayed);
                }

                // An expired entry of the same (issuer, jti) is that issuer's slot already: reuse it.
                if (seen.TryUpdate(key, entry, existing))
                {
                    registrationOrder.Enqueue(new(key, entry));
                    return ValueTask.FromResult(ReplayCheck.FirstUse);
                }

                continue;
            }

            if (Volatile.Read(ref held.Value) >= perIssuer && !RemoveAllExpired(now, held, perIssuer))
            {
                return ValueTask.FromResult(ReplayCheck.Unavailable);
            }

            if (seen.TryAdd(key, entry))
            {
                Interlocked.Increment(ref count);
                Interlocked.Increment(ref held.Value);
                registrationOrder.Enqueue(new(key, entry));
                return ValueTask.FromResult(ReplayCheck.FirstUse);
            }
        }
    }

    /// <summary>
    /// The first 128 bits of SHA-256 over the length-prefixed issuer and the jti: a fixed-size key (an entry is a few
    /// dozen bytes however long the jti, and no string is built per call), with collisions beyond reach (birthday bound
    /// 2^64). A collision could only refuse a token as a replay, never accept one. The Redis cache keys the same way.
    /// </summary>
    internal static UInt128 KeyOf(string issuer, string jti)
    {
        var length = Encoding.UTF8.GetMaxByteCount(issuer.Length + jti.Length) + sizeof(int);
        var rented = length > MaxStackKeyBytes ? ArrayPool<byte>.Shared.Rent(length) : null;
        try
        {
            Span<byte> buffer = rented is null ? stackalloc byte[MaxStackKeyBytes] : rented;
            BinaryPrimitives.WriteInt32LittleEndian(buffer, issuer.Length);
            var written = sizeof(int);
            written += Encoding.UTF8.GetBytes(issuer, buffer[written..]);
            written += Encoding.UTF8.GetBytes(jti, buffer[written..]);
            Span<byte> hash = stackalloc byte[SHA256.HashSizeInBytes];
            SHA256.HashData(buffer[..written], hash);
            return BinaryPrimitives.ReadUInt128LittleEndian(hash);
        }
        finally
        {
            if (rented is not null)
            {
                ArrayPool<byte>.Shared.Return(rented);
            }
        }
    }

    private void RemoveExpiredInOrder(long now, int limit)
    {
        if (!registrationOrder.TryPeek(out var head) || head.Value.KeepUntil > now || Interlocked.Exchange(ref removing, 1) == 1)
        {
            return;
        }

        try
        {
            for (var i = 0; i < limit && registrationOrder.TryPeek(out head) && head.Value.KeepUntil <= now; i++)
            {
                registrationOrder.TryDequeue(out _);

                // Only if still this registration: a later one for the same key has its own queue entry.
                Forget(head);
            }
        }
        finally
        {
            Volatile.Write(ref removing, 0);
        }
    }

    /// <summary>
    /// An issuer's share is full: one scan for expired entries (at most one per <see cref="FullScanInterval"/>); true
    /// when that issuer has room afterwards.
    /// </summary>
    private bool RemoveAllExpired(long now, IssuerCount held, int perIssuer)
    {
        var last = Interlocked.Read(ref lastFullScan);
        if (now - last >= FullScanInterval.Ticks
            && Interlocked.CompareExchange(ref lastFullScan, now, last) == last
            && Interlocked.Exchange(ref removing, 1) == 0)
        {
            try
            {
                foreach (var entry in seen)
                {
                    if (entry.Value.KeepUntil <= now)
                    {
                        Forget(entry);
                    }
                }
            }
            finally
            {
                Volatile.Write(ref removing, 0);
            }
        }

        return Volatile.Read(ref held.Value) < perIssuer;
    }

    private void Forget(KeyValuePair<UInt128, Entry> entry)
    {
        if (seen.TryRemove(entry))
        {
            Interlocked.Decrement(ref count);
            Interlocked.Decrement(ref entry.Value.Issuer.Value);
        }
    }

    /// <summary>Until when a token id is remembered, and the issuer whose share it takes.</summary>
    private readonly record struct Entry(long KeepUntil, IssuerCount Issuer);

    /// <summary>One issuer's live entries (a class, so entries can point at it and update it in place).</summary>
    private sealed class IssuerCount
    {
        public int Value;
    }
}
