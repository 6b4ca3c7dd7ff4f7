using CdsService.Fhir.Data;
using Microsoft.Extensions.DependencyInjection.Extensions;
using OpenTelemetry.Exporter;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;

namespace CdsService.Api.Telemetry;

/// <summary>
/// OpenTelemetry wiring (docs/deploy.md §Telemetry): traces for incoming hook calls, outgoing FHIR queries and the engine; the
/// <see cref="CdsMetrics"/> instruments plus ASP.NET Core, HttpClient and .NET runtime metrics; exported over
/// OTLP when configured and scrapeable by Prometheus when enabled. Logs stay on Serilog and are never exported here.
/// </summary>
/// <remarks>
/// Configuration (all optional; nothing is exported unless configured):
/// <list type="bullet">
/// <item><c>OpenTelemetry:OtlpEndpoint</c> (or the standard <c>OTEL_EXPORTER_OTLP_ENDPOINT</c>): collector URL; enables
/// OTLP export of traces and metrics.</item>
/// <item><c>OpenTelemetry:OtlpProtocol</c>: <c>grpc</c> (default) or <c>http/protobuf</c>.</item>
/// <item><c>Telemetry:Prometheus:Enabled</c>: serve <c>/metrics</c> in Prometheus text format.</item>
/// <item><c>Telemetry:Prometheus:Port</c>: answer <c>/metrics</c> only on connections accepted on this local port (add it
/// to <c>ASPNETCORE_HTTP_PORTS</c>), so the public listener behind the ingress never serves it, whatever Host header the
/// caller sends; elsewhere it is a 404.</item>
/// </list>
/// </remarks>
public static class ServiceTelemetryExtensions
{
    public const string OtlpEndpointKey = "OpenTelemetry:OtlpEndpoint";
    public const string OtlpProtocolKey = "OpenTelemetry:OtlpProtocol";
    public const string StandardOtlpEndpointKey = "OTEL_EXPORTER_OTLP_ENDPOINT";
    public const string PrometheusEnabledKey = "Telemetry:Prometheus:Enabled";
    public const string PrometheusPortKey = "Telemetry:Prometheus:Port";
    public const string PrometheusPath = "/metrics";
    public const string DefaultServiceName = "cds-hypogonadism";

    public static WebApplicationBuilder AddServiceTelemetry(this WebApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        var settings = TelemetrySettings.From(builder.Configuration);
        builder.Services.AddSingleton(settings);
        builder.Services.TryAddSingleton(TimeProvider.System);
        builder.Services.AddMetrics();
        builder.Services.AddSingleton<CdsMetrics>();
        builder.Services.AddTransient<IStartupFilter, CdsRequestTelemetryStartupFilter>();

        if (!settings.OtlpEnabled && !settings.PrometheusEnabled)
        {
            // No exporter: keep the in-process instruments (CdsMetrics works with any MeterListener, e.g. dotnet-counters)
            // but skip the SDK, so requests pay nothing for spans nobody collects.
            return builder;
        }

        var serviceName = builder.Configuration["OTEL_SERVICE_NAME"] ?? DefaultServiceName;
        var version = typeof(ServiceTelemetryExtensions).Assembly.GetName().Version?.ToString();
        var otel = builder.Services.AddOpenTelemetry()
            .ConfigureResource(resource => resource.AddService(serviceName, serviceVersion: version));

        otel.WithMetrics(metrics =>
        {
            metrics
                .AddMeter(CdsTelemetry.SourceName)
                // Built-in .NET 9+ runtime meter: GC heap, CPU, thread pool (the runbook's memory and saturation alerts).
                .AddMeter("System.Runtime")
                .AddAspNetCoreInstrumentation()
                .AddHttpClientInstrumentation();
            if (settings.OtlpEnabled)
            {
                metrics.AddOtlpExporter(options => settings.ApplyOtlp(options, "v1/metrics"));
            }

            if (settings.PrometheusEnabled)
            {
                metrics.AddPrometheusExporter();
            }
        });

        if (settings.OtlpEnabled)
        {
            otel.WithTracing(tracing => tracing
                .AddSource(CdsTelemetry.SourceName)
                .AddAspNetCoreInstrumentation(options =>
                {
                    // Probes and scrapes are high-volume noise; the hook and feedback calls are what matter.
                    options.Filter = context => !IsOperationalPath(context.Request.Path);
                })
                .AddHttpClientInstrumentation(options =>
                {
                    // FHIR URLs carry patient ids in path and query; replace the recorded URL before export.
                    options.EnrichWithHttpRequestMessage = (activity, request) =>
                        activity.SetTag("url.full", FhirUrlRedaction.Redact(request.RequestUri));
                    options.RecordException = false;
                })
                .AddOtlpExporter(options => settings.ApplyOtlp(options, "v1/traces")));
        }

        return builder;
    }

