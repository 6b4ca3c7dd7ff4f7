using DotNet.Testcontainers.Builders;
using DotNet.Testcontainers.Containers;

namespace CdsService.IntegrationTests.Sandbox;

/// <summary>
/// HAPI FHIR (the reference open-source server) in a container, for running the example scenarios against a real
/// third-party server where Docker is available. These machines have no Docker engine and no image registry
/// (fhir-sandbox-findings.md §8), so here the fixture records why and the tests report themselves as skipped.
/// </summary>
public sealed class HapiFhirFixture : IAsyncLifetime
{
    /// <summary>Pinned: HAPI's defaults (paging, unknown-parameter handling) change between releases.</summary>
    public const string Image = "hapiproject/hapi:v8.4.0";

    private const int HttpPort = 8080;
    private IContainer? _container;

    public Uri? BaseUrl { get; private set; }

    public string? SkipReason { get; private set; }

    public HttpClient Http { get; } = new() { Timeout = TimeSpan.FromSeconds(60) };

    public Uri RequireBaseUrl()
    {
        if (BaseUrl is null)
        {
            Assert.Skip(SkipReason ?? "HAPI FHIR did not start.");
        }

        return BaseUrl;
    }

    public async ValueTask InitializeAsync()
    {
        try
        {
            _container = new ContainerBuilder(Image)
                .WithPortBinding(HttpPort, assignRandomHostPort: true)
                // Ids such as "primary-desired" are client-assigned; HAPI's default (ALPHANUMERIC) accepts them.
                .WithEnvironment("hapi.fhir.client_id_strategy", "ALPHANUMERIC")
                .WithWaitStrategy(Wait.ForUnixContainer().UntilHttpRequestIsSucceeded(r => r.ForPort(HttpPort).ForPath("/fhir/metadata")))
                .Build();
        }
        catch (DockerUnavailableException ex)
        {
            SkipReason = $"Docker is not available here, so HAPI FHIR ({Image}) cannot run: {ex.Message}";
            return;
        }

        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(5));
        await _container.StartAsync(timeout.Token);
        BaseUrl = new Uri($"http://{_container.Hostname}:{_container.GetMappedPublicPort(HttpPort)}/fhir");
    }

    public async ValueTask DisposeAsync()
    {
        Http.Dispose();
        if (_container is not null)
        {
            await _container.DisposeAsync();
        }
    }
}

[CollectionDefinition(Name)]
public sealed class HapiFhirCollection : ICollectionFixture<HapiFhirFixture>
{
    public const string Name = "HAPI FHIR (Testcontainers)";
}
