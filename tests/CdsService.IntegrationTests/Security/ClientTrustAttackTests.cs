using System.Collections.Concurrent;
using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using CdsService.Api.Security;
using CdsService.IntegrationTests.Support;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;

namespace CdsService.IntegrationTests.Security;

/// <summary>
/// Attacks on client trust through the real JWT pipeline (docs/security.md §3 and §5): filling the shared replay cache,
/// escaping the rate limit, trusting the sandbox's public key in Production, an aud taken from the caller's Host header,
/// hostile JOSE headers, and a log flood of refused tokens. Each test states the attack and the answer.
/// </summary>
public sealed class ClientTrustAttackTests
{
    private const string SecondIssuer = "https://second-ehr.test.example/cds-client";

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    [TestedAttack("Client A sends 1,000 fresh tokens to fill the replay cache (capacity 1,000) and lock every other client out", "A is refused (401) past its share of 500; client B still gets 200")]
    public async Task GivenClientAFloodsTheReplayCache_WhenClientBCalls_ThenBIsServed()
    {
        await using var app = new CdsApiFactory(settings: new Dictionary<string, string?>
        {
            ["CdsHooks:Limits:ReplayCacheCapacity"] = "1000",
            ["CdsHooks:RateLimit:Enabled"] = "false",
            ["CdsHooks:Clients:1:Issuer"] = SecondIssuer,
            ["CdsHooks:Clients:1:JwksFile"] = KeyFile(TestKeys.Rsa),
        });
        using var clientA = app.CreateCdsClient();
        using var clientB = app.CreateCdsClient(t => t with { Issuer = SecondIssuer });

        var acceptedFromA = 0;
        for (var i = 0; i < 1000; i++)
        {
            using var response = await clientA.GetDiscoveryAsync();
            acceptedFromA += response.StatusCode == HttpStatusCode.OK ? 1 : 0;
        }

        using var fromB = await clientB.GetDiscoveryAsync();

        Assert.Equal(HttpStatusCode.OK, fromB.StatusCode);
        Assert.Equal(500, acceptedFromA);
        var refusal = Assert.Single(app.Logs.Named("ClientAuthenticationFailed"));
        Assert.Equal("ReplayCacheUnavailable", CollectingSink.Property(refusal, "Reason"));
        Assert.Equal(CdsApiFactory.Issuer, CollectingSink.Property(refusal, "Issuer"));
    }

    [Fact]
    [TestedAttack("A client over its rate keeps sending fresh tokens, each throttled call taking a replay-cache slot", "a throttled (429) call takes no slot: only calls let through are remembered")]
    public async Task GivenAClientOverItsRate_WhenItKeepsCalling_ThenOnlyTheCallsLetThroughAreRemembered()
    {
        await using var app = new CdsApiFactory(settings: new Dictionary<string, string?>
        {
            ["CdsHooks:RateLimit:TokenLimit"] = "2",
            ["CdsHooks:RateLimit:TokensPerPeriod"] = "1",
            ["CdsHooks:RateLimit:ReplenishmentPeriod"] = "00:10:00",
        });
        using var client = app.CreateCdsClient();

        var statuses = new List<HttpStatusCode>();
        for (var i = 0; i < 20; i++)
        {
            using var response = await client.GetDiscoveryAsync();
            statuses.Add(response.StatusCode);
        }

        Assert.Equal(2, statuses.Count(s => s == HttpStatusCode.OK));
        Assert.Equal(18, statuses.Count(s => s == HttpStatusCode.TooManyRequests));
        Assert.Equal(2, app.Services.GetRequiredService<InMemoryReplayCache>().CountOf(CdsApiFactory.Issuer));
    }

