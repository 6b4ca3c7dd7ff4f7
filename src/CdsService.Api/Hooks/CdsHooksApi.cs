using System.Text.Json;
using CdsService.Api.Configuration;
using CdsService.Api.Errors;
using CdsService.Api.Logging;
using CdsService.Api.Security;
using CdsService.Fhir.Data;
using CdsService.Fhir.Prefetch;
using CdsService.Protocol;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;

namespace CdsService.Api.Hooks;

/// <summary>
/// The CDS Hooks 2.0 HTTP surface: discovery and hook calls, on the group that feedback (<c>MapCdsFeedback</c>) joins.
/// Every route needs a trusted client JWT (set once on the group); handlers are named static methods with typed results,
/// so the contract is visible in their signatures.
/// </summary>
public static class CdsHooksApi
{
    public static IHostApplicationBuilder AddCdsHooks(this IHostApplicationBuilder builder)
    {
        builder.Services.ConfigureHttpJsonOptions(o => CdsJson.Apply(o.SerializerOptions));
        // Scoped: its observers include the per-request audit record (HookAuditRecord).
        builder.Services.AddScoped<IHookPipeline, HookPipeline>();
        return builder;
    }

    public static RouteGroupBuilder MapCdsHooks(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup(CdsRoutes.BasePath)
            .RequireAuthorization()
            .WithTags("CDS Hooks");

        group.MapGet("", GetDiscovery)
            .WithCdsRoute(CdsRoutes.DiscoveryEndpoint)
            .WithName("Discovery")
            .WithSummary("CDS Hooks discovery: the three hypogonadism services and their prefetch templates.");

        group.MapPost($"/{{{CdsRoutes.ServiceIdParameter}}}", CallServiceAsync)
            .WithCdsRoute(CdsRoutes.HookEndpoint)
            .WithName("CallService")
            .WithSummary("Invoke a service for a hook; 200 with cards, 400/404/412/413 with an OperationOutcome.")
            .Accepts<JsonElement>("application/json");

        return group;
    }

    // Discovery and the request reader declare the FHIR layer's prefetch catalogue: the same queries it runs when a key is
    // absent (spec 2.0 §Prefetch), so what is asked for and what is fetched cannot drift.
    private static readonly DiscoveryResponse Discovery = CdsServiceCatalog.CreateDiscovery(PrefetchCatalog.All);

    public static Ok<DiscoveryResponse> GetDiscovery() => TypedResults.Ok(Discovery);

    public static async Task<Results<Ok<CdsResponse>, OperationOutcomeHttpResult>> CallServiceAsync(
        string id,
        HttpContext httpContext,
        IHookPipeline pipeline,
        IOptions<LimitOptions> limits,
        IOptions<CdsHooksOptions> options,
        ILogger<HookPipeline> logger,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(httpContext);
        ArgumentNullException.ThrowIfNull(limits);
        ArgumentNullException.ThrowIfNull(options);
        if (!CdsServiceCatalog.TryGet(id, out var service))
        {
            Log.UnknownService(logger);
            return UnknownService();
        }

        var body = await JsonBodyReader.ReadAsync(httpContext, limits.Value.MaxRequestBodyBytes, limits.Value.MaxJsonDepth, cancellationToken);
        if (body.Error is { } bodyError)
        {
            Log.HookRequestRejected(logger, service.Id, bodyError.StatusCode, bodyError.Issues.Count);
            return bodyError;
        }

        var read = HookRequestReader.Read(body.Document!.RootElement, service, PrefetchCatalog.All);
        if (read.Request is not { } request)
        {
            Log.HookRequestRejected(logger, service.Id, StatusCodes.Status400BadRequest, read.Issues.Count);
            return OperationOutcomeHttpResult.Create(StatusCodes.Status400BadRequest, read.Issues);
        }

        var outcome = await pipeline.RunAsync(request, httpContext.GetCallerTrust(), ServiceBaseUrl(httpContext, options.Value), cancellationToken);
        if (outcome.Response is { } response)
        {
            Log.HookCallAnswered(logger, service.Id, request.HookInstance, response.Cards.Count);
            return TypedResults.Ok(response);
        }

        // Spec §Prefetch: "If the CDS Service is unable to obtain required data because it cannot access the FHIR
        // server and the request did not contain the necessary prefetch keys, the service SHALL respond with 412".
        if (outcome.FailureKind == PatientDataFailureKind.MissingPrefetch)
        {
            Log.PrefetchMissingWithoutFhirServer(logger, service.Id, request.HookInstance, string.Join(',', outcome.MissingKeys));
            return MissingPrefetch(outcome.FailureMessage, outcome.MissingKeys);
        }

        if (outcome.FailureKind == PatientDataFailureKind.FhirServerNotAllowed)
        {
            Log.PrefetchMissingFhirServerNotAllowed(logger, service.Id, request.HookInstance, string.Join(',', outcome.MissingKeys));
        }

        return OperationOutcomeHttpResult.Create(
            StatusCodes.Status412PreconditionFailed,
            [OperationOutcomeHttpResult.Issue(
                IssueType.Processing,
                outcome.FailureMessage ?? "The patient's data could not be obtained.",
                [.. outcome.MissingKeys.Select(k => $"prefetch.{k}")])]);
    }

    /// <summary>404 for a service id that is not in discovery (hook calls and feedback alike).</summary>
    public static OperationOutcomeHttpResult UnknownService() => OperationOutcomeHttpResult.Create(
        StatusCodes.Status404NotFound,
        IssueType.NotFound,
        "No CDS service with this id; GET /cds-services lists the services.");

    /// <summary>
    /// The service's base URL as the EHR sees it (CdsHooks:PublicBaseUrl behind a proxy, else this request's scheme,
    /// host and path base), so card links are absolute and reachable from the EHR (spec §Link: url is absolute).
    /// </summary>
    private static Uri ServiceBaseUrl(HttpContext httpContext, CdsHooksOptions options)
    {
        if (!string.IsNullOrWhiteSpace(options.PublicBaseUrl))
        {
            return new Uri(options.PublicBaseUrl.TrimEnd('/') + "/", UriKind.Absolute);
        }

        var request = httpContext.Request;
        return new Uri($"{request.Scheme}://{request.Host.ToUriComponent()}{request.PathBase.ToUriComponent()}/", UriKind.Absolute);
    }

    private static OperationOutcomeHttpResult MissingPrefetch(string? reason, IReadOnlyList<string> missing) => OperationOutcomeHttpResult.Create(
        StatusCodes.Status412PreconditionFailed,
        [OperationOutcomeHttpResult.Issue(
            IssueType.Processing,
            (reason ?? $"Required prefetch is missing ({string.Join(", ", missing)}) and no fhirServer was given to fetch it from.") +
            " Send the prefetch keys listed in discovery, or a fhirServer with fhirAuthorization.",
            [.. missing.Select(k => $"prefetch.{k}")])]);
}
