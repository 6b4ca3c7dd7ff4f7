using System.Net;
using CdsService.Api;
using CdsService.Api.Telemetry;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace CdsService.UnitTests.Deploy;

public sealed class TelemetryWiringTests
{
    [Theory]
    [InlineData("discovery", null)]
    [InlineData("hook", "hypogonadism-order-sign")]
    [InlineData("feedback", "hypogonadism-order-sign")]
    public void GivenAMatchedCdsEndpoint_WhenClassified_ThenItsRouteAndServiceIdComeFromTheEndpoint(string endpoint, string? serviceId)
    {
        var context = new DefaultHttpContext();
        context.Request.Path = "/CDS-SERVICES/whatever/the/path/spells";
        context.SetEndpoint(new Endpoint(null, new EndpointMetadataCollection(new CdsRouteMetadata(endpoint)), endpoint));
        if (serviceId is not null)
        {
            context.Request.RouteValues[CdsRoutes.ServiceIdParameter] = serviceId;
        }

        Assert.Equal((endpoint, serviceId), CdsRoutes.Classify(context));
        Assert.True(CdsRoutes.IsCdsRoute(context));
    }

    [Theory]
    [InlineData("/cds-services/hypogonadism-order-sign", true)]
    [InlineData("/CDS-SERVICES/a/b/c", true)]
    [InlineData("/health/ready", false)]
    [InlineData("/cds-servicesx/y", false)]
    public void GivenNoMatchedEndpoint_WhenClassified_ThenOtherAndErrorsFollowTheBasePathIgnoringCase(string path, bool cdsErrors)
    {
        var context = new DefaultHttpContext();
        context.Request.Path = path;

        Assert.Equal((CdsRoutes.OtherEndpoint, (string?)null), CdsRoutes.Classify(context));
        Assert.Equal(cdsErrors, CdsRoutes.IsCdsRoute(context));
    }

    [Theory]
    [InlineData("https://ehr.example.org/fhir/Patient/123", "https://ehr.example.org/fhir/Patient/{id}")]
    [InlineData("https://ehr.example.org/fhir/r4/Observation?patient=123&code=http://loinc.org|2986-8", "https://ehr.example.org/fhir/r4/Observation")]
    [InlineData("https://user:pw@ehr.example.org:8443/api/FHIR/R4/Patient/abc/_history/2", "https://ehr.example.org:8443/api/FHIR/{id}/{id}/{id}/_history/{id}")]
    [InlineData("http://127.0.0.1:5000/fhir/Patient/example/$everything", "http://127.0.0.1:5000/fhir/Patient/{id}/$everything")]
    [InlineData("https://ehr.example.org/fhir/metadata", "https://ehr.example.org/fhir/metadata")]
    public void GivenAFhirUrl_WhenRedacted_ThenNoIdOrQuerySurvives(string url, string expected)
    {
        Assert.Equal(expected, FhirUrlRedaction.Redact(new Uri(url)));
    }

    [Theory]
    [InlineData("not a url")]
    [InlineData("ftp://collector:4317")]
    public void GivenAnInvalidOtlpEndpoint_WhenSettingsAreRead_ThenStartupFails(string endpoint)
    {
        var config = new ConfigurationBuilder().AddInMemoryCollection([new(ServiceTelemetryExtensions.OtlpEndpointKey, endpoint)]).Build();

        Assert.Throws<InvalidOperationException>(() => TelemetrySettings.From(config));
    }

    [Fact]
    public void GivenOnlyTheStandardOtelVariable_WhenSettingsAreRead_ThenOtlpIsEnabled()
    {
        var config = new ConfigurationBuilder().AddInMemoryCollection([
            new(ServiceTelemetryExtensions.StandardOtlpEndpointKey, "http://collector:4318"),
            new(ServiceTelemetryExtensions.OtlpProtocolKey, "http/protobuf"),
        ]).Build();

        var settings = TelemetrySettings.From(config);

        Assert.True(settings.OtlpEnabled);
        Assert.Equal(OpenTelemetry.Exporter.OtlpExportProtocol.HttpProtobuf, settings.OtlpProtocol);
        var options = new OpenTelemetry.Exporter.OtlpExporterOptions();
        settings.ApplyOtlp(options, "v1/traces");
        Assert.Equal(new Uri("http://collector:4318/v1/traces"), options.Endpoint);
    }

