using System.Diagnostics;
using CdsService.Protocol;

namespace CdsService.Api.Telemetry;

/// <summary>
/// Names and bounded vocabularies shared by the service's traces and metrics. Every attribute value the service attaches
/// comes from a fixed list in this class (service id, hook, endpoint, prefetch key, card indicator, outcome) or is an
/// HTTP status code: no patient id, name, lab value, token or free text can become a span or metric attribute
/// (docs/security.md §6.1: telemetry leaves the process like logs do, so it carries no PHI). Fixed lists also bound metric cardinality, so a caller sending
/// arbitrary service ids cannot inflate the time-series count.
/// </summary>
public static class CdsTelemetry
{
    /// <summary>The one ActivitySource and Meter name of this service (hook, engine and FHIR spans; CdsMetrics instruments).</summary>
    public const string SourceName = "CdsService";

    /// <summary>Spans for hook, engine and patient-data work. Static, as the .NET guidance for ActivitySource recommends.</summary>
    public static ActivitySource ActivitySource { get; } = new(SourceName);

    public const string UnknownValue = "unknown";

    // Attribute keys: OpenTelemetry semantic conventions where one exists, the "cds." namespace otherwise.
    public const string ServiceIdTag = "cds.service_id";
    public const string HookTag = "cds.hook";
    public const string EndpointTag = "cds.endpoint";
    public const string IndicatorTag = "cds.card.indicator";
    public const string CompletenessTag = "cds.prefetch.completeness";
    public const string PrefetchKeyTag = "cds.prefetch.key";
    public const string PrefetchStateTag = "cds.prefetch.state";
    public const string OutcomeTag = "cds.outcome";
    public const string StatusCodeTag = "http.response.status_code";

    /// <summary>The three services of the discovery contract (CdsServiceCatalog); anything else is reported as "unknown".</summary>
    public static IReadOnlyDictionary<string, string> HookByServiceId { get; } = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        [CdsServiceCatalog.PatientViewId] = "patient-view",
        [CdsServiceCatalog.OrderSelectId] = "order-select",
        [CdsServiceCatalog.OrderSignId] = "order-sign",
    };

    /// <summary>A service id safe to use as an attribute: one of the known ids, else "unknown".</summary>
    public static string NormalizeServiceId(string? serviceId) =>
        serviceId is not null && HookByServiceId.ContainsKey(serviceId) ? serviceId : UnknownValue;

    /// <summary>
    /// A prefetch key safe to use as an attribute. The keys reaching telemetry are the ones the service declares
    /// (<see cref="HookRequest.Prefetch"/> is built from the declaration, not from the caller's JSON), so the set is
    /// already bounded; the shape check (a short identifier, as every key in PrefetchCatalog is) is defence in depth.
    /// Deliberately not a lookup in PrefetchCatalog: telemetry must keep working even if the catalogue failed to load.
    /// </summary>
    public static string NormalizePrefetchKey(string? key) =>
        key is { Length: > 0 and <= 40 } && char.IsAsciiLetter(key[0]) && key.All(char.IsAsciiLetterOrDigit) ? key : UnknownValue;

    public static string ToTagValue(this HookKind hook) => hook switch
    {
        HookKind.PatientView => "patient-view",
        HookKind.OrderSelect => "order-select",
        HookKind.OrderSign => "order-sign",
        _ => UnknownValue,
    };

    public static string ToTagValue(this CardIndicator indicator) => indicator switch
    {
        CardIndicator.Info => "info",
        CardIndicator.Warning => "warning",
        CardIndicator.Critical => "critical",
        _ => UnknownValue,
    };

    public static string ToTagValue(this PrefetchState state) => state switch
    {
        PrefetchState.Absent => "absent",
        PrefetchState.Null => "null",
        PrefetchState.OperationOutcome => "operation-outcome",
        PrefetchState.Present => "present",
        _ => UnknownValue,
    };

    /// <summary>
    /// Starts the span around the clinical engine. The engine is pure C# (CdsService.Clinical has no diagnostics
    /// dependency by design), so the Api wraps the call: <c>using var span = CdsTelemetry.StartEngine(request.ServiceId);</c>.
    /// Returns null when nothing listens (no exporter configured), which costs nothing.
    /// </summary>
    public static Activity? StartEngine(string serviceId)
    {
        var activity = ActivitySource.StartActivity("cds.engine", ActivityKind.Internal);
        activity?.SetTag(ServiceIdTag, NormalizeServiceId(serviceId));
        return activity;
    }
}
