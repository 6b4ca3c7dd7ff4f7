using System.Collections.Concurrent;
using System.Net;
using System.Text;
using CdsService.Api;
using CdsService.Api.Security;
using CdsService.IntegrationTests.Support;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Time.Testing;

namespace CdsService.IntegrationTests.Api;

/// <summary>
/// docs/security.md §3: a JWK Set is fetched only from allowlisted URLs, cached, refreshed on an unknown kid at most once a minute,
/// and a fetch failure never grants access. The client here publishes its keys at a JwksUri (served by a fake handler
/// that counts requests, so "no outbound fetch" is observable).
/// </summary>
public sealed class JwksTests
{
    private const string JwksUri = "https://ehr.test.example/.well-known/jwks.json";
    private const string RotatedJku = "https://ehr.test.example/keys/2027/jwks.json";

    [Fact]
    public async Task GivenJwksUri_WhenTwoCallsMade_ThenKeySetFetchedOnceAndBothAccepted()
    {
        var server = new FakeJwksServer { [JwksUri] = TestKeys.JwksJson(TestKeys.Rsa, TestKeys.Ec) };
        await using var app = NewApp(server);
        using var client = app.CreateCdsClient();

        using var first = await client.GetDiscoveryAsync();
        using var second = await client.GetDiscoveryAsync();

        Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        Assert.Equal(HttpStatusCode.OK, second.StatusCode);
        Assert.Equal(1, server.Count(JwksUri));
        Assert.Equal("2", CollectingSink.Property(Assert.Single(app.Logs.Named("KeySetLoaded")), "KeyCount"));
    }

    [Fact]
    public async Task GivenUnknownKids_WhenRepeatedWithinAMinute_ThenRefreshedAtMostOnceThenAgainAfterTheInterval()
    {
        var server = new FakeJwksServer { [JwksUri] = TestKeys.JwksJson(TestKeys.Rsa) };
        var time = new FakeTimeProvider(TimeProvider.System.GetUtcNow());
        await using var app = NewApp(server, time);
        using var unknown = app.CreateCdsClient(t => t with { Kid = "rotated-kid-" + Guid.NewGuid().ToString("N") });
        using var known = app.CreateCdsClient();

        using var warm = await known.GetDiscoveryAsync();
        using var tooSoon = await unknown.GetDiscoveryAsync();
        var afterWarm = server.Count(JwksUri);
        time.Advance(ClientTokenRules.KeySetRefreshInterval + TimeSpan.FromSeconds(1));
        using var a = await unknown.GetDiscoveryAsync();
        using var b = await unknown.GetDiscoveryAsync();
        using var c = await unknown.GetDiscoveryAsync();
        var withinMinute = server.Count(JwksUri);
        time.Advance(ClientTokenRules.KeySetRefreshInterval + TimeSpan.FromSeconds(1));
        using var d = await unknown.GetDiscoveryAsync();

        Assert.Equal(HttpStatusCode.OK, warm.StatusCode);
        Assert.All([tooSoon, a, b, c, d], r => Assert.Equal(HttpStatusCode.Unauthorized, r.StatusCode));
        Assert.Equal(1, afterWarm);       // loaded for the known kid; an unknown kid seconds later does not re-fetch
        Assert.Equal(2, withinMinute);    // one refresh for three unknown-kid calls in the same minute
        Assert.Equal(3, server.Count(JwksUri));
    }

    [Fact]
    public async Task GivenKeyRotatedAtTheSameUri_WhenNewKidArrivesAfterTheInterval_ThenRefreshedAndAccepted()
    {
        var server = new FakeJwksServer { [JwksUri] = TestKeys.JwksJson(TestKeys.Rsa) };
        var time = new FakeTimeProvider(TimeProvider.System.GetUtcNow());
        await using var app = NewApp(server, time);
        using var rsa = app.CreateCdsClient();
        using var ec = app.CreateCdsClient(t => t with { Algorithm = "ES384" });

        using var before = await rsa.GetDiscoveryAsync();
        server[JwksUri] = TestKeys.JwksJson(TestKeys.Rsa, TestKeys.Ec);
        time.Advance(ClientTokenRules.KeySetRefreshInterval + TimeSpan.FromSeconds(1));
        using var after = await ec.GetDiscoveryAsync();
        using var old = await rsa.GetDiscoveryAsync();

        Assert.Equal(HttpStatusCode.OK, before.StatusCode);
        Assert.Equal(HttpStatusCode.OK, after.StatusCode);
        Assert.Equal(HttpStatusCode.OK, old.StatusCode);
        Assert.Equal(2, server.Count(JwksUri));
    }

