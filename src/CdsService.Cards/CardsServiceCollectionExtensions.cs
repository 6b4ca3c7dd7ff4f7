using CdsService.Cards;
using Microsoft.Extensions.Configuration;

namespace Microsoft.Extensions.DependencyInjection;

public static class CardsServiceCollectionExtensions
{
    /// <summary>
    /// Registers the <see cref="CardComposer"/> (stateless, so a singleton). The public base URL comes from
    /// <c>CdsHooks:PublicBaseUrl</c> (docs/configuration.md), the same setting used for JWT <c>aud</c>, so card links point at the
    /// address the EHR already calls; when it is unset the Api passes <see cref="CardRequest.RequestBaseUrl"/>.
    /// </summary>
    public static IServiceCollection AddHypogonadismCards(this IServiceCollection services, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);

        services.AddOptions<CardComposerOptions>().Configure(options =>
        {
            if (configuration["CdsHooks:PublicBaseUrl"] is { Length: > 0 } url)
            {
                options.PublicBaseUrl = new Uri(url, UriKind.Absolute);
            }
        });
        services.AddSingleton<CardComposer>();
        return services;
    }
}