    [Fact]
    [TestedAttack("A captured token replayed while its client is being throttled", "401 ReplayedJti, refused before the rate limiter: no budget spent, not audited")]
    public async Task GivenACapturedToken_WhenReplayed_ThenRefusedBeforeItSpendsTheClientsBudget()
    {
        await using var app = new CdsApiFactory(settings: new Dictionary<string, string?>
        {
            ["CdsHooks:RateLimit:TokenLimit"] = "2",
            ["CdsHooks:RateLimit:TokensPerPeriod"] = "1",
            ["CdsHooks:RateLimit:ReplenishmentPeriod"] = "00:10:00",
        });
        var jti = Guid.NewGuid().ToString();
        using var replayer = app.CreateCdsClient(t => t with { Jti = jti });
        using var client = app.CreateCdsClient();

        using var original = await replayer.PostHookAsync(HookRequests.PatientViewService, HookRequests.PatientView());
        for (var i = 0; i < 5; i++)
        {
            using var replayed = await replayer.PostHookAsync(HookRequests.PatientViewService, HookRequests.PatientView());
            await CdsAssert.BareUnauthorizedAsync(replayed);
        }

        using var second = await client.GetDiscoveryAsync();

        Assert.NotEqual(HttpStatusCode.Unauthorized, original.StatusCode);
        Assert.Equal(HttpStatusCode.OK, second.StatusCode);
        Assert.Single(app.Logs.Named("HookCallAudited"));
        Assert.Equal("ReplayedJti", CollectingSink.Property(Assert.Single(app.Logs.Named("ClientAuthenticationFailed")), "Reason"));
    }

    public static TheoryData<string, string, string> SandboxTrustInProduction => new()
    {
        { "CdsHooks:Clients:1:Issuer", ClientRegistry.SandboxIssuer, "public CDS Hooks sandbox, whose private key is published" },
        { "CdsHooks:Clients:1:JwksFile", "{sandbox-key-file}", "holds the public CDS Hooks sandbox key" },
        { "CdsHooks:Clients:1:JwksFile", "{sandbox-key-renamed}", "holds the public CDS Hooks sandbox key" },
        { "CdsHooks:Clients:1:AllowedJku:0", ClientRegistry.SandboxJku, "public CDS Hooks sandbox's key set" },
    };

    [Theory]
    [MemberData(nameof(SandboxTrustInProduction))]
    [TestedAttack("Production configured, as the old guide said, with the CDS Hooks sandbox as a client and its key file (whose private key is public and ships in the CLI)", "the service refuses to start, naming the setting (issuer, key by RFC 7638 thumbprint under any kid, or jku)")]
    public async Task GivenTheSandboxKeyOrIssuerInProduction_WhenTheHostStarts_ThenItRefusesNamingTheSetting(string key, string value, string message)
    {
        var settings = new Dictionary<string, string?>
        {
            ["CdsHooks:Clients:1:Issuer"] = SecondIssuer,
            ["CdsHooks:Clients:1:JwksFile"] = KeyFile(TestKeys.Rsa),
        };
        settings[key] = value switch
        {
            "{sandbox-key-file}" => KeyFile(TestKeys.Sandbox),
            "{sandbox-key-renamed}" => RenamedSandboxKeyFile(),
            _ => value,
        };
        await using var app = new CdsApiFactory(settings: settings);

        var validation = StartupFailure(app);

        Assert.Contains(message, validation, StringComparison.Ordinal);
    }

    [Fact]
    [TestedAttack("A client's fetched JWK Set (JwksUri) carries the sandbox's public key in Production", "the key is left out of the set: the sandbox-signed token is 401 UnknownKid")]
    public async Task GivenAFetchedKeySetWithTheSandboxKeyInProduction_WhenASandboxSignedTokenArrives_ThenUnknownKid()
    {
        const string jwksUri = "https://keys.ehr.test.example/jwks.json";
        var server = new KeySetServer { [jwksUri] = TestKeys.JwksJson(TestKeys.Rsa, TestKeys.Sandbox) };
        await using var app = new CdsApiFactory(
            settings: new Dictionary<string, string?> { ["CdsHooks:Clients:0:JwksFile"] = null, ["CdsHooks:Clients:0:JwksUri"] = jwksUri },
            configureServices: server.Install);
        using var forged = app.CreateCdsClient(t => t with { Algorithm = "ES384", Key = TestKeys.Sandbox });
        using var genuine = app.CreateCdsClient();

        using var refused = await forged.GetDiscoveryAsync();
        using var accepted = await genuine.GetDiscoveryAsync();

        await CdsAssert.BareUnauthorizedAsync(refused);
        Assert.Equal(HttpStatusCode.OK, accepted.StatusCode);
        Assert.Equal("UnknownKid", CollectingSink.Property(Assert.Single(app.Logs.Named("ClientAuthenticationFailed")), "Reason"));
    }