    [Theory]
    [InlineData(HttpStatusCode.InternalServerError)]
    [InlineData(HttpStatusCode.Found)]
    [InlineData(HttpStatusCode.NotFound)]
    public async Task GivenKeySetFetchFails_WhenCalled_ThenBare401AndTheFailureIsLogged(HttpStatusCode status)
    {
        var server = new FakeJwksServer { FailWith = status };
        await using var app = NewApp(server);
        using var client = app.CreateCdsClient();

        using var response = await client.GetDiscoveryAsync();

        await CdsAssert.BareUnauthorizedAsync(response);
        Assert.Equal("UnknownKid", CollectingSink.Property(Assert.Single(app.Logs.Named("ClientAuthenticationFailed")), "Reason"));
        Assert.Single(app.Logs.Named("KeySetLoadFailed"));
    }

    [Fact]
    public async Task GivenKeySetIsNotJson_WhenCalled_ThenBare401()
    {
        var server = new FakeJwksServer { [JwksUri] = "<html>login</html>" };
        await using var app = NewApp(server);
        using var client = app.CreateCdsClient();

        using var response = await client.GetDiscoveryAsync();

        await CdsAssert.BareUnauthorizedAsync(response);
    }

    [Fact]
    public async Task GivenAllowlistedJku_WhenTokenNamesIt_ThenKeysComeFromThatUrl()
    {
        var server = new FakeJwksServer
        {
            [JwksUri] = TestKeys.JwksJson(TestKeys.Rsa),
            [RotatedJku] = TestKeys.JwksJson(TestKeys.Ec),
        };
        await using var app = NewApp(server);
        using var client = app.CreateCdsClient(t => t with { Algorithm = "ES384", Jku = RotatedJku });

        using var response = await client.GetDiscoveryAsync();

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(1, server.Count(RotatedJku));
        Assert.Equal(0, server.Count(JwksUri));
    }

    [Fact]
    public async Task GivenJkuNotAllowlisted_WhenTokenNamesIt_ThenNothingIsFetchedAnd401()
    {
        const string attacker = "https://attacker.example/jwks.json";
        var server = new FakeJwksServer { [attacker] = TestKeys.JwksJson(TestKeys.Rsa, TestKeys.Ec) };
        await using var app = NewApp(server);
        using var client = app.CreateCdsClient(t => t with { Jku = attacker });

        using var response = await client.GetDiscoveryAsync();

        await CdsAssert.BareUnauthorizedAsync(response);
        Assert.Equal(0, server.Total);
    }

    [Fact]
    public async Task GivenKeySetWithSymmetricAndEncryptionKeys_WhenLoaded_ThenOnlyAsymmetricSigningKeysAreKept()
    {
        var json = $$"""
            {"keys": [
              {"kty": "oct", "kid": "hmac", "k": "c2VjcmV0LXNlY3JldC1zZWNyZXQtc2VjcmV0LXNlY3JldA"},
              {{TestKeys.Rsa.PublicJwk().ToJsonString().Replace("\"sig\"", "\"enc\"", StringComparison.Ordinal).Replace("test-rsa-1", "enc-key", StringComparison.Ordinal)}},
              {{TestKeys.Ec.PublicJwk().ToJsonString()}}
            ]}
            """;
        var server = new FakeJwksServer { [JwksUri] = json };
        await using var app = NewApp(server);
        using var client = app.CreateCdsClient(t => t with { Algorithm = "ES384" });

        using var response = await client.GetDiscoveryAsync();

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("1", CollectingSink.Property(Assert.Single(app.Logs.Named("KeySetLoaded")), "KeyCount"));
    }

