using System.Text.Json.Nodes;
using CdsService.IntegrationTests.Golden;
using CdsService.IntegrationTests.Sandbox;
using CdsService.IntegrationTests.Support;
using Microsoft.Extensions.DependencyInjection;

namespace CdsService.IntegrationTests.EndToEnd;

/// <summary>
/// A clock whose wall time is frozen at the examples' evaluation time while timers and timestamps stay real. The
/// fetch path runs its deadline and Polly's timeouts on the injected TimeProvider, so a fully fake clock would never
/// fire them and a failing FHIR call would hang the test instead of failing it.
/// </summary>
public sealed class FrozenWallClock(DateTimeOffset now) : TimeProvider
{
    public override DateTimeOffset GetUtcNow() => now;
}

/// <summary>
/// One real host per test class for calls that fetch from the FHIR sandbox: the test client may point the service to
/// the sandbox (CdsHooks:Clients:0:FhirServers:0) and to any extra servers a class names. Environment "Testing": not
/// Production, so plain http to a loopback FHIR server is allowed (Program.cs sets Fhir:AllowHttpLoopback), and not
/// Development, so no sandbox client trust or preview page is switched on. Created on first use because the sandbox
/// URL is known only once the collection fixture has started it.
/// </summary>
public abstract class SandboxApp : IAsyncDisposable
{
    /// <summary>The fhirAuthorization.access_token sent with fetch calls (a test value; the sandbox does not check it).</summary>
    public const string AccessToken = "golden-test-access-token";

    private CdsApiFactory? factory;
    private HttpClient? client;

    public TimeProvider Time { get; } = new FrozenWallClock(GoldenScenarios.EvaluationTime);

    /// <summary>Extra configuration on top of the sandbox allowlist entry.</summary>
    protected virtual IReadOnlyDictionary<string, string?> Settings(Uri sandboxBaseUrl) => new Dictionary<string, string?>();

    public CdsApiFactory Factory(FhirSandboxFixture sandbox)
    {
        ArgumentNullException.ThrowIfNull(sandbox);
        if (factory is null)
        {
            var baseUrl = sandbox.RequireBaseUrl();
            var settings = new Dictionary<string, string?>(GoldenScenarios.TestHostSettings)
            {
                ["CdsHooks:Clients:0:FhirServers:0"] = baseUrl.AbsoluteUri.TrimEnd('/'),
            };
            foreach (var (key, value) in Settings(baseUrl))
            {
                settings[key] = value;
            }

            factory = new CdsApiFactory(
                environment: "Testing",
                settings: settings,
                configureServices: services => services.AddSingleton(Time))
            {
                Time = Time,
            };
        }

        return factory;
    }

    public HttpClient Client(FhirSandboxFixture sandbox) => client ??= Factory(sandbox).CreateCdsClient();

    public Task<HttpResponseMessage> PostAsync(FhirSandboxFixture sandbox, string serviceId, JsonObject body) =>
        Client(sandbox).PostHookAsync(serviceId, body);

    public async ValueTask DisposeAsync()
    {
        client?.Dispose();
        if (factory is not null)
        {
            await factory.DisposeAsync();
        }

        GC.SuppressFinalize(this);
    }
}
