using CdsService.Api.Security;
using StackExchange.Redis;

namespace CdsService.IntegrationTests.ScaleOut;

/// <summary>The Redis replay cache's fixed rules, without a server: key derivation, key lifetime, client options.</summary>
public sealed class RedisReplayCacheRulesTests
{
    [Fact]
    public void GivenIssuerAndJti_WhenKeyed_ThenAPrefixedSha256PerIssuerAndAHashedMemberThatSeparatesIssuersAndHidesBoth()
    {
        var key = RedisReplayCache.Key("https://ehr.example/a");
        var member = RedisReplayCache.Member("https://ehr.example/a", "jti-1");

        Assert.Equal(key, RedisReplayCache.Key("https://ehr.example/a"));
        Assert.NotEqual(key, RedisReplayCache.Key("https://ehr.example/b"));
        Assert.StartsWith(RedisReplayCache.KeyPrefix, key, StringComparison.Ordinal);
        Assert.Matches("^[0-9a-f]{64}$", key[RedisReplayCache.KeyPrefix.Length..]);
        Assert.Equal(member, RedisReplayCache.Member("https://ehr.example/a", "jti-1"));
        Assert.NotEqual(member, RedisReplayCache.Member("https://ehr.example/b", "jti-1"));
        Assert.NotEqual(RedisReplayCache.Member("a\nb", "c"), RedisReplayCache.Member("a", "b\nc"));
        Assert.Matches("^[0-9a-f]{32}$", member);
        Assert.Equal(member.Length, RedisReplayCache.Member("https://ehr.example/a", new string('j', 10_000)).Length);
    }

    [Fact]
    public void GivenTokenExpiry_WhenKeyLifetimeComputed_ThenExpiryPlusSkewAndNeverUnderOneSecond()
    {
        var now = new DateTimeOffset(2026, 3, 1, 8, 0, 0, TimeSpan.Zero);

        Assert.Equal(TimeSpan.FromMinutes(5) + ClientTokenRules.ClockSkew, RedisReplayCache.KeyLifetime(now.AddMinutes(5), now));
        Assert.Equal(TimeSpan.FromSeconds(1), RedisReplayCache.KeyLifetime(now.AddMinutes(-5), now));
    }

    [Fact]
    public void GivenAnOperatorConnectionString_WhenOptionsBuilt_ThenOperatorValuesWinButTheSafetySettingsAreFixed()
    {
        var options = RedisConnection.Options("redis.cache.svc:6380,ssl=true,password=secret,asyncTimeout=250,abortConnect=true");

        Assert.Equal(250, options.AsyncTimeout);
        Assert.Equal(2000, options.ConnectTimeout);
        Assert.True(options.Ssl);
        Assert.Equal("secret", options.Password);
        Assert.False(options.AbortOnConnectFail);
        Assert.Same(BacklogPolicy.FailFast, options.BacklogPolicy);
        var endpoint = Assert.IsType<System.Net.DnsEndPoint>(Assert.Single(options.EndPoints));
        Assert.Equal(("redis.cache.svc", 6380), (endpoint.Host, endpoint.Port));
    }

    [Fact]
    public void GivenABareHostAndPort_WhenOptionsBuilt_ThenTheServiceDefaultsApply()
    {
        var options = RedisConnection.Options("127.0.0.1:6379");

        Assert.Equal((1000, 2000, "cds-hypogonadism"), (options.AsyncTimeout, options.ConnectTimeout, options.ClientName));
        Assert.False(options.AbortOnConnectFail);
    }
}