    [Fact]
    public async Task GivenJwksFile_WhenTheHostStarts_ThenTheKeySetIsLoadedBeforeTheFirstCallAndNotReadAgainByIt()
    {
        await using var app = new CdsApiFactory();
        using var client = app.CreateCdsClient();

        await PreloadAsync(app);
        var loadedAtStart = Assert.Single(app.Logs.Named("KeySetLoaded"));
        using var response = await client.GetDiscoveryAsync();

        Assert.Equal(nameof(JwksSourceKind.File), CollectingSink.Property(loadedAtStart, "SourceKind"));
        Assert.Equal("2", CollectingSink.Property(loadedAtStart, "KeyCount"));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Single(app.Logs.Named("KeySetLoaded"));
    }

    [Fact]
    public async Task GivenJwksFileUnreadableAtStart_WhenFixedBeforeTheFirstCall_ThenThatCallReadsItAgainInsteadOfBeingThrottled()
    {
        await using var app = new CdsApiFactory();
        var valid = await File.ReadAllTextAsync(app.JwksFile, TestContext.Current.CancellationToken);
        await File.WriteAllTextAsync(app.JwksFile, "not a JWK Set", TestContext.Current.CancellationToken);
        using var client = app.CreateCdsClient();
        await PreloadAsync(app);
        Assert.Equal(nameof(JwksSourceKind.File), CollectingSink.Property(Assert.Single(app.Logs.Named("KeySetLoadFailed")), "SourceKind"));

        await File.WriteAllTextAsync(app.JwksFile, valid, TestContext.Current.CancellationToken);
        using var response = await client.GetDiscoveryAsync();

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Single(app.Logs.Named("KeySetLoaded"));
    }

    [Fact]
    public async Task GivenJwksUri_WhenTheHostStarts_ThenNothingIsFetchedBeforeTheFirstCall()
    {
        var server = new FakeJwksServer { [JwksUri] = TestKeys.JwksJson(TestKeys.Rsa) };
        await using var app = NewApp(server);
        using var client = app.CreateCdsClient();

        await PreloadAsync(app);

        Assert.Equal(0, server.Total);
        Assert.Empty(app.Logs.Named("KeySetLoaded"));
    }

    /// <summary>Waits for the start-up preload of local key sets (it runs in the background while the host starts).</summary>
    private static Task PreloadAsync(CdsApiFactory app) =>
        app.Services.GetServices<IHostedService>().OfType<ClientKeySetPreload>().Single().ExecuteTask!.WaitAsync(TestContext.Current.CancellationToken);

    private static CdsApiFactory NewApp(FakeJwksServer server, TimeProvider? time = null) =>
        new(
            settings: new Dictionary<string, string?>
            {
                ["CdsHooks:Clients:0:JwksFile"] = null,
                ["CdsHooks:Clients:0:JwksUri"] = JwksUri,
                ["CdsHooks:Clients:0:AllowedJku:0"] = RotatedJku,
            },
            configureServices: services =>
            {
                services.AddHttpClient(JwksCache.HttpClientName).ConfigurePrimaryHttpMessageHandler(() => server);
                if (time is not null)
                {
                    services.AddSingleton(time);
                }
            })
        {
            Time = time ?? TimeProvider.System,
        };

    /// <summary>Answers JWK Set requests from a dictionary and counts them; anything else is a 404.</summary>
    private sealed class FakeJwksServer : HttpMessageHandler
    {
        private readonly ConcurrentDictionary<string, string> sets = new(StringComparer.Ordinal);
        private readonly ConcurrentDictionary<string, int> counts = new(StringComparer.Ordinal);

        public HttpStatusCode? FailWith { get; init; }

        public int Total => counts.Values.Sum();

        public string this[string url]
        {
            get => sets[url];
            set => sets[url] = value;
        }

        public int Count(string url) => counts.GetValueOrDefault(url);

        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            var url = request.RequestUri!.ToString();
            counts.AddOrUpdate(url, 1, (_, n) => n + 1);
            if (FailWith is { } status)
            {
                var failed = new HttpResponseMessage(status);
                if (status == HttpStatusCode.Found)
                {
                    failed.Headers.Location = new Uri("https://elsewhere.example/jwks.json");
                }

                return Task.FromResult(failed);
            }

            return Task.FromResult(sets.TryGetValue(url, out var json)
                ? new HttpResponseMessage(HttpStatusCode.OK) { Content = new StringContent(json, Encoding.UTF8, "application/json") }
                : new HttpResponseMessage(HttpStatusCode.NotFound));
        }
    }
}
