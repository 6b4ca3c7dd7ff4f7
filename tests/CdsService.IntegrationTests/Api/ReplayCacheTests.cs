using CdsService.Api.Security;
using Microsoft.Extensions.Time.Testing;

namespace CdsService.IntegrationTests.Api;

public sealed class ReplayCacheTests
{
    private readonly FakeTimeProvider time = new(new DateTimeOffset(2026, 3, 1, 8, 0, 0, TimeSpan.Zero));

    [Fact]
    public async Task GivenJtiSeen_WhenSeenAgainBeforeExpiry_ThenReplayed()
    {
        var cache = NewCache(1000);
        var exp = time.GetUtcNow().AddMinutes(5);

        Assert.Equal(ReplayCheck.FirstUse, await cache.TryRegisterAsync("iss-a", "jti-1", exp, TestContext.Current.CancellationToken));
        Assert.Equal(ReplayCheck.Replayed, await cache.TryRegisterAsync("iss-a", "jti-1", exp, TestContext.Current.CancellationToken));
        Assert.Equal(ReplayCheck.FirstUse, await cache.TryRegisterAsync("iss-b", "jti-1", exp, TestContext.Current.CancellationToken));
    }

    [Fact]
    public async Task GivenJtiSeen_WhenTokenAndSkewHaveExpired_ThenNoLongerRemembered()
    {
        var cache = NewCache(1000);
        var exp = time.GetUtcNow().AddMinutes(5);
        await cache.TryRegisterAsync("iss-a", "jti-1", exp, TestContext.Current.CancellationToken);

        time.Advance(TimeSpan.FromMinutes(5) + ClientTokenRules.ClockSkew - TimeSpan.FromSeconds(1));
        Assert.Equal(ReplayCheck.Replayed, await cache.TryRegisterAsync("iss-a", "jti-1", exp, TestContext.Current.CancellationToken));
        time.Advance(TimeSpan.FromSeconds(2));
        Assert.Equal(ReplayCheck.FirstUse, await cache.TryRegisterAsync("iss-a", "jti-1", exp, TestContext.Current.CancellationToken));
    }

    [Fact]
    public async Task GivenCacheFullOfLiveEntries_WhenNewJtiArrives_ThenUnavailableNotForgotten()
    {
        var cache = NewCache(1000);
        var exp = time.GetUtcNow().AddMinutes(5);
        for (var i = 0; i < 1000; i++)
        {
            Assert.Equal(ReplayCheck.FirstUse, await cache.TryRegisterAsync("iss", $"jti-{i}", exp, TestContext.Current.CancellationToken));
        }

        Assert.Equal(ReplayCheck.Unavailable, await cache.TryRegisterAsync("iss", "one-too-many", exp, TestContext.Current.CancellationToken));
        Assert.Equal(ReplayCheck.Replayed, await cache.TryRegisterAsync("iss", "jti-0", exp, TestContext.Current.CancellationToken));

        time.Advance(TimeSpan.FromMinutes(10));
        Assert.Equal(ReplayCheck.FirstUse, await cache.TryRegisterAsync("iss", "one-too-many", time.GetUtcNow().AddMinutes(5), TestContext.Current.CancellationToken));
    }

    [Fact]
    public async Task GivenExpiredEntries_WhenLaterCallsArrive_ThenTheyAreForgottenInRegistrationOrder()
    {
        var cache = NewCache(10_000);
        var exp = time.GetUtcNow().AddMinutes(5);
        for (var i = 0; i < 100; i++)
        {
            await cache.TryRegisterAsync("iss", $"old-{i}", exp, TestContext.Current.CancellationToken);
        }

        time.Advance(TimeSpan.FromMinutes(7));
        await cache.TryRegisterAsync("iss", "new-1", time.GetUtcNow().AddMinutes(5), TestContext.Current.CancellationToken);
        Assert.Equal(100 - 64 + 1, cache.Count);   // at most 64 removals per call: no call pays for the whole backlog
        await cache.TryRegisterAsync("iss", "new-2", time.GetUtcNow().AddMinutes(5), TestContext.Current.CancellationToken);
        Assert.Equal(2, cache.Count);
    }

    [Fact]
    public async Task GivenALongLivedTokenAheadOfExpiredOnes_WhenTheCacheIsFull_ThenExpiredEntriesMakeRoom()
    {
        var cache = NewCache(100);
        await cache.TryRegisterAsync("iss", "long-lived", time.GetUtcNow().AddHours(1), TestContext.Current.CancellationToken);
        for (var i = 0; i < 99; i++)
        {
            await cache.TryRegisterAsync("iss", $"short-{i}", time.GetUtcNow().AddMinutes(1), TestContext.Current.CancellationToken);
        }

        time.Advance(TimeSpan.FromMinutes(3));

        Assert.Equal(ReplayCheck.FirstUse, await cache.TryRegisterAsync("iss", "after", time.GetUtcNow().AddMinutes(5), TestContext.Current.CancellationToken));
        Assert.Equal(ReplayCheck.Replayed, await cache.TryRegisterAsync("iss", "long-lived", time.GetUtcNow().AddHours(1), TestContext.Current.CancellationToken));
        Assert.Equal(2, cache.Count);
    }

