using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using CdsService.Api.Configuration;
using CdsService.Api.Logging;
using CdsService.Examples;
using CdsService.Protocol;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.Options;

namespace CdsService.Api.Preview;

/// <summary>One preview run: what was sent, and what the hook endpoint answered.</summary>
public sealed record PreviewRun
{
    public required ExampleScenario Scenario { get; init; }

    public required HookKind Hook { get; init; }

    public ExampleDraftOrder? DraftOrder { get; init; }

    public required ExampleRequest Request { get; init; }

    /// <summary>The URL invoked (also the token's aud).</summary>
    public required string Url { get; init; }

    /// <summary>HTTP status of the hook call; 0 when it could not be made.</summary>
    public int StatusCode { get; init; }

    /// <summary>The response body as JSON (cards, or an OperationOutcome), when it was JSON.</summary>
    public JsonNode? Response { get; init; }

    /// <summary>Why the call could not be made or read, in words for the page.</summary>
    public string? Error { get; init; }
}

/// <summary>
/// Runs a preview: builds the CDS Hooks request from an example patient (context + full prefetch, shared with the CLI
/// through <see cref="ExampleRequestBuilder"/>), signs a client JWT with the preview key, and POSTs it to the real
/// hook endpoint over HTTP — the same route, authentication, validation and pipeline an EHR call goes through.
/// Only the service's own listening address is ever called (never a Host header), so the page cannot be turned into
/// a request forwarder.
/// </summary>
public sealed class PreviewRunner(
    IHttpClientFactory httpClientFactory,
    PreviewSigningKey signingKey,
    PreviewExamples examples,
    IServer server,
    IOptions<CdsHooksOptions> cdsOptions,
    IOptions<PreviewOptions> previewOptions,
    TimeProvider time,
    ILogger<PreviewRunner> logger)
{
    public const string HttpClientName = "CdsPreview";

    public async Task<PreviewRun> RunAsync(ExampleScenario scenario, HookKind hook, ExampleDraftOrder? draftOrder, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(scenario);
        var now = time.GetUtcNow();
        var request = ExampleRequestBuilder.Build(
            examples.Library.LoadBundle(scenario.Id),
            new ExampleRequestOptions { Hook = hook, DraftOrder = hook == HookKind.PatientView ? null : draftOrder, Now = now });

        var path = $"{CdsRoutes.BasePath}/{request.ServiceId}";
        var baseUrl = ServiceBaseUrl();
        var run = new PreviewRun { Scenario = scenario, Hook = hook, DraftOrder = draftOrder, Request = request, Url = baseUrl is null ? path : baseUrl + path };
        if (baseUrl is null)
        {
            return run with { Error = "The preview could not find an http address this service listens on; set CdsHooks:Preview:ServiceBaseUrl." };
        }

        // aud is "the exact URL invoked" as the service will compute it: PublicBaseUrl + path behind a proxy,
        // otherwise the URL called (ClientTokenEvents.ExpectedAudience).
        var publicBase = cdsOptions.Value.PublicBaseUrl;
        var audience = string.IsNullOrWhiteSpace(publicBase) ? run.Url : publicBase.TrimEnd('/') + path;

        using var message = new HttpRequestMessage(HttpMethod.Post, new Uri(run.Url, UriKind.Absolute))
        {
            Content = new StringContent(request.Body.ToJsonString(), Encoding.UTF8, "application/json"),
        };
        message.Headers.Authorization = new AuthenticationHeaderValue("Bearer", signingKey.Mint(audience, now));
        message.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("application/json"));

        try
        {
            var client = httpClientFactory.CreateClient(HttpClientName);
            using var response = await client.SendAsync(message, cancellationToken);
            var text = await response.Content.ReadAsStringAsync(cancellationToken);
            Log.PreviewCalled(logger, request.ServiceId, (int)response.StatusCode);
            return run with { StatusCode = (int)response.StatusCode, Response = ParseOrNull(text) };
        }
        catch (HttpRequestException ex)
        {
            Log.PreviewCallFailed(logger, request.ServiceId, ex.GetType().Name);
            return run with { Error = $"The hook endpoint could not be reached at {run.Url} ({ex.HttpRequestError})." };
        }
        catch (TaskCanceledException ex) when (!cancellationToken.IsCancellationRequested)
        {
            Log.PreviewCallFailed(logger, request.ServiceId, ex.GetType().Name);
            return run with { Error = "The hook endpoint did not answer in time." };
        }
    }

    /// <summary>Where to call the service: configured, else Kestrel's first http (then https) address.</summary>
    internal string? ServiceBaseUrl()
    {
        if (!string.IsNullOrWhiteSpace(previewOptions.Value.ServiceBaseUrl))
        {
            return previewOptions.Value.ServiceBaseUrl.TrimEnd('/');
        }

        var addresses = server.Features.Get<IServerAddressesFeature>()?.Addresses ?? [];
        var candidates = addresses
            .Select(a => Uri.TryCreate(a.Replace("://+", "://localhost", StringComparison.Ordinal).Replace("://*", "://localhost", StringComparison.Ordinal), UriKind.Absolute, out var uri) ? uri : null)
            .OfType<Uri>()
            .OrderBy(u => u.Scheme == Uri.UriSchemeHttp ? 0 : 1)
            .ToList();
        if (candidates.FirstOrDefault(u => u.Scheme == Uri.UriSchemeHttp || u.Scheme == Uri.UriSchemeHttps) is not { } address)
        {
            return null;
        }

        // A wildcard bind (0.0.0.0, [::]) is reachable on loopback; "localhost" keeps aud readable.
        var host = address.Host is "0.0.0.0" or "[::]" or "::" ? "localhost" : address.Host;
        return new UriBuilder(address.Scheme, host, address.Port).Uri.GetLeftPart(UriPartial.Authority);
    }

    private static JsonNode? ParseOrNull(string text)
    {
        try
        {
            return string.IsNullOrWhiteSpace(text) ? null : JsonNode.Parse(text);
        }
        catch (JsonException)
        {
            return null;
        }
    }
}

/// <summary>The example library the preview serves, loaded once at first use.</summary>
public sealed class PreviewExamples(IOptions<PreviewOptions> options, IHostEnvironment environment)
{
    private readonly Lazy<ExampleLibrary> library = new(() =>
    {
        var configured = options.Value.ExamplesPath;
        var directory = !string.IsNullOrWhiteSpace(configured)
            ? configured
            : ExampleLibrary.FindDirectory(environment.ContentRootPath, AppContext.BaseDirectory)
              ?? throw new InvalidOperationException(
                  $"The example patients ({ExampleLibrary.RepositoryRelativePath}) were not found above the content root; set {PreviewOptions.SectionName}:ExamplesPath.");
        return ExampleLibrary.FromDirectory(directory);
    });

    public ExampleLibrary Library => library.Value;
}
