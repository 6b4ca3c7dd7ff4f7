using CdsService.Api.Configuration;
using CdsService.Api.Security;
using Microsoft.Extensions.Options;
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

    private InMemoryReplayCache NewCache(int capacity) =>
        new(time, Options.Create(new LimitOptions { ReplayCacheCapacity = capacity }));
}
