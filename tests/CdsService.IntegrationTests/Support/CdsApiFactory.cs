using CdsService.Api.Feedback;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Serilog.Core;

namespace CdsService.IntegrationTests.Support;

/// <summary>
/// The shared in-process host for API tests (after davidfowl/TodoApi Todo.Api.Tests/TodoApplication.cs): the real
/// Program with one configured CDS client whose RSA and EC public keys are in a JWK Set file written to a temp folder,
/// its own SQLite feedback file, a log collector, and clients that mint real tokens. Create one per test
/// (<c>await using var app = new CdsApiFactory();</c>) so no state leaks between tests.
/// </summary>
public sealed class CdsApiFactory : WebApplicationFactory<Program>
{
    /// <summary>The iss of the configured test client.</summary>
    public const string Issuer = "https://ehr.test.example/cds-client";

    /// <summary>A FHIR server the test client is allowed to point the service to.</summary>
    public const string AllowedFhirServer = "https://fhir.test.example/r4";

    /// <summary>A browser origin allowed by CORS.</summary>
    public const string AllowedOrigin = "https://ehr-ui.test.example";

    private readonly string environment;
    private readonly Dictionary<string, string?> settings;
    private readonly Action<IServiceCollection>? configureServices;

    /// <param name="environment">ASP.NET Core environment; Production unless a test is about Development behaviour.</param>
    /// <param name="settings">Extra or overriding configuration (e.g. CdsHooks:Clients:0:Tenant); a null value removes a default.</param>
    /// <param name="configureServices">Service replacements (fake data source, fake JWKS HTTP handler, FakeTimeProvider…).</param>
    /// <param name="configureClient">false: start with no CDS client configured.</param>
    public CdsApiFactory(
        string environment = "Production",
        IReadOnlyDictionary<string, string?>? settings = null,
        Action<IServiceCollection>? configureServices = null,
        bool configureClient = true)
    {
        this.environment = environment;
        this.configureServices = configureServices;
        Directory = Path.Combine(Path.GetTempPath(), "cds-api-tests", Guid.NewGuid().ToString("N"));
        System.IO.Directory.CreateDirectory(Directory);
        JwksFile = Path.Combine(Directory, "client-jwks.json");
        File.WriteAllText(JwksFile, TestKeys.JwksJson(TestKeys.Rsa, TestKeys.Ec));

        this.settings = new Dictionary<string, string?>(StringComparer.OrdinalIgnoreCase)
        {
            ["CdsHooks:Feedback:SqlitePath"] = Path.Combine(Directory, "feedback.db"),
            ["CdsHooks:AllowedOrigins:0"] = AllowedOrigin,

            // The example patients' UTC-stamped samples come from a New York site (fhir-profiles/examples/scenarios.json,
            // utc-morning-sample); pinned so the answers do not depend on the zone of the machine running the tests.
            ["Clinical:SiteTimeZone"] = "America/New_York",

            // The test FHIR servers and key sets listen on loopback, which the outbound guard refuses unless listed
            // (docs/security.md §4); a test of the guard itself removes these with a null value.
            ["Outbound:AllowedPrivateNetworks:0"] = "127.0.0.0/8",
            ["Outbound:AllowedPrivateNetworks:1"] = "::1/128",
        };

        // Production requires PublicBaseUrl or a host filter, so aud never comes from a Host header the caller chose; the
        // test server's requests all go to localhost. (Other environments keep "*": the browser tests' real listener is
        // reached on the loopback address.)
        if (environment == "Production")
        {
            this.settings["AllowedHosts"] = "localhost";
        }
        if (configureClient)
        {
            this.settings["CdsHooks:Clients:0:Issuer"] = Issuer;
            this.settings["CdsHooks:Clients:0:JwksFile"] = JwksFile;
            this.settings["CdsHooks:Clients:0:FhirServers:0"] = AllowedFhirServer;
        }

        foreach (var (key, value) in settings ?? new Dictionary<string, string?>())
        {
            this.settings[key] = value;
        }

        Time = TimeProvider.System;
    }

    /// <summary>A temp folder private to this host (JWK Set, SQLite file); deleted on dispose.</summary>
    public string Directory { get; }

    public string JwksFile { get; }

    /// <summary>Every Serilog event the host wrote.</summary>
    public CollectingSink Logs { get; } = new();

    /// <summary>The clock tokens are minted with; set it when the host's TimeProvider is replaced by a fake.</summary>
    public TimeProvider Time { get; init; }

    public TokenMinter Minter => new(Time);

    /// <summary>An HttpClient whose every request carries a fresh valid token (change it with <paramref name="token"/>).</summary>
    public HttpClient CreateCdsClient(Func<TokenSpec, TokenSpec>? token = null) =>
        CreateCdsClient(out _, token);

    public HttpClient CreateCdsClient(out ClientTokenHandler handler, Func<TokenSpec, TokenSpec>? token = null)
    {
        handler = new ClientTokenHandler(Minter, () => token is null ? new TokenSpec() : token(new TokenSpec()));
        return CreateDefaultClient(handler);
    }

    /// <summary>An HttpClient that sends no Authorization header (add one by hand).</summary>
    public HttpClient CreateAnonymousClient() => CreateDefaultClient();

    public IFeedbackStore FeedbackStore => Services.GetRequiredService<IFeedbackStore>();

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.UseEnvironment(environment);
        builder.ConfigureAppConfiguration((_, configuration) =>
            configuration.AddInMemoryCollection(settings.Where(s => s.Value is not null)));
        builder.ConfigureTestServices(services =>
        {
            services.AddSingleton<ILogEventSink>(Logs);
            configureServices?.Invoke(services);
        });
    }

    public override async ValueTask DisposeAsync()
    {
        await base.DisposeAsync();
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        try
        {
            System.IO.Directory.Delete(Directory, recursive: true);
        }
        catch (IOException)
        {
            // A file still held by the OS is left in the temp folder; it holds only test keys and test feedback.
        }
    }
}
