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
/// <remarks>
/// Every authenticated call passes through here, so it must not serialise them (docs/performance.md §Replay cache). The entry count is kept in
/// a counter because <c>ConcurrentDictionary.Count</c> takes every bucket lock: read twice per call it was the largest
/// lock contention under load. Expired entries leave through a queue in registration order, a few per call, instead of
/// a scan of the whole dictionary every 1,024 calls on the caller's thread. Registration order is close to expiry
/// order (clients mint short-lived tokens of similar lifetime); a long-lived token at the head only delays the removal
/// of those behind it, and a full cache still scans once for expired entries before it refuses.
/// </remarks>
public sealed class InMemoryReplayCache(TimeProvider time, IOptions<LimitOptions> limits) : IReplayCache
{
    /// <summary>Expired entries removed per call at most, so no single call pays for a backlog.</summary>
    private const int MaxRemovalsPerCall = 64;

    /// <summary>Longer issuer + jti pairs (beyond what any client sends) are encoded on the heap instead of the stack.</summary>
    private const int MaxStackKeyBytes = 512;

    private readonly ConcurrentDictionary<UInt128, long> seen = new();
    private readonly ConcurrentQueue<KeyValuePair<UInt128, long>> registrationOrder = new();
    private int count;
    private int removing;

    /// <summary>Entries currently remembered (for tests and diagnostics).</summary>
    internal int Count => Volatile.Read(ref count);

    public ValueTask<ReplayCheck> TryRegisterAsync(string issuer, string jti, DateTimeOffset expiresAt, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(issuer);
        ArgumentNullException.ThrowIfNull(jti);
        var now = time.GetUtcNow().UtcTicks;
        var key = KeyOf(issuer, jti);
        var capacity = limits.Value.ReplayCacheCapacity;
        RemoveExpiredInOrder(now, MaxRemovalsPerCall);

        // Kept until exp + skew: the token is still accepted that long.
        var keepUntil = (expiresAt + ClientTokenRules.ClockSkew).UtcTicks;
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
                    registrationOrder.Enqueue(new(key, keepUntil));
                    return ValueTask.FromResult(ReplayCheck.FirstUse);
                }

                continue;
            }

            if (Volatile.Read(ref count) >= capacity && !RemoveAllExpired(now, capacity))
            {
                return ValueTask.FromResult(ReplayCheck.Unavailable);
            }

            if (seen.TryAdd(key, keepUntil))
            {
                Interlocked.Increment(ref count);
                registrationOrder.Enqueue(new(key, keepUntil));
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
        if (!registrationOrder.TryPeek(out var head) || head.Value > now || Interlocked.Exchange(ref removing, 1) == 1)
        {
            return;
        }

        try
        {
            for (var i = 0; i < limit && registrationOrder.TryPeek(out head) && head.Value <= now; i++)
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

    /// <summary>The cache is full: one scan for expired entries; true when there is room afterwards.</summary>
    private bool RemoveAllExpired(long now, int capacity)
    {
        if (Interlocked.Exchange(ref removing, 1) == 0)
        {
            try
            {
                foreach (var entry in seen)
                {
                    if (entry.Value <= now)
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

        return Volatile.Read(ref count) < capacity;
    }

    private void Forget(KeyValuePair<UInt128, long> entry)
    {
        if (seen.TryRemove(entry))
        {
            Interlocked.Decrement(ref count);
        }
    }
}
