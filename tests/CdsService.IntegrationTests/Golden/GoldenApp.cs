using System.Text.Json.Nodes;
using CdsService.IntegrationTests.Support;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace CdsService.IntegrationTests.Golden;

/// <summary>
/// One real host per test class (the whole HTTP pipeline with client JWT checks) whose TimeProvider is a
/// <see cref="FakeTimeProvider"/> frozen at <see cref="GoldenScenarios.EvaluationTime"/>, so lookbacks, ages and
/// monitoring due dates are those the examples were written for. Prefetch-only calls make no timer-driven work, so a
/// clock that never advances is safe here (the FHIR-fetching tests in EndToEnd/ use real timers).
/// </summary>
public sealed class GoldenApp : IAsyncDisposable
{
    private readonly Lazy<HttpClient> client;

    public GoldenApp()
    {
        Time = new FakeTimeProvider(GoldenScenarios.EvaluationTime);
        Factory = new CdsApiFactory(
            settings: GoldenScenarios.TestHostSettings,
            configureServices: services => services.AddSingleton<TimeProvider>(Time))
        {
            Time = Time,
        };
        client = new Lazy<HttpClient>(() => Factory.CreateCdsClient());
    }

    public FakeTimeProvider Time { get; }

    public CdsApiFactory Factory { get; }

    public HttpClient Client => client.Value;

    /// <summary>POSTs a hook call and returns the raw body after checking it is a 200 that validates against the CDS Hooks schema.</summary>
    public async Task<string> CallAsync(string serviceId, JsonObject body)
    {
        using var response = await Client.PostHookAsync(serviceId, body);
        using var _ = await CdsAssert.CdsResponseAsync(response);
        return await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken);
    }

    public async ValueTask DisposeAsync()
    {
        if (client.IsValueCreated)
        {
            client.Value.Dispose();
        }

        await Factory.DisposeAsync();
    }
}