    [Fact]
    [TestedAttack("Production without PublicBaseUrl and with AllowedHosts \"*\": the caller's Host header decides the aud the token is checked against", "the service refuses to start in Production")]
    public async Task GivenProductionWithoutPublicBaseUrlAndAnyHostAllowed_WhenTheHostStarts_ThenItRefuses()
    {
        await using var app = new CdsApiFactory(settings: new Dictionary<string, string?> { ["AllowedHosts"] = "*" });

        var validation = StartupFailure(app);

        Assert.Contains("PublicBaseUrl is required in Production", validation, StringComparison.Ordinal);
    }

    [Fact]
    public async Task GivenProductionWithPublicBaseUrlAndAnyHostAllowed_WhenCalled_ThenServed()
    {
        await using var app = new CdsApiFactory(settings: new Dictionary<string, string?>
        {
            ["AllowedHosts"] = "*",
            ["CdsHooks:PublicBaseUrl"] = "http://localhost",
        });
        using var client = app.CreateCdsClient();

        using var response = await client.GetDiscoveryAsync();

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Fact]
    [TestedAttack("A flood of refused tokens to fill the log and the SIEM with one warning per call", "one ClientAuthenticationFailed per issuer and reason a minute, then one event with the count of those not logged")]
    public async Task GivenRepeatedRefusals_WhenWithinAMinute_ThenOneWarningAndTheRestCounted()
    {
        var time = new FakeTimeProvider(TimeProvider.System.GetUtcNow());
        await using var app = new CdsApiFactory(configureServices: s => s.AddSingleton<TimeProvider>(time)) { Time = time };
        using var client = app.CreateCdsClient(t => t with { Kid = "not-a-known-kid" });

        for (var i = 0; i < 5; i++)
        {
            using var refused = await client.GetDiscoveryAsync();
            await CdsAssert.BareUnauthorizedAsync(refused);
        }

        var withinTheMinute = app.Logs.Named("ClientAuthenticationFailed").Count;
        time.Advance(ClientAuthFailureLog.Window + TimeSpan.FromSeconds(1));
        using (var later = await client.GetDiscoveryAsync())
        {
            await CdsAssert.BareUnauthorizedAsync(later);
        }

        Assert.Equal(1, withinTheMinute);
        Assert.Equal(2, app.Logs.Named("ClientAuthenticationFailed").Count);
        var suppressed = Assert.Single(app.Logs.Named("ClientAuthenticationFailuresSuppressed"));
        Assert.Equal("4", CollectingSink.Property(suppressed, "SuppressedCount"));
        Assert.Equal("UnknownKid", CollectingSink.Property(suppressed, "Reason"));
        Assert.Equal(CdsApiFactory.Issuer, CollectingSink.Property(suppressed, "Issuer"));
    }

    [Fact]
    [TestedAttack("Thousands of idle keep-alive connections to exhaust sockets and memory", "Kestrel holds at most CdsHooks:Limits:MaxConcurrentConnections (default 2,000) at once")]
    public async Task GivenTheConnectionLimit_WhenTheHostIsBuilt_ThenKestrelEnforcesIt()
    {
        await using var byDefault = new CdsApiFactory();
        await using var configured = new CdsApiFactory(settings: new Dictionary<string, string?> { ["CdsHooks:Limits:MaxConcurrentConnections"] = "64" });
        using var _ = byDefault.CreateAnonymousClient();
        using var __ = configured.CreateAnonymousClient();

        Assert.Equal(2000, byDefault.Services.GetRequiredService<IOptions<KestrelServerOptions>>().Value.Limits.MaxConcurrentConnections);
        Assert.Equal(64, configured.Services.GetRequiredService<IOptions<KestrelServerOptions>>().Value.Limits.MaxConcurrentConnections);
    }

