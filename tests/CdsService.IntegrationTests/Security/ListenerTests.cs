using System.Globalization;
using System.Net;
using CdsService.Api.Telemetry;
using CdsService.IntegrationTests.ScaleOut;
using CdsService.IntegrationTests.Support;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace CdsService.IntegrationTests.Security;

/// <summary>
/// The real host on real Kestrel listeners (the in-memory test server has no ports and writes no Server header): the
/// service port and the metrics port of docs/deploy.md §Telemetry.
/// </summary>
public sealed class ListenerTests : IAsyncLifetime
{
    private readonly int metricsPort = LocalServers.FreePort();
    private readonly HttpClient http = new();
    private WebApplication telemetryHost = null!;
    private CdsApiFactory app = null!;
    private Uri servicePortUrl = null!;
    private Uri telemetryServicePortUrl = null!;

    public async ValueTask InitializeAsync()
    {
        // The telemetry wiring on its own host: its settings are read while the host is being built, before a
        // WebApplicationFactory's configuration applies.
        var builder = WebApplication.CreateSlimBuilder();
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            [ServiceTelemetryExtensions.PrometheusEnabledKey] = "true",
            [ServiceTelemetryExtensions.PrometheusPortKey] = metricsPort.ToString(CultureInfo.InvariantCulture),
        });
        builder.WebHost.UseUrls("http://127.0.0.1:0", $"http://127.0.0.1:{metricsPort}");
        builder.AddServiceTelemetry();
        telemetryHost = builder.Build();
        telemetryHost.MapServiceTelemetry();
        await telemetryHost.StartAsync(TestContext.Current.CancellationToken);
        telemetryServicePortUrl = ServicePort(telemetryHost.Services);

        app = new CdsApiFactory(settings: new Dictionary<string, string?> { ["Kestrel:Endpoints:Http:Url"] = "http://127.0.0.1:0" });
        app.UseKestrel();
        app.StartServer();
        servicePortUrl = ServicePort(app.Services);
    }

    public async ValueTask DisposeAsync()
    {
        http.Dispose();
        await app.DisposeAsync();
        await telemetryHost.DisposeAsync();
    }

    [TestedAttack("GET /metrics on the service port with a forged Host header naming the metrics port (Host: x:9464)", "404; metrics are served only on connections to the metrics port")]
    [Theory]
    [InlineData(null)]
    [InlineData("x:{port}")]
    [InlineData("127.0.0.1:{port}")]
    public async Task GivenMetricsRequestedOnTheServicePort_WhateverTheHostHeader_ThenNotFound(string? host)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(telemetryServicePortUrl, ServiceTelemetryExtensions.PrometheusPath));
        if (host is not null)
        {
            request.Headers.Host = host.Replace("{port}", metricsPort.ToString(CultureInfo.InvariantCulture), StringComparison.Ordinal);
        }

        using var response = await http.SendAsync(request, TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.DoesNotContain("# TYPE", await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken), StringComparison.Ordinal);
    }

    [Fact]
    public async Task GivenMetricsRequestedOnTheMetricsPort_ThenServed()
    {
        using var response = await http.GetAsync(new Uri($"http://127.0.0.1:{metricsPort}{ServiceTelemetryExtensions.PrometheusPath}"), TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("# TYPE", await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken), StringComparison.Ordinal);
    }

    [TestedAttack("Fingerprinting the server from response headers", "no Server header on any answer")]
    [Theory]
    [InlineData("/health/live")]
    [InlineData("/cds-services")]
    [InlineData("/no-such-page")]
    public async Task GivenAnyRequest_WhenAnswered_ThenNoServerHeader(string path)
    {
        using var response = await http.GetAsync(new Uri(servicePortUrl, path), TestContext.Current.CancellationToken);

        Assert.False(response.Headers.Contains("Server"), $"Server: {string.Join(',', response.Headers.Server)}");
    }

    private Uri ServicePort(IServiceProvider services) => new(
        services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses
            .Select(a => new Uri(a)).Single(a => a.Port != metricsPort),
        "/");
}