    /// <summary>
    /// Maps the Prometheus scraping endpoint when enabled. It is anonymous for the scraper (it carries no PHI) and
    /// must be protected by the network: bind it to <c>Telemetry:Prometheus:Port</c> and allow that port only from the
    /// monitoring namespace (deploy/k8s NetworkPolicy); never route it through the public ingress.
    /// </summary>
    public static WebApplication MapServiceTelemetry(this WebApplication app)
    {
        ArgumentNullException.ThrowIfNull(app);
        var settings = app.Services.GetRequiredService<TelemetrySettings>();
        if (!settings.PrometheusEnabled)
        {
            return app;
        }

        if (settings.PrometheusPort is not { } port)
        {
            app.MapPrometheusScrapingEndpoint(PrometheusPath).AllowAnonymous();
            return app;
        }

        // The port the connection was accepted on, not the Host header: RequireHost("*:port") matches the header, which
        // the caller writes, so "Host: x:9464" on the public port was served the metrics.
        app.MapPrometheusScrapingEndpoint(
                PrometheusPath,
                meterProvider: null,
                configureBranchedPipeline: branch => branch.Use((context, next) =>
                {
                    if (context.Connection.LocalPort == port)
                    {
                        return next(context);
                    }

                    context.Response.StatusCode = StatusCodes.Status404NotFound;
                    return Task.CompletedTask;
                }),
                optionsName: null)
            .AllowAnonymous();
        return app;
    }

    /// <summary>
    /// Wraps the FHIR layer's <see cref="IPatientDataSource"/> with <see cref="InstrumentedPatientDataSource"/>, keeping
    /// that registration's lifetime; it must already be registered.
    /// </summary>
    public static IServiceCollection DecoratePatientDataSourceWithTelemetry(this IServiceCollection services) =>
        services.Decorate<IPatientDataSource>((sp, inner) => new InstrumentedPatientDataSource(
            inner,
            sp.GetRequiredService<CdsMetrics>(),
            sp.GetRequiredService<TimeProvider>()));

    internal static bool IsOperationalPath(PathString path) =>
        path.StartsWithSegments("/health", StringComparison.OrdinalIgnoreCase)
        || path.StartsWithSegments(PrometheusPath, StringComparison.OrdinalIgnoreCase);

    private sealed class CdsRequestTelemetryStartupFilter : IStartupFilter
    {
        public Action<IApplicationBuilder> Configure(Action<IApplicationBuilder> next) => app =>
        {
            app.UseMiddleware<CdsRequestTelemetryMiddleware>();
            next(app);
        };
    }
}

/// <summary>Telemetry configuration, read and validated once at start (a bad endpoint stops startup, style-anchors §5).</summary>
public sealed record TelemetrySettings(Uri? OtlpEndpoint, OtlpExportProtocol OtlpProtocol, bool PrometheusEnabled, int? PrometheusPort)
{
    public bool OtlpEnabled => OtlpEndpoint is not null;

    public static TelemetrySettings From(IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        var endpointText = configuration[ServiceTelemetryExtensions.OtlpEndpointKey];
        if (string.IsNullOrWhiteSpace(endpointText))
        {
            endpointText = configuration[ServiceTelemetryExtensions.StandardOtlpEndpointKey];
        }

        Uri? endpoint = null;
        if (!string.IsNullOrWhiteSpace(endpointText))
        {
            if (!Uri.TryCreate(endpointText, UriKind.Absolute, out endpoint)
                || (endpoint.Scheme != Uri.UriSchemeHttp && endpoint.Scheme != Uri.UriSchemeHttps))
            {
                throw new InvalidOperationException(
                    $"{ServiceTelemetryExtensions.OtlpEndpointKey} must be an absolute http(s) URL of an OTLP collector.");
            }
        }

        var protocol = configuration[ServiceTelemetryExtensions.OtlpProtocolKey]?.Trim().ToUpperInvariant() switch
        {
            null or "" or "GRPC" => OtlpExportProtocol.Grpc,
            "HTTP/PROTOBUF" => OtlpExportProtocol.HttpProtobuf,
            _ => throw new InvalidOperationException(
                $"{ServiceTelemetryExtensions.OtlpProtocolKey} must be 'grpc' or 'http/protobuf'."),
        };

        var prometheusEnabled = configuration.GetValue(ServiceTelemetryExtensions.PrometheusEnabledKey, false);
        var port = configuration.GetValue<int?>(ServiceTelemetryExtensions.PrometheusPortKey);
        if (port is < 1 or > 65535)
        {
            throw new InvalidOperationException($"{ServiceTelemetryExtensions.PrometheusPortKey} must be a TCP port (1-65535).");
        }

        return new TelemetrySettings(endpoint, protocol, prometheusEnabled, port);
    }

    internal void ApplyOtlp(OtlpExporterOptions options, string httpSignalPath)
    {
        if (OtlpEndpoint is null)
        {
            return;
        }

        options.Protocol = OtlpProtocol;
        // With http/protobuf an endpoint set in code is used as-is (no signal path appended), unlike the environment
        // variable; append it so one base URL works for both signals, as OTEL_EXPORTER_OTLP_ENDPOINT does.
        options.Endpoint = OtlpProtocol == OtlpExportProtocol.HttpProtobuf
            ? new Uri(OtlpEndpoint.AbsoluteUri.TrimEnd('/') + "/" + httpSignalPath)
            : OtlpEndpoint;
    }
}