    [Fact]
    public async Task GivenTheSandboxAsANormalClientWithAPinnedJku_WhenItCallsWithItsRealTokenShape_Then200WithoutFetchingTheJku()
    {
        // The sandbox always sends jku https://sandbox.cds-hooks.org/.well-known/jwks.json; a network without internet
        // access (or a policy against fetching it) pins that URL to the local copy of its key set.
        var server = new KeySetServer();
        var sandboxKeys = KeyFile(TestKeys.Sandbox);
        await using var app = new CdsApiFactory(
            environment: "Test",
            settings: new Dictionary<string, string?>
            {
                ["CdsHooks:Clients:1:Issuer"] = ClientRegistry.SandboxIssuer,
                ["CdsHooks:Clients:1:JwksFile"] = sandboxKeys,
                ["CdsHooks:Clients:1:PinnedJku:0:Url"] = ClientRegistry.SandboxJku,
                ["CdsHooks:Clients:1:PinnedJku:0:File"] = sandboxKeys,
                ["CdsHooks:Clients:1:FhirServers:0"] = "https://fhir.sandbox.test.example/r4",
            },
            configureServices: server.Install);
        using var sandbox = app.CreateCdsClient(t => t with
        {
            Algorithm = "ES384",
            Key = TestKeys.Sandbox,
            Issuer = ClientRegistry.SandboxIssuer,
            Jku = ClientRegistry.SandboxJku,
            Lifetime = TimeSpan.FromSeconds(300),
        });

        using var discovery = await sandbox.GetDiscoveryAsync();
        using var hook = await sandbox.PostHookAsync(HookRequests.PatientViewService, HookRequests.PatientView());

        Assert.Equal(HttpStatusCode.OK, discovery.StatusCode);
        Assert.Equal(HttpStatusCode.OK, hook.StatusCode);
        Assert.Equal(0, server.Total);
        Assert.Empty(app.Logs.Named("ClientAuthenticationFailed"));
    }

    [Fact]
    public async Task GivenTwoTenantsOfOneIssuer_WhenEachCalls_ThenEachGetsItsOwnFhirAllowlistAndATokenWithoutTenantIsRefusedNamingWhy()
    {
        // Oracle Health: https://cds-hooks.cerner.com signs for every tenant; each tenant is its own client entry.
        const string fhirA = "https://fhir.test.example/tenant-a";
        const string fhirB = "https://fhir.test.example/tenant-b";
        await using var app = new CdsApiFactory(settings: new Dictionary<string, string?>
        {
            ["CdsHooks:Clients:0:Tenant"] = "tenant-a",
            ["CdsHooks:Clients:0:FhirServers:0"] = fhirA,
            ["CdsHooks:Clients:1:Issuer"] = CdsApiFactory.Issuer,
            ["CdsHooks:Clients:1:Tenant"] = "tenant-b",
            ["CdsHooks:Clients:1:JwksFile"] = KeyFile(TestKeys.Rsa),
            ["CdsHooks:Clients:1:FhirServers:0"] = fhirB,
        });
        using var tenantA = app.CreateCdsClient(t => t with { Tenant = "tenant-a" });
        using var noTenant = app.CreateCdsClient();

        using var own = await tenantA.GetDiscoveryAsync();
        using var othersServer = await tenantA.PostHookAsync(HookRequests.PatientViewService, HookRequests.FetchFrom(fhirB, HookRequests.NewAccessToken()));
        using var missing = await noTenant.GetDiscoveryAsync();

        Assert.Equal(HttpStatusCode.OK, own.StatusCode);
        Assert.Equal(HttpStatusCode.PreconditionFailed, othersServer.StatusCode);
        Assert.Single(app.Logs.Named("FhirServerRefused"));
        await CdsAssert.BareUnauthorizedAsync(missing);
        Assert.Equal("MissingTenant", CollectingSink.Property(Assert.Single(app.Logs.Named("ClientAuthenticationFailed")), "Reason"));
    }