    [Fact]
    public void GivenNothingConfigured_WhenSettingsAreRead_ThenNothingIsExported()
    {
        var settings = TelemetrySettings.From(new ConfigurationBuilder().Build());

        Assert.False(settings.OtlpEnabled);
        Assert.False(settings.PrometheusEnabled);
    }

    [Fact]
    public async Task GivenPrometheusEnabled_WhenHookCallsAreAnswered_ThenMetricsEndpointShowsLatencyAndRejectionsWithoutPhi()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var app = await StartAppAsync(new() { [ServiceTelemetryExtensions.PrometheusEnabledKey] = "true" }, ct);
        using var client = new HttpClient { BaseAddress = new Uri(Address(app)) };

        using (await client.PostAsync(new Uri("/cds-services/hypogonadism-order-sign?patient=Smith", UriKind.Relative), null, ct)) { }
        using (await client.PostAsync(new Uri("/cds-services/hypogonadism-patient-view", UriKind.Relative), null, ct)) { }

        // The exporter caches a scrape for 300 ms by default; poll until both calls are visible.
        string body = string.Empty;
        for (var i = 0; i < 50 && !body.Contains("hypogonadism-patient-view", StringComparison.Ordinal); i++)
        {
            body = await client.GetStringAsync(new Uri(ServiceTelemetryExtensions.PrometheusPath, UriKind.Relative), ct);
            await Task.Delay(100, ct);
        }

        Assert.Contains("cds_hook_duration_seconds_bucket", body, StringComparison.Ordinal);
        Assert.Contains("cds_requests_rejected", body, StringComparison.Ordinal);
        Assert.Matches("cds_requests_rejected[^\\n]*http_response_status_code=\"412\"", body);
        Assert.Matches("cds_requests_rejected[^\\n]*http_response_status_code=\"401\"", body);
        Assert.DoesNotContain("Smith", body, StringComparison.Ordinal);
    }

    [Fact]
    public async Task GivenAPrometheusPort_WhenMetricsAreRequestedOnTheServicePort_ThenTheyAreNotServed()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var app = await StartAppAsync(new()
        {
            [ServiceTelemetryExtensions.PrometheusEnabledKey] = "true",
            [ServiceTelemetryExtensions.PrometheusPortKey] = "1",
        }, ct);
        using var client = new HttpClient { BaseAddress = new Uri(Address(app)) };

        using var response = await client.GetAsync(new Uri(ServiceTelemetryExtensions.PrometheusPath, UriKind.Relative), ct);

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
    }

    [Fact]
    public async Task GivenPrometheusDisabled_WhenMetricsAreRequested_ThenNotFound()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var app = await StartAppAsync([], ct);
        using var client = new HttpClient { BaseAddress = new Uri(Address(app)) };

        using var response = await client.GetAsync(new Uri(ServiceTelemetryExtensions.PrometheusPath, UriKind.Relative), ct);

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
    }

    private static async Task<WebApplication> StartAppAsync(Dictionary<string, string?> settings, CancellationToken ct)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Configuration.AddInMemoryCollection(settings);
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.AddServiceTelemetry();
        var app = builder.Build();
        // Stand-ins for the real endpoints: what matters here is the status code the pipeline answers with.
        // Like the real hook endpoint, it carries the CDS route metadata the telemetry classifies requests by.
        app.MapPost($"/cds-services/{{{CdsRoutes.ServiceIdParameter}}}", (string id) => id == "hypogonadism-order-sign"
                ? Results.StatusCode(StatusCodes.Status412PreconditionFailed)
                : Results.Unauthorized())
            .WithCdsRoute(CdsRoutes.HookEndpoint);
        app.MapServiceTelemetry();
        await app.StartAsync(ct);
        return app;
    }

    private static string Address(WebApplication app) =>
        app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
}
