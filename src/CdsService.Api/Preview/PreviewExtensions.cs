using System.Net.Mime;
using CdsService.Api.Configuration;
using CdsService.Api.Logging;
using CdsService.Clinical.Hypogonadism;
using CdsService.Clinical.Model;
using CdsService.Examples;
using CdsService.Protocol;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;

namespace CdsService.Api.Preview;

/// <summary>
/// Wires the preview page (docs/integration/preview-and-cli.md): <c>builder.AddPreview()</c> before <c>Build()</c>, <c>app.MapPreview()</c> after
/// the other endpoints. Enabled by <c>CdsHooks:Preview:Enabled</c>, which defaults to on in Development only; when
/// disabled nothing is registered — no key, no trusted preview client, no route.
/// </summary>
public static class PreviewExtensions
{
    public const string Path = "/preview";

    /// <summary>
    /// Registers the preview when enabled: an in-memory ES384 key whose public half is added to
    /// <c>CdsHooks:Clients</c> as issuer <see cref="PreviewSigningKey.Issuer"/>, the runner and its HTTP client.
    /// </summary>
    /// <exception cref="InvalidOperationException">Enabled in Production: refused, so the service does not start.</exception>
    public static IHostApplicationBuilder AddPreview(this IHostApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);

        // The dev signing key is never enabled in Production (docs/integration/preview-and-cli.md). A key the service mints its own tokens with
        // would let anyone who reaches /preview make trusted hook calls. Checked twice: now (configuration known
        // when the builder was created) and again at start (sources added later, e.g. by a test host).
        var productionRefusal =
            $"{PreviewOptions.SectionName}:Enabled=true is refused in Production: the preview trusts a signing key held by the service itself. " +
            "Remove the setting (the preview is a Development tool).";
        var isProduction = builder.Environment.IsProduction();
        builder.Services.AddOptions<PreviewOptions>()
            .BindConfiguration(PreviewOptions.SectionName)
            .Validate(o => !(isProduction && o.Enabled == true), productionRefusal)
            .ValidateOnStart();

        var enabled = builder.Configuration.GetSection(PreviewOptions.SectionName).GetValue<bool?>(nameof(PreviewOptions.Enabled))
            ?? builder.Environment.IsDevelopment();
        if (!enabled)
        {
            return builder;
        }

        if (isProduction)
        {
            throw new InvalidOperationException(productionRefusal);
        }

        var key = new PreviewSigningKey();
        builder.Services.AddSingleton(key);
        builder.Services.PostConfigure<CdsHooksOptions>(options =>
        {
            if (!options.Clients.Any(c => c.Issuer == PreviewSigningKey.Issuer))
            {
                options.Clients.Add(new CdsClientOptions { Issuer = PreviewSigningKey.Issuer, JwksFile = key.JwksFile });
            }
        });
        builder.Services.AddSingleton<PreviewExamples>();
        builder.Services.AddScoped<PreviewRunner>();
        builder.Services.AddHttpClient(PreviewRunner.HttpClientName, client => client.Timeout = TimeSpan.FromSeconds(30))
            .ConfigurePrimaryHttpMessageHandler(() => new SocketsHttpHandler { AllowAutoRedirect = false, UseCookies = false, UseProxy = false });
        return builder;
    }

    /// <summary>Maps <c>GET /preview</c> and a redirect from <c>/</c> when the preview is enabled; otherwise nothing.</summary>
    public static IEndpointRouteBuilder MapPreview(this IEndpointRouteBuilder app)
    {
        ArgumentNullException.ThrowIfNull(app);
        if (app.ServiceProvider.GetService<PreviewSigningKey>() is not { } key)
        {
            return app;
        }

        Log.PreviewEnabled(app.ServiceProvider.GetRequiredService<ILogger<PreviewRunner>>(), key.KeyId, PreviewSigningKey.Issuer);
        app.ServiceProvider.GetRequiredService<IHostApplicationLifetime>().ApplicationStopped.Register(key.Dispose);

        // The page is for people, not CDS clients: no client JWT (the fallback policy would demand one).
        app.MapGet("/", () => TypedResults.Redirect(Path)).AllowAnonymous().ExcludeFromDescription();
        app.MapGet(Path, GetPageAsync).AllowAnonymous().ExcludeFromDescription();
        // Browsers ask for /favicon.ico on every visit; unanswered it went through the client-JWT fallback policy and
        // logged a 401 warning each time. Anonymous like the page, cached for a day.
        app.MapGet("/favicon.ico", (HttpContext context) =>
        {
            context.Response.Headers.CacheControl = "public, max-age=86400";
            return TypedResults.File(PreviewFavicon.Bytes, "image/x-icon");
        }).AllowAnonymous().ExcludeFromDescription();
        return app;
    }

    internal static async Task<ContentHttpResult> GetPageAsync(
        string? example,
        string? hook,
        string? order,
        HttpContext httpContext,
        PreviewExamples examples,
        PreviewRunner runner,
        IServiceProvider services,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(httpContext);
        ArgumentNullException.ThrowIfNull(examples);
        ArgumentNullException.ThrowIfNull(runner);

        // The thresholds the engine is configured with when the Api binds them (section "Clinical"), else its defaults.
        var thresholds = services.GetService<IOptions<ClinicalThresholds>>()?.Value ?? ClinicalThresholds.Default;
        var headers = httpContext.Response.Headers;

        // No script at all; inline styles and the inline SVG only. A second line of defence behind HTML encoding.
        headers.ContentSecurityPolicy = "default-src 'none'; style-src 'unsafe-inline'; img-src 'self' data:; form-action 'self'; base-uri 'none'; frame-ancestors 'none'";
        headers.XContentTypeOptions = "nosniff";
        headers.CacheControl = "no-store";

        var library = examples.Library;
        if (string.IsNullOrEmpty(example))
        {
            return Html(PreviewPage.Render(library, null, thresholds, "Pick an example patient and call the service."));
        }

        if (library.Find(example) is not { } scenario)
        {
            return Html(PreviewPage.Render(library, null, thresholds, "Unknown example patient."), StatusCodes.Status404NotFound);
        }

        // Empty selects mean "the example's own hook and order" (scenarios.json).
        var hookCode = string.IsNullOrEmpty(hook) ? scenario.Hook : hook;
        if (!WireCodes.TryParse<HookKind>(hookCode, out var hookKind))
        {
            return Html(PreviewPage.Render(library, null, thresholds, "Unknown hook."), StatusCodes.Status400BadRequest);
        }

        var orderCode = string.IsNullOrEmpty(order) ? scenario.DraftOrder : order;
        ExampleDraftOrder? draftOrder = null;
        if (hookKind != HookKind.PatientView)
        {
            // A patient-view example asked for with an order hook gets the first drug unless one is chosen.
            if (string.IsNullOrEmpty(orderCode))
            {
                draftOrder = ExampleDraftOrder.TestosteroneCypionate;
            }
            else if (ExampleDraftOrders.TryParse(orderCode, out var parsed))
            {
                draftOrder = parsed;
            }
            else
            {
                return Html(PreviewPage.Render(library, null, thresholds, "Unknown draft order."), StatusCodes.Status400BadRequest);
            }
        }

        var run = await runner.RunAsync(scenario, hookKind, draftOrder, cancellationToken);
        return Html(PreviewPage.Render(library, run, thresholds));
    }

    private static ContentHttpResult Html(string html, int statusCode = StatusCodes.Status200OK) =>
        TypedResults.Content(html, MediaTypeNames.Text.Html + "; charset=utf-8", System.Text.Encoding.UTF8, statusCode);
}