    [Fact]
    public async Task GivenAKeySetListLikeOracles_WhenATokensJkuIsListed_ThenItsKeySetIsUsedAndAnUnlistedJkuIsNeverFetched()
    {
        const string list = "https://authorization.oracle.test/jwk";
        const string listed = "https://keys.oracle.test/tenant-a/jwks.json";
        const string unlisted = "https://attacker.test/jwks.json";
        var server = new KeySetServer
        {
            [list] = new JsonObject { ["jkus"] = new JsonArray(listed, "https://keys.oracle.test/tenant-b/jwks.json") }.ToJsonString(),
            [listed] = TestKeys.JwksJson(TestKeys.Ec),
            [unlisted] = TestKeys.JwksJson(TestKeys.Ec),
        };
        await using var app = new CdsApiFactory(
            settings: new Dictionary<string, string?> { ["CdsHooks:Clients:0:JkuListUri"] = list },
            configureServices: server.Install);
        using var fromListed = app.CreateCdsClient(t => t with { Algorithm = "ES384", Jku = listed });
        using var fromUnlisted = app.CreateCdsClient(t => t with { Algorithm = "ES384", Jku = unlisted });

        using var accepted = await fromListed.GetDiscoveryAsync();
        using var refused = await fromUnlisted.GetDiscoveryAsync();

        Assert.Equal(HttpStatusCode.OK, accepted.StatusCode);
        await CdsAssert.BareUnauthorizedAsync(refused);
        Assert.Equal("JkuNotAllowed", CollectingSink.Property(Assert.Single(app.Logs.Named("ClientAuthenticationFailed")), "Reason"));
        Assert.Equal(1, server.Count(listed));
        Assert.Equal(0, server.Count(unlisted));
        Assert.InRange(server.Count(list), 1, 2);   // read once, re-read at most once for the unlisted jku
    }

    /// <summary>The start-up validation message, from the exception or the logged failure (see HostTests).</summary>
    private static string StartupFailure(CdsApiFactory app)
    {
        var error = Record.Exception(() => app.CreateAnonymousClient());
        Assert.NotNull(error);
        var validation = new[] { error }.Concat(app.Logs.Events.Select(e => e.Exception)).OfType<OptionsValidationException>().FirstOrDefault();
        Assert.NotNull(validation);
        return validation.Message;
    }

    private static string KeyFile(params TestSigningKey[] keys) => WriteTemp(TestKeys.JwksJson(keys));

    /// <summary>The sandbox's public key under another kid and without alg: still the same key (RFC 7638 thumbprint).</summary>
    private static string RenamedSandboxKeyFile()
    {
        var jwk = TestKeys.Sandbox.PublicJwk();
        jwk["kid"] = "innocent-looking-kid";
        jwk.Remove("alg");
        return WriteTemp(new JsonObject { ["keys"] = new JsonArray(jwk) }.ToJsonString());
    }

    private static string WriteTemp(string json)
    {
        var path = Path.Combine(Path.GetTempPath(), "cds-api-tests", $"keys-{Guid.NewGuid():N}.json");
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllText(path, json);
        return path;
    }

    /// <summary>Answers key-set (and key-set list) requests of the JWKS HTTP client from a dictionary and counts them.</summary>
    private sealed class KeySetServer : HttpMessageHandler
    {
        private readonly ConcurrentDictionary<string, string> documents = new(StringComparer.Ordinal);
        private readonly ConcurrentDictionary<string, int> counts = new(StringComparer.Ordinal);

        public int Total => counts.Values.Sum();

        public string this[string url]
        {
            get => documents[url];
            set => documents[url] = value;
        }

        public int Count(string url) => counts.GetValueOrDefault(url);

        public void Install(IServiceCollection services) =>
            services.AddHttpClient(JwksCache.HttpClientName).ConfigurePrimaryHttpMessageHandler(() => this);

        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            var url = request.RequestUri!.ToString();
            counts.AddOrUpdate(url, 1, (_, n) => n + 1);
            return Task.FromResult(documents.TryGetValue(url, out var json)
                ? new HttpResponseMessage(HttpStatusCode.OK) { Content = new StringContent(json, Encoding.UTF8, "application/json") }
                : new HttpResponseMessage(HttpStatusCode.NotFound));
        }
    }
}
