using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace CdsService.Api.Configuration;

public static class ConfigurationExtensions
{
    /// <summary>Binds <c>CdsHooks</c> and validates it at start (style anchor §3.5): a bad safety setting stops startup.</summary>
    public static IHostApplicationBuilder AddCdsConfiguration(this IHostApplicationBuilder builder)
    {
        // No "Server: Kestrel" on every answer: it tells a scanner which server and CVE list to try, and no client needs it.
        builder.Services.Configure<KestrelServerOptions>(kestrel => kestrel.AddServerHeader = false);

        builder.Services.AddSingleton<IValidateOptions<CdsHooksOptions>, CdsHooksOptionsValidator>();
        builder.Services.AddOptions<CdsHooksOptions>()
            .BindConfiguration(CdsHooksOptions.SectionName)
            .ValidateDataAnnotations()
            .ValidateOnStart();

        // Nested objects are not walked by ValidateDataAnnotations; validate the limits (ranges) explicitly.
        builder.Services.AddOptions<LimitOptions>()
            .BindConfiguration($"{CdsHooksOptions.SectionName}:Limits")
            .ValidateDataAnnotations()
            .ValidateOnStart();

        // Kestrel enforces the same body limit as the hook reader, so an oversized chunked body is cut off early.
        builder.Services.AddOptions<KestrelServerOptions>()
            .Configure<IOptions<LimitOptions>>((kestrel, limits) =>
            {
                kestrel.Limits.MaxRequestBodySize = limits.Value.MaxRequestBodyBytes;
                kestrel.Limits.MaxConcurrentConnections = limits.Value.MaxConcurrentConnections;
            });

        builder.Services.TryAddSingleton(TimeProvider.System);
        return builder;
    }
}
