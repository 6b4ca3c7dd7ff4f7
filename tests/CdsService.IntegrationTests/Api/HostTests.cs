using System.Net;
using System.Text.Json;
using CdsService.IntegrationTests.Support;
using Microsoft.Extensions.Options;

namespace CdsService.IntegrationTests.Api;

public sealed class HostTests
{
    [Fact]
    public async Task GivenAllowedOrigin_WhenPreflightWithoutToken_ThenAnsweredWithCorsHeaders()
    {
        await using var app = new CdsApiFactory();
        using var client = app.CreateAnonymousClient();
        using var request = Preflight(CdsApiFactory.AllowedOrigin);

        using var response = await client.SendAsync(request, TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.NoContent, response.StatusCode);
        Assert.Equal(CdsApiFactory.AllowedOrigin, Assert.Single(response.Headers.GetValues("Access-Control-Allow-Origin")));
        var allowed = string.Join(',', response.Headers.GetValues("Access-Control-Allow-Headers"));
        Assert.Contains("Authorization", allowed, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("Content-Type", allowed, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("POST", string.Join(',', response.Headers.GetValues("Access-Control-Allow-Methods")), StringComparison.Ordinal);
    }

    [Fact]
    public async Task GivenOtherOrigin_WhenPreflight_ThenNoCorsGrant()
    {
        await using var app = new CdsApiFactory();
        using var client = app.CreateAnonymousClient();
        using var request = Preflight("https://evil.example");

        using var response = await client.SendAsync(request, TestContext.Current.CancellationToken);

        Assert.False(response.Headers.Contains("Access-Control-Allow-Origin"));
    }

    [Fact]
    public async Task GivenARefusedOrigin_WhenItPreflightsTwice_ThenLoggedOnceAtInformationWithTheConfiguredList()
    {
        await using var app = new CdsApiFactory();
        using var client = app.CreateAnonymousClient();

        for (var i = 0; i < 2; i++)
        {
            using var request = Preflight("https://sandbox.cds-hooks.org");
            using var response = await client.SendAsync(request, TestContext.Current.CancellationToken);
            Assert.False(response.Headers.Contains("Access-Control-Allow-Origin"));
        }

        var refused = Assert.Single(app.Logs.Named("CorsOriginRefused"));
        Assert.Equal(Serilog.Events.LogEventLevel.Information, refused.Level);
        Assert.Equal("https://sandbox.cds-hooks.org", CollectingSink.Property(refused, "Origin"));
        Assert.Equal(CdsApiFactory.AllowedOrigin, CollectingSink.Property(refused, "AllowedOrigins"));
    }

    [Fact]
    public async Task GivenThePreviewPage_WhenTheBrowserAsksForTheFavicon_ThenAnIconIsServedAndNo401IsLogged()
    {
        await using var app = new CdsApiFactory(environment: "Development");
        using var client = app.CreateAnonymousClient();

        using var response = await client.GetAsync(new Uri("/favicon.ico", UriKind.Relative), TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("image/x-icon", response.Content.Headers.ContentType?.MediaType);
        var icon = await response.Content.ReadAsByteArrayAsync(TestContext.Current.CancellationToken);
        Assert.Equal(new byte[] { 0, 0, 1, 0, 1, 0 }, icon[..6]); // ICONDIR: reserved, type icon, one image
        Assert.Empty(app.Logs.Named("ClientAuthenticationFailed"));
        Assert.DoesNotContain(app.Logs.Events, e => e.Level >= Serilog.Events.LogEventLevel.Warning
            && e.RenderMessage(System.Globalization.CultureInfo.InvariantCulture).Contains("401", StringComparison.Ordinal));
    }

    [Fact]
    public async Task GivenAllowedOrigin_WhenDiscoveryCalledWithToken_ThenResponseCarriesAllowOrigin()
    {
        await using var app = new CdsApiFactory();
        using var client = app.CreateCdsClient();
        using var request = new HttpRequestMessage(HttpMethod.Get, "/cds-services");
        request.Headers.Add("Origin", CdsApiFactory.AllowedOrigin);

        using var response = await client.SendAsync(request, TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(CdsApiFactory.AllowedOrigin, Assert.Single(response.Headers.GetValues("Access-Control-Allow-Origin")));
    }

    [Theory]
    [InlineData("/health/live")]
    [InlineData("/health/ready")]
    public async Task GivenNoToken_WhenHealthProbed_ThenHealthy(string path)
    {
        await using var app = new CdsApiFactory();
        using var client = app.CreateAnonymousClient();

        // Ready once the feedback store's schema is in place: it is migrated after the host starts (cold start, docs/performance.md).
        await app.FeedbackStore.InitializeAsync(TestContext.Current.CancellationToken);
        using var response = await client.GetAsync(new Uri(path, UriKind.Relative), TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("Healthy", await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken));
    }

    [Fact]
    public async Task GivenFeedbackStoreUnreachable_WhenReadyProbed_ThenUnhealthyButLive()
    {
        await using var app = new CdsApiFactory();
        using var client = app.CreateAnonymousClient();
        await app.FeedbackStore.InitializeAsync(TestContext.Current.CancellationToken);
        using (var started = await client.GetAsync(new Uri("/health/ready", UriKind.Relative), TestContext.Current.CancellationToken))
        {
            Assert.Equal(HttpStatusCode.OK, started.StatusCode);
        }

        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        Directory.Delete(app.Directory, recursive: true);

        using var ready = await client.GetAsync(new Uri("/health/ready", UriKind.Relative), TestContext.Current.CancellationToken);
        using var live = await client.GetAsync(new Uri("/health/live", UriKind.Relative), TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.ServiceUnavailable, ready.StatusCode);
        Assert.Equal(HttpStatusCode.OK, live.StatusCode);
    }

    [Fact]
    public async Task GivenNoToken_WhenOpenApiRequested_ThenItDocumentsTheThreeCdsRoutes()
    {
        await using var app = new CdsApiFactory();
        using var client = app.CreateAnonymousClient();

        using var response = await client.GetAsync(new Uri("/openapi/v1.json", UriKind.Relative), TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        using var doc = JsonDocument.Parse(await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken));
        var paths = doc.RootElement.GetProperty("paths").EnumerateObject().Select(p => p.Name).ToList();
        Assert.Contains("/cds-services", paths);
        Assert.Contains("/cds-services/{id}", paths);
        Assert.Contains("/cds-services/{id}/feedback", paths);
        Assert.True(doc.RootElement.GetProperty("paths").GetProperty("/cds-services/{id}").GetProperty("post").GetProperty("responses").TryGetProperty("412", out _));
    }

    private static readonly string SecondClientJwks = WriteTempJwks();

    public static TheoryData<string, string, string> BadConfiguration => new()
    {
        { "CdsHooks:Clients:0:JwksUri", "https://ehr.test.example/jwks.json", "exactly one of JwksUri and JwksFile" },
        { "CdsHooks:Clients:0:JwksFile", "/does/not/exist.json", "does not exist" },
        { "CdsHooks:Clients:0:FhirServers:0", "http://fhir.test.example/r4", "FhirServers:0" },
        { "CdsHooks:Clients:0:FhirServers:0", "https://user:pw@fhir.test.example/r4", "FhirServers:0" },
        { "CdsHooks:PublicBaseUrl", "not a url", "PublicBaseUrl" },
        { "CdsHooks:AllowedOrigins:0", "https://ehr.example/path", "AllowedOrigins:0" },
        { "CdsHooks:Limits:MaxRequestBodyBytes", "1", "MaxRequestBodyBytes" },
        { "CdsHooks:Clients:1:Issuer", CdsApiFactory.Issuer, "configured twice" },
    };

    [Theory]
    [MemberData(nameof(BadConfiguration))]
    public async Task GivenUnsafeConfiguration_WhenHostStarts_ThenStartupFailsNamingTheSetting(string key, string value, string message)
    {
        var settings = new Dictionary<string, string?> { [key] = value, ["CdsHooks:Clients:1:JwksFile"] = key.StartsWith("CdsHooks:Clients:1", StringComparison.Ordinal) ? SecondClientJwks : null };
        await using var app = new CdsApiFactory(settings: settings);

        var error = Record.Exception(() => app.CreateAnonymousClient());

        // The host logs the validation failure and stops. WebApplicationFactory surfaces it either as that exception or,
        // when the failed host was already disposed by Program's RunAsync, as an ObjectDisposedException; the logged
        // start-up failure is the stable evidence.
        Assert.NotNull(error);
        var validation = new[] { error }.Concat(app.Logs.Events.Select(e => e.Exception)).OfType<OptionsValidationException>().FirstOrDefault();
        Assert.NotNull(validation);
        Assert.Contains(message, validation.Message, StringComparison.Ordinal);
    }

    private static string WriteTempJwks()
    {
        var path = Path.Combine(Path.GetTempPath(), $"cds-api-tests-second-{Guid.NewGuid():N}.json");
        File.WriteAllText(path, TestKeys.JwksJson(TestKeys.Ec));
        return path;
    }

    [Fact]
    public async Task GivenNoClientConfiguredInProduction_WhenStartedAndCalled_ThenWarningAndEvery401()
    {
        await using var app = new CdsApiFactory(configureClient: false);
        using var client = app.CreateCdsClient();

        using var discovery = await client.GetDiscoveryAsync();
        using var hook = await client.PostHookAsync(HookRequests.PatientViewService, HookRequests.PatientView());

        await CdsAssert.BareUnauthorizedAsync(discovery);
        await CdsAssert.BareUnauthorizedAsync(hook);
        Assert.Single(app.Logs.Named("NoClientsConfigured"));
        Assert.Empty(app.Logs.Named("DevelopmentIssuerTrusted"));
    }

    [Fact]
    public async Task GivenDevelopment_WhenSandboxSignedTokenUsed_ThenSandboxIssuerIsTrustedWithAWarning()
    {
        await using var app = new CdsApiFactory(environment: "Development", configureClient: false);
        using var client = app.CreateCdsClient(SandboxToken);

        using var response = await client.GetDiscoveryAsync();

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        CdsAssert.Valid(CdsAssert.Discovery, await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken));
        Assert.Single(app.Logs.Named("DevelopmentIssuerTrusted"));
    }

    [Fact]
    public async Task GivenProduction_WhenSandboxSignedTokenUsed_ThenBare401UnknownIssuer()
    {
        await using var app = new CdsApiFactory();
        using var client = app.CreateCdsClient(SandboxToken);

        using var response = await client.GetDiscoveryAsync();

        await CdsAssert.BareUnauthorizedAsync(response);
        Assert.Equal("UnknownIssuer", CollectingSink.Property(Assert.Single(app.Logs.Named("ClientAuthenticationFailed")), "Reason"));
    }

    /// <summary>The token exactly as the sandbox's jwt-generator.js builds it: ES384, kid, jku, 300 s, no tenant.</summary>
    private static TokenSpec SandboxToken(TokenSpec spec) => spec with
    {
        Algorithm = "ES384",
        Key = TestKeys.Sandbox,
        Issuer = "https://sandbox.cds-hooks.org",
        Jku = "https://sandbox.cds-hooks.org/.well-known/jwks.json",
        Lifetime = TimeSpan.FromSeconds(300),
    };

    private static HttpRequestMessage Preflight(string origin)
    {
        var request = new HttpRequestMessage(HttpMethod.Options, $"/cds-services/{HookRequests.OrderSignService}");
        request.Headers.Add("Origin", origin);
        request.Headers.Add("Access-Control-Request-Method", "POST");
        request.Headers.Add("Access-Control-Request-Headers", "authorization,content-type");
        return request;
    }
}
