using System.Net;
using System.Net.Http.Headers;
using CdsService.Api.Feedback;
using CdsService.Api;
using CdsService.Api.Security;
using CdsService.IntegrationTests.Feedback;
using CdsService.IntegrationTests.Security;
using CdsService.IntegrationTests.Support;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using StackExchange.Redis;
using static CdsService.IntegrationTests.Feedback.FeedbackBodies;

namespace CdsService.IntegrationTests.ScaleOut;

/// <summary>
/// Two service instances behind one Redis and one PostgreSQL, all real servers on loopback (docs/deploy.md §Shared
/// state: Redis and PostgreSQL; the replay cache is tested against a real redis-server, not a fake): a token replayed on the second instance is
/// refused; feedback posted to either instance lands in one store; losing Redis or the database makes an instance
/// refuse tokens (Redis) and report not ready.
/// </summary>
public sealed class ScaleOutTests(LocalServers servers)
{
    private const string DiscoveryUrl = "http://localhost/cds-services";

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task GivenTwoInstancesSharingRedis_WhenATokenIsReplayedOnTheSecond_ThenBare401ReplayedJti()
    {
        var redis = await servers.RedisAsync();
        await using var first = Instance(redis.ConnectionString);
        await using var second = Instance(redis.ConnectionString);
        var token = first.Minter.Mint(new TokenSpec(), DiscoveryUrl);

        using (var accepted = await GetDiscoveryAsync(first, token))
        {
            Assert.Equal(HttpStatusCode.OK, accepted.StatusCode);
        }

        using var replayed = await GetDiscoveryAsync(second, token);

        await CdsAssert.BareUnauthorizedAsync(replayed);
        var refusal = Assert.Single(second.Logs.Named("ClientAuthenticationFailed"));
        Assert.Equal(nameof(ClientAuthFailure.ReplayedJti), refusal.Properties["Reason"].ToString());
        Assert.IsType<RedisReplayCache>(second.Services.GetRequiredService<IReplayCache>());

        // A fresh token is still fine on the second instance: only the replay was refused.
        using var fresh = await GetDiscoveryAsync(second, second.Minter.Mint(new TokenSpec(), DiscoveryUrl));
        Assert.Equal(HttpStatusCode.OK, fresh.StatusCode);
    }

    [Fact]
    public async Task GivenATokenAccepted_WhenRedisIsInspected_ThenItHoldsOnlyAHashedKeyThatLivesAsLongAsTheToken()
    {
        var redis = await servers.RedisAsync();
        await using var app = Instance(redis.ConnectionString);
        var jti = "jti-" + Guid.NewGuid().ToString("N");
        using (var accepted = await GetDiscoveryAsync(app, app.Minter.Mint(new TokenSpec { Jti = jti, Lifetime = TimeSpan.FromMinutes(5) }, DiscoveryUrl)))
        {
            Assert.Equal(HttpStatusCode.OK, accepted.StatusCode);
        }

        await using var inspector = await ConnectionMultiplexer.ConnectAsync(redis.ConnectionString + ",allowAdmin=true");
        var keys = inspector.GetServer(inspector.GetEndPoints()[0]).Keys(pattern: RedisReplayCache.KeyPrefix + "*").Select(k => k.ToString()).ToList();
        var key = RedisReplayCache.Key(CdsApiFactory.Issuer);
        Assert.Contains(key, keys);
        Assert.DoesNotContain(keys, k => k.Contains(jti, StringComparison.Ordinal) || k.Contains("ehr.test.example", StringComparison.Ordinal));
        var members = (await inspector.GetDatabase().SortedSetRangeByRankAsync(key)).Select(m => m.ToString()).ToList();
        Assert.Contains(RedisReplayCache.Member(CdsApiFactory.Issuer, jti), members);
        Assert.DoesNotContain(members, m => m.Contains(jti, StringComparison.Ordinal));

        // Remembered until exp + skew (the score, Unix ms); the issuer's set lives at least that long.
        var keepUntil = await inspector.GetDatabase().SortedSetScoreAsync(key, RedisReplayCache.Member(CdsApiFactory.Issuer, jti));
        var remembered = DateTimeOffset.FromUnixTimeMilliseconds((long)keepUntil!.Value) - TimeProvider.System.GetUtcNow();
        Assert.InRange(remembered, TimeSpan.FromMinutes(5), TimeSpan.FromMinutes(5) + ClientTokenRules.ClockSkew + TimeSpan.FromSeconds(1));
        var ttl = await inspector.GetDatabase().KeyTimeToLiveAsync(key);
        Assert.NotNull(ttl);
        Assert.True(ttl.Value >= TimeSpan.FromMinutes(5), $"The issuer's set expires in {ttl.Value}, before the token's id may be forgotten.");
    }

