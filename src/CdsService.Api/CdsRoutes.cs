namespace CdsService.Api;

/// <summary>
/// The CDS Hooks routes (spec 2.0 §Discovery, §Calling a CDS Service, §Feedback) as every part of the host needs to
/// recognise them: errors (OperationOutcome only on these routes, ADR-0001), audit, rate limiting and telemetry.
/// </summary>
public static class CdsRoutes
{
    public const string BasePath = "/cds-services";

    public const string HookEndpoint = "hook";
    public const string FeedbackEndpoint = "feedback";
    public const string DiscoveryEndpoint = "discovery";
    public const string OtherEndpoint = "other";

    private static readonly PathString ServicesRoot = new(BasePath);

    public static bool IsCdsRoute(PathString path) => path.StartsWithSegments(BasePath, StringComparison.Ordinal);

    /// <summary>
    /// Maps a request path onto the CDS Hooks routes. The service id is read from the path rather than from route values
    /// so it does not depend on how the endpoints name their parameters, and it is known to middleware that runs before
    /// routing (authentication's 401s, the rate limiter's 429s).
    /// </summary>
    public static (string Endpoint, string? ServiceId) Classify(PathString path)
    {
        if (!path.StartsWithSegments(ServicesRoot, StringComparison.Ordinal, out var rest))
        {
            return (OtherEndpoint, null);
        }

        var segments = (rest.Value ?? string.Empty).Split('/', StringSplitOptions.RemoveEmptyEntries);
        return segments switch
        {
            [] => (DiscoveryEndpoint, null),
            [var id] => (HookEndpoint, id),
            [var id, "feedback"] => (FeedbackEndpoint, id),
            _ => (OtherEndpoint, null),
        };
    }
}
