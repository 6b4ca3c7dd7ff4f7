using CdsService.Api.Configuration;
using CdsService.Api.Logging;
using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Cors.Infrastructure;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.Tokens;

namespace CdsService.Api.Security;

public static class SecurityExtensions
{
    /// <summary>
    /// Client trust per CDS Hooks §Trusting CDS Clients: JwtBearer with keys resolved per configured client, a global
    /// "authenticated" fallback policy (secure by default: a new endpoint is protected unless it opts out), and CORS
    /// for the configured browser origins.
    /// </summary>
    public static IHostApplicationBuilder AddClientTrust(this IHostApplicationBuilder builder)
    {
        var services = builder.Services;
        services.TryAddSingleton(TimeProvider.System);
        services.AddSingleton<ClientRegistry>();
        services.AddSingleton<IValidateOptions<CdsHooksOptions>, PublishedKeyValidator>();
        services.AddSingleton<JwksCache>();
        services.AddSingleton<JkuListCache>();
        services.AddSingleton<ClientAuthFailureLog>();
        services.AddReplayCache();   // Redis when ConnectionStrings:Redis is set, else in-memory (ReplayCacheExtensions)
        services.AddScoped<ClientTokenEvents>();
        services.AddHostedService<ClientTrustStartupLog>();
        services.AddHostedService<ClientKeySetPreload>();

        services.AddHttpClient(JwksCache.HttpClientName, client =>
            {
                client.Timeout = ClientTokenRules.KeySetFetchTimeout;
                client.MaxResponseContentBufferSize = ClientTokenRules.KeySetMaxBytes;
            })
            .ConfigurePrimaryHttpMessageHandler(sp => new SocketsHttpHandler { AllowAutoRedirect = false, UseCookies = false, ConnectCallback = sp.GetRequiredService<CdsService.Fhir.Data.OutboundAddressGuard>().ConnectAsync });

        services.AddAuthentication(JwtBearerDefaults.AuthenticationScheme).AddJwtBearer();
        services.AddOptions<JwtBearerOptions>(JwtBearerDefaults.AuthenticationScheme)
            .Configure<ClientRegistry, JwksCache, TimeProvider>((jwt, registry, keys, time) =>
            {
                jwt.MapInboundClaims = false;
                jwt.IncludeErrorDetails = false;
                jwt.SaveToken = false;
                jwt.RefreshOnIssuerKeyNotFound = false;
                jwt.EventsType = typeof(ClientTokenEvents);
                jwt.TokenValidationParameters = new TokenValidationParameters
                {
                    ValidateIssuer = true,
                    ValidIssuers = [.. registry.Issuers],

                    // aud must equal the exact URL invoked, which the library cannot see; ClientTokenEvents checks it.
                    ValidateAudience = false,
                    ValidateLifetime = true,
                    RequireExpirationTime = true,
                    ClockSkew = ClientTokenRules.ClockSkew,
                    LifetimeValidator = (notBefore, expires, _, _) => ClientTokenRules.ValidateLifetime(notBefore, expires, time),
                    RequireSignedTokens = true,
                    ValidAlgorithms = ClientTokenRules.AllowedAlgorithms,
                    TypeValidator = (type, _, _) => ClientTokenRules.ValidateType(type),
                    TryAllIssuerSigningKeys = false,
                    IssuerSigningKeyResolver = (_, token, kid, _) => keys.CachedKeys(registry, token, kid),
                };
            });

        services.AddAuthorizationBuilder()
            .SetFallbackPolicy(new AuthorizationPolicyBuilder(JwtBearerDefaults.AuthenticationScheme).RequireAuthenticatedUser().Build());

        // The sandbox and other browser-based clients send a preflight without credentials; the CORS middleware
        // answers it before authentication runs.
        services.AddCors();
        services.AddSingleton<CorsRefusalLog>();
        services.AddOptions<CorsOptions>().Configure<IOptions<CdsHooksOptions>, CorsRefusalLog>((cors, cds, refusals) =>
        {
            string[] origins = [.. cds.Value.AllowedOrigins.Select(o => o.TrimEnd('/'))];
            cors.AddDefaultPolicy(policy => policy
                .WithOrigins(origins)
                // The exact-origin check WithOrigins makes (scheme and host are case-insensitive, RFC 6454 §4), plus
                // one log line per refused origin.
                .SetIsOriginAllowed(origin => origins.Contains(origin, StringComparer.OrdinalIgnoreCase) || refusals.Refuse(origin, origins))
                .WithMethods(HttpMethods.Get, HttpMethods.Post)
                .WithHeaders("Authorization", "Content-Type")
                .SetPreflightMaxAge(TimeSpan.FromMinutes(10)));
        });
        return builder;
    }
}

/// <summary>Says at start what the service trusts: a warning when it trusts nobody, and when the dev sandbox key is trusted.</summary>
public sealed class ClientTrustStartupLog(ClientRegistry registry, IHostEnvironment environment, ILogger<ClientTrustStartupLog> logger) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken)
    {
        var configured = registry.Clients.Count(c => !c.DevelopmentOnly);
        if (registry.Clients.Count == 0)
        {
            Log.NoClientsConfigured(logger, environment.EnvironmentName);
        }

        foreach (var client in registry.Clients.Where(c => c.DevelopmentOnly))
        {
            Log.DevelopmentIssuerTrusted(logger, client.Issuer);
        }

        Log.ClientTrustReady(logger, configured);
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}

/// <summary>
/// Loads the configured clients' local JWK Sets (files, the embedded dev set) in the background at start
/// (<see cref="JwksCache.PreloadLocalKeySetsAsync"/>), while the host finishes starting, instead of in the first call.
/// </summary>
public sealed class ClientKeySetPreload(ClientRegistry registry, JwksCache keys) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        foreach (var client in registry.Clients)
        {
            await keys.PreloadLocalKeySetsAsync(client, stoppingToken);
        }
    }
}
