using CdsService.Fhir.Data;
using CdsService.Fhir.Mapping;
using CdsService.Fhir.Terminology;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Http.Resilience;
using Microsoft.Extensions.Options;
using Polly;

namespace Microsoft.Extensions.DependencyInjection;

public static class FhirDataLayerServiceCollectionExtensions
{
    /// <summary>
    /// Registers the FHIR data layer: terminology, draft-order reader, <see cref="CdsService.Fhir.Data.IPatientDataSource"/>
    /// and the resilient, redirect-free HttpClient it uses. Options come from the <c>Fhir</c> section and are
    /// validated on start. The host decides <see cref="FhirDataOptions.AllowHttpLoopback"/> (never in Production).
    /// </summary>
    public static IServiceCollection AddFhirDataLayer(this IServiceCollection services, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        services.AddOptions<FhirDataOptions>()
            .Bind(configuration.GetSection(FhirDataOptions.SectionName))
            .ValidateDataAnnotations()
            .Validate(o => o.AttemptTimeout <= o.Deadline, "Fhir:AttemptTimeout must not exceed Fhir:Deadline.")
            .ValidateOnStart();
        if (!OutboundAddressGuard.AreNetworks(configuration.GetSection($"{OutboundAddressGuard.SectionName}:AllowedPrivateNetworks").Get<string[]>() ?? []))
        {
            throw new InvalidOperationException("Outbound:AllowedPrivateNetworks entries must be CIDR networks such as 127.0.0.0/8 or 10.20.0.0/16.");
        }

        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton(_ => TerminologyCatalog.Default);
        services.TryAddSingleton<DraftOrderReader>();
        services.TryAddSingleton<IPatientDataSource, FhirPatientDataSource>();

        services.TryAddSingleton(_ => new OutboundAddressGuard(
            configuration.GetSection($"{OutboundAddressGuard.SectionName}:AllowedPrivateNetworks").Get<string[]>() ?? []));
        services.AddHttpClient(FhirPatientDataSource.HttpClientName)
            // The default HttpClient logging writes request URLs, and every FHIR query URL holds the patient id.
            .RemoveAllLoggers()
            .ConfigurePrimaryHttpMessageHandler(sp => new SocketsHttpHandler
            {
                // Never follow a redirect: it could lead the bearer token to another host (docs/security.md §4).
                AllowAutoRedirect = false,
                AutomaticDecompression = System.Net.DecompressionMethods.All,
                PooledConnectionLifetime = TimeSpan.FromMinutes(5),
                ConnectTimeout = TimeSpan.FromSeconds(2),
                // The address is checked after resolution, on every new connection (DNS rebinding, docs/security.md §4).
                ConnectCallback = sp.GetRequiredService<OutboundAddressGuard>().ConnectAsync,
            })
            .AddResilienceHandler("fhir", static (builder, context) =>
            {
                var options = context.ServiceProvider.GetRequiredService<IOptions<FhirDataOptions>>().Value;
                if (options.MaxRetries > 0)
                {
                    // Default ShouldHandle: 5xx, 408, 429, HttpRequestException and attempt timeouts. GETs only.
                    builder.AddRetry(new HttpRetryStrategyOptions
                    {
                        MaxRetryAttempts = options.MaxRetries,
                        BackoffType = DelayBackoffType.Constant,
                        Delay = TimeSpan.FromMilliseconds(50),
                        UseJitter = true,
                    });
                }

                builder.AddTimeout(options.AttemptTimeout);
            });

        return services;
    }
}