    [Fact]
    [TestedAttack("Client A fills the shared (Redis) replay cache with fresh tokens to lock every client out", "A is refused past its share; client B is still accepted")]
    public async Task GivenOneIssuerFillsItsRedisShare_WhenAnotherIssuerRegisters_ThenTheOtherIsAccepted()
    {
        var redis = await servers.RedisAsync();
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?> { ["ConnectionStrings:Redis"] = redis.ConnectionString }).Build();
        await using var connection = new RedisConnection(configuration, NullLogger<RedisConnection>.Instance);
        var cache = new RedisReplayCache(connection, ReplayCacheShare.Fixed(capacity: 10, issuers: 2), TimeProvider.System, NullLogger<RedisReplayCache>.Instance);
        var (issuerA, issuerB) = ($"https://a.test/{Guid.NewGuid():N}", $"https://b.test/{Guid.NewGuid():N}");
        var exp = TimeProvider.System.GetUtcNow().AddMinutes(15);

        var flood = new List<ReplayCheck>();
        for (var i = 0; i < 8; i++)
        {
            flood.Add(await cache.TryRegisterAsync(issuerA, $"jti-{i}", exp, Ct));
        }

        Assert.Equal(5, flood.Count(c => c == ReplayCheck.FirstUse));
        Assert.Equal(3, flood.Count(c => c == ReplayCheck.Unavailable));
        Assert.Equal(ReplayCheck.FirstUse, await cache.TryRegisterAsync(issuerB, "jti-0", exp, Ct));
        Assert.Equal(ReplayCheck.Replayed, await cache.TryRegisterAsync(issuerA, "jti-0", exp, Ct));
        Assert.Equal(ReplayCheck.Replayed, await cache.CheckAsync(issuerA, "jti-1", Ct));
        Assert.Equal(ReplayCheck.FirstUse, await cache.CheckAsync(issuerA, "jti-7", Ct));
    }

    [Fact]
    public async Task GivenRedisGoesDown_WhenCalled_ThenBare401AndNotReady_AndWhenItReturns_ThenServedAgain()
    {
        await using var redis = await RedisServer.StartAsync(cancellationToken: Ct);
        await using var app = Instance(redis.ConnectionString);
        using (var before = await GetDiscoveryAsync(app, app.Minter.Mint(new TokenSpec(), DiscoveryUrl)))
        {
            Assert.Equal(HttpStatusCode.OK, before.StatusCode);
        }

        await app.FeedbackStore.InitializeAsync(Ct);   // migrated after the host starts (cold start); ready only then
        Assert.Equal(HttpStatusCode.OK, await ReadyAsync(app));

        await redis.StopAsync();

        using (var refused = await GetDiscoveryAsync(app, app.Minter.Mint(new TokenSpec(), DiscoveryUrl)))
        {
            await CdsAssert.BareUnauthorizedAsync(refused);
        }

        Assert.Equal(HttpStatusCode.ServiceUnavailable, await ReadyAsync(app));
        Assert.Contains(app.Logs.Named("ClientAuthenticationFailed"), e => e.Properties["Reason"].ToString() == nameof(ClientAuthFailure.ReplayCacheUnavailable));

        // A fresh, empty Redis is a valid recovery (runbook): the service reconnects by itself.
        await redis.StartAsync(Ct);
        await WaitUntilAsync(async () => await ReadyAsync(app) == HttpStatusCode.OK, TimeSpan.FromSeconds(120));
        using var after = await GetDiscoveryAsync(app, app.Minter.Mint(new TokenSpec(), DiscoveryUrl));
        Assert.Equal(HttpStatusCode.OK, after.StatusCode);
    }

    [Fact]
    public async Task GivenRedisUnreachableFromTheStart_WhenCalled_ThenBare401AndNotReadyButLive()
    {
        // Needs no Redis at all: a loopback port nothing listens on.
        await using var app = Instance($"127.0.0.1:{LocalServers.ClosedPort()}");

        using var refused = await GetDiscoveryAsync(app, app.Minter.Mint(new TokenSpec(), DiscoveryUrl));

        await CdsAssert.BareUnauthorizedAsync(refused);
        Assert.Equal(nameof(ClientAuthFailure.ReplayCacheUnavailable), Assert.Single(app.Logs.Named("ClientAuthenticationFailed")).Properties["Reason"].ToString());
        Assert.Equal(HttpStatusCode.ServiceUnavailable, await ReadyAsync(app));
        using var client = app.CreateAnonymousClient();
        using var live = await client.GetAsync(new Uri("/health/live", UriKind.Relative), Ct);
        Assert.Equal(HttpStatusCode.OK, live.StatusCode);
    }

    [Fact]
    public async Task GivenTwoInstancesSharingPostgres_WhenFeedbackIsPostedToEither_ThenOneStoreHoldsAllOfItAndEitherSummarisesIt()
    {
        var redis = await servers.RedisAsync();
        var postgres = await servers.PostgresAsync();
        var database = await postgres.CreateDatabaseAsync(Ct);
        await using var first = Instance(redis.ConnectionString, database);
        await using var second = Instance(redis.ConnectionString, database);
        Assert.IsType<PostgresFeedbackStore>(first.FeedbackStore);
        Assert.IsType<PostgresFeedbackStore>(second.FeedbackStore);

        // The card is issued by the first instance; the clinician's feedback reaches the second one.
        var (uuid, topic) = (await first.IssueCardsAsync())[0];
        await first.Services.GetRequiredService<IssuedCardWriter>().FlushAsync(Ct);
        using (var client = second.CreateCdsClient())
        using (var posted = await client.PostFeedbackAsync(HookRequests.OrderSignService, FeedbackBody(Overridden(uuid, "patient-refuses"))))
        {
            Assert.Equal(HttpStatusCode.OK, posted.StatusCode);
        }

        using (var client = first.CreateCdsClient())
        using (var posted = await client.PostFeedbackAsync(HookRequests.OrderSignService, FeedbackBody(Accepted(uuid, "s-1"))))
        {
            Assert.Equal(HttpStatusCode.OK, posted.StatusCode);
        }

        var seenByFirst = await first.FeedbackStore.ListAsync(HookRequests.OrderSignService, Ct);
        var seenBySecond = await second.FeedbackStore.ListAsync(HookRequests.OrderSignService, Ct);
        Assert.Equal(["overridden", "accepted"], seenByFirst.Select(r => r.Outcome));
        Assert.Equal(seenByFirst, seenBySecond, (a, b) => a.CardUuid == b.CardUuid && a.Outcome == b.Outcome && a.ReceivedAt == b.ReceivedAt);
        Assert.All(seenByFirst, r => Assert.Equal(topic, r.CardTopic));

        var outcomes = (await second.SummaryAsync()).CardType(topic).GetProperty("outcomes");
        Assert.Equal((2, 0.5, 0.5), (outcomes.GetProperty("feedback").GetInt32(), outcomes.GetProperty("acceptanceRate").GetDouble(), outcomes.GetProperty("overrideRate").GetDouble()));
    }

    [Fact]
    public async Task GivenThePostgresDatabaseIsLost_WhenProbedAndCalled_ThenNotReadyButLiveAndCardsStillAnswered()
    {
        var postgres = await servers.PostgresAsync();
        var database = await postgres.CreateDatabaseAsync(Ct);
        await using var app = Instance(redis: null, database);
        await app.FeedbackStore.InitializeAsync(Ct);   // migrated after the host starts (cold start); ready only then
        Assert.Equal(HttpStatusCode.OK, await ReadyAsync(app));

        await postgres.DropDatabaseAsync(database, Ct);

        Assert.Equal(HttpStatusCode.ServiceUnavailable, await ReadyAsync(app));
        Assert.NotEmpty(app.Logs.Named("FeedbackStoreUnavailable"));
        using var client = app.CreateAnonymousClient();
        using var live = await client.GetAsync(new Uri("/health/live", UriKind.Relative), Ct);
        Assert.Equal(HttpStatusCode.OK, live.StatusCode);

        // Governance bookkeeping never costs the clinical answer: the cards come back, the lost mapping is logged.
        Assert.NotEmpty(await app.IssueCardsAsync());
        await app.Services.GetRequiredService<IssuedCardWriter>().FlushAsync(Ct);
        Assert.NotEmpty(app.Logs.Named("IssuedCardsWriteFailed"));
    }

    private static CdsApiFactory Instance(string? redis, string? feedbackDatabase = null)
    {
        var settings = new Dictionary<string, string?>(AdminClient.Settings);
        if (redis is not null)
        {
            settings["ConnectionStrings:Redis"] = redis;
        }

        if (feedbackDatabase is not null)
        {
            settings["ConnectionStrings:Feedback"] = feedbackDatabase;
        }

        return new CdsApiFactory(settings: settings);
    }

    private static async Task<HttpResponseMessage> GetDiscoveryAsync(CdsApiFactory app, string token)
    {
        using var client = app.CreateAnonymousClient();
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri("/cds-services", UriKind.Relative));
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return await client.SendAsync(request, Ct);
    }

    private static async Task<HttpStatusCode> ReadyAsync(CdsApiFactory app)
    {
        using var client = app.CreateAnonymousClient();
        using var response = await client.GetAsync(new Uri("/health/ready", UriKind.Relative), Ct);
        return response.StatusCode;
    }

    private static async Task WaitUntilAsync(Func<Task<bool>> condition, TimeSpan timeout)
    {
        var deadline = TimeProvider.System.GetTimestamp();
        while (!await condition())
        {
            Assert.True(TimeProvider.System.GetElapsedTime(deadline) < timeout, $"Condition not met within {timeout.TotalSeconds} s.");
            await Task.Delay(200, Ct);
        }
    }
}
