using Microsoft.AspNetCore.Diagnostics;

namespace CdsService.Api;

/// <summary>
/// The CDS Hooks routes (spec 2.0 §Discovery, §Calling a CDS Service, §Feedback) as every part of the host needs to
/// recognise them: errors (OperationOutcome only on these routes, ADR-0001), audit, rate limiting and telemetry.
/// </summary>
/// <remarks>
/// A request is classified by the endpoint routing matched (its <see cref="CdsRouteMetadata"/>), never by comparing the
/// raw path: routing matches case-insensitively, so <c>POST /CDS-SERVICES/{id}</c> reaches the hook endpoint, and an
/// ordinal path test let such a call escape the audit trail, the hook metrics and the redacted error handler.
/// </remarks>
public static class CdsRoutes
{
    public const string BasePath = "/cds-services";

    /// <summary>The route parameter holding the service id in every CDS route template.</summary>
    public const string ServiceIdParameter = "id";

    public const string HookEndpoint = "hook";
    public const string FeedbackEndpoint = "feedback";
    public const string DiscoveryEndpoint = "discovery";
    public const string OtherEndpoint = "other";

    /// <summary>
    /// Which CDS route the request matched, and its service id. Works in middleware after routing and after the
    /// exception handler has cleared the endpoint (it keeps the matched one in <see cref="IExceptionHandlerFeature"/>).
    /// Before routing ran, or when no CDS endpoint matched, it is <see cref="OtherEndpoint"/>.
    /// </summary>
    public static (string Endpoint, string? ServiceId) Classify(HttpContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var handled = context.Features.Get<IExceptionHandlerFeature>();
        var endpoint = context.GetEndpoint() ?? handled?.Endpoint;
        if (endpoint?.Metadata.GetMetadata<CdsRouteMetadata>() is not { } route)
        {
            return (OtherEndpoint, null);
        }

        var id = context.Request.RouteValues[ServiceIdParameter] ?? handled?.RouteValues?[ServiceIdParameter];
        return (route.Endpoint, id as string);
    }

    /// <summary>
    /// Whether errors on this request are answered as OperationOutcome (ADR-0001): a matched CDS endpoint, or no
    /// endpoint at all (unknown path, wrong method) under the CDS base path compared as routing compares it, ignoring
    /// case, so <c>/Cds-Services/x/y</c> is answered like <c>/cds-services/x/y</c>.
    /// </summary>
    public static bool IsCdsRoute(HttpContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        return Classify(context).Endpoint != OtherEndpoint
            || context.Request.Path.StartsWithSegments(BasePath, StringComparison.OrdinalIgnoreCase);
    }

    /// <summary>Marks an endpoint as one of the CDS routes (<see cref="CdsRouteMetadata"/>).</summary>
    public static TBuilder WithCdsRoute<TBuilder>(this TBuilder builder, string endpoint)
        where TBuilder : IEndpointConventionBuilder =>
        builder.WithMetadata(new CdsRouteMetadata(endpoint));
}

/// <summary>Endpoint metadata naming which CDS route an endpoint is (<see cref="CdsRoutes.HookEndpoint"/>, …).</summary>
public sealed record CdsRouteMetadata(string Endpoint);