    [Fact]
    public async Task GivenConcurrentCallers_WhenEachTokenIsSentFourTimes_ThenExactlyOneUseOfEachIsAccepted()
    {
        var cache = NewCache(1_000_000);
        var exp = time.GetUtcNow().AddMinutes(5);
        var firstUses = 0;
        var replays = 0;
        await Parallel.ForAsync(0, 40_000, TestContext.Current.CancellationToken, async (i, ct) =>
        {
            switch (await cache.TryRegisterAsync("iss", $"jti-{i / 4}", exp, ct))
            {
                case ReplayCheck.FirstUse: Interlocked.Increment(ref firstUses); break;
                case ReplayCheck.Replayed: Interlocked.Increment(ref replays); break;
            }
        });

        Assert.Equal(10_000, firstUses);
        Assert.Equal(30_000, replays);
        Assert.Equal(10_000, cache.Count);
    }

    [Fact]
    public async Task GivenIssuerAndJtiSplitDifferently_WhenRegistered_ThenTheyAreDifferentTokens()
    {
        var cache = NewCache(1000);
        var exp = time.GetUtcNow().AddMinutes(5);
        var longJti = new string('j', 2_000);   // beyond the stack buffer: encoded on the heap, same key rules

        Assert.Equal(ReplayCheck.FirstUse, await cache.TryRegisterAsync("iss-ab", "c", exp, TestContext.Current.CancellationToken));
        Assert.Equal(ReplayCheck.FirstUse, await cache.TryRegisterAsync("iss-a", "bc", exp, TestContext.Current.CancellationToken));
        Assert.Equal(ReplayCheck.FirstUse, await cache.TryRegisterAsync("iss-a", longJti, exp, TestContext.Current.CancellationToken));
        Assert.Equal(ReplayCheck.Replayed, await cache.TryRegisterAsync("iss-a", longJti, exp, TestContext.Current.CancellationToken));
        Assert.NotEqual(InMemoryReplayCache.KeyOf("iss-a", "bc"), InMemoryReplayCache.KeyOf("iss-ab", "c"));
    }

    [Fact]
    public async Task GivenOneIssuerFillsItsShare_WhenAnotherIssuerRegisters_ThenTheOtherIsUnaffected()
    {
        var cache = new InMemoryReplayCache(time, ReplayCacheShare.Fixed(capacity: 1000, issuers: 2));
        var exp = time.GetUtcNow().AddMinutes(15);
        for (var i = 0; i < 500; i++)
        {
            Assert.Equal(ReplayCheck.FirstUse, await cache.TryRegisterAsync("iss-a", $"jti-{i}", exp, TestContext.Current.CancellationToken));
        }

        Assert.Equal(ReplayCheck.Unavailable, await cache.TryRegisterAsync("iss-a", "one-too-many", exp, TestContext.Current.CancellationToken));
        Assert.Equal(ReplayCheck.FirstUse, await cache.TryRegisterAsync("iss-b", "jti-0", exp, TestContext.Current.CancellationToken));
        Assert.Equal(500, cache.CountOf("iss-a"));
        Assert.Equal(1, cache.CountOf("iss-b"));
    }

    [Fact]
    public async Task GivenAJtiChecked_WhenNotYetRegistered_ThenFirstUseAndNothingIsRecorded()
    {
        var cache = NewCache(1000);
        var exp = time.GetUtcNow().AddMinutes(5);

        Assert.Equal(ReplayCheck.FirstUse, await cache.CheckAsync("iss", "jti-1", TestContext.Current.CancellationToken));
        Assert.Equal(0, cache.Count);
        await cache.TryRegisterAsync("iss", "jti-1", exp, TestContext.Current.CancellationToken);
        Assert.Equal(ReplayCheck.Replayed, await cache.CheckAsync("iss", "jti-1", TestContext.Current.CancellationToken));
        time.Advance(TimeSpan.FromMinutes(5) + ClientTokenRules.ClockSkew + TimeSpan.FromSeconds(1));
        Assert.Equal(ReplayCheck.FirstUse, await cache.CheckAsync("iss", "jti-1", TestContext.Current.CancellationToken));
    }

    private InMemoryReplayCache NewCache(int capacity) => new(time, ReplayCacheShare.Fixed(capacity, issuers: 1));
}
