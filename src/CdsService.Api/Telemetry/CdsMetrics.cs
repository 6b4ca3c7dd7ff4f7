using System.Diagnostics.Metrics;
using CdsService.Fhir.Data;
using CdsService.Protocol;

namespace CdsService.Api.Telemetry;

/// <summary>How a prefetch compared with what the service declares (CDS Hooks 2.0 §Prefetch).</summary>
public enum PrefetchCompleteness
{
    /// <summary>Every declared key was answered (a resource/Bundle, or null = "looked, nothing there").</summary>
    Complete,

    /// <summary>Some keys were answered, others absent or an OperationOutcome: the service fetches the rest.</summary>
    Partial,

    /// <summary>No key was answered: everything comes from the EHR's FHIR server (the slow path).</summary>
    None,
}

/// <summary>
/// The service's own metrics on the Meter "CdsService" (docs/deploy.md §Telemetry, and the runbook's alerts). Instruments are created through
/// <see cref="IMeterFactory"/> so tests can observe them in isolation (MetricCollector) and the OpenTelemetry SDK picks
/// them up with <c>AddMeter("CdsService")</c>. Durations are in seconds, as the OpenTelemetry semantic conventions ask,
/// so Prometheus shows <c>cds_hook_duration_seconds</c>. Attribute values are limited to the bounded vocabularies of
/// <see cref="CdsTelemetry"/>: never PHI.
/// </summary>
public sealed class CdsMetrics
{
    // Bucket edges in seconds, chosen around the budgets that matter: p99 25 ms (the goal in docs/performance.md), 500 ms (CDS Hooks
    // "SHOULD respond on the order of 500 ms"), 2 s (the FHIR deadline, Fhir:Deadline) and 5 s (Da Vinci CRD: clients abandon).
    private static readonly IReadOnlyList<double> LatencyBuckets =
        [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2, 5, 10];

    private readonly Histogram<double> _hookDuration;
    private readonly Counter<long> _cards;
    private readonly Counter<long> _prefetchRequests;
    private readonly Counter<long> _prefetchKeys;
    private readonly Histogram<double> _patientDataDuration;
    private readonly Counter<long> _patientDataFailures;
    private readonly Counter<long> _rejections;

    public CdsMetrics(IMeterFactory meterFactory)
    {
        ArgumentNullException.ThrowIfNull(meterFactory);
        var meter = meterFactory.Create(CdsTelemetry.SourceName);
        var latencyAdvice = new InstrumentAdvice<double> { HistogramBucketBoundaries = LatencyBuckets };

        _hookDuration = meter.CreateHistogram(
            "cds.hook.duration", "s", "Time to answer a CDS Hooks service call, by service id and HTTP status.", advice: latencyAdvice);
        _cards = meter.CreateCounter<long>(
            "cds.cards", "{card}", "Cards returned, by service id and indicator.");
        _prefetchRequests = meter.CreateCounter<long>(
            "cds.prefetch.requests", "{request}", "Hook calls by prefetch completeness (complete, partial, none).");
        _prefetchKeys = meter.CreateCounter<long>(
            "cds.prefetch.keys", "{key}", "Declared prefetch keys by the state the EHR sent them in (present, null, absent, operation-outcome).");
        _patientDataDuration = meter.CreateHistogram(
            "cds.fhir.fetch.duration", "s", "Time to build the patient snapshot from prefetch and the EHR's FHIR server, by outcome.", advice: latencyAdvice);
        _patientDataFailures = meter.CreateCounter<long>(
            "cds.fhir.fetch.failures", "{failure}", "Patient data that could not be had (each one a 412), by reason.");
        _rejections = meter.CreateCounter<long>(
            "cds.requests.rejected", "{request}", "Requests answered 401 (client trust), 412 (data unavailable) or 429 (rate limit).");
    }

    /// <summary>Status codes counted by <see cref="RecordRejection"/>: the three an operator must alert on (docs/runbook.md).</summary>
    public static IReadOnlySet<int> RejectionStatusCodes { get; } = new HashSet<int> { 401, 412, 429 };

    public void RecordHookCall(string? serviceId, int statusCode, TimeSpan duration)
    {
        var id = CdsTelemetry.NormalizeServiceId(serviceId);
        var hook = serviceId is not null && CdsTelemetry.HookByServiceId.TryGetValue(serviceId, out var h) ? h : CdsTelemetry.UnknownValue;
        _hookDuration.Record(
            duration.TotalSeconds,
            new KeyValuePair<string, object?>(CdsTelemetry.ServiceIdTag, id),
            new KeyValuePair<string, object?>(CdsTelemetry.HookTag, hook),
            new KeyValuePair<string, object?>(CdsTelemetry.StatusCodeTag, statusCode));
    }

    public void RecordCards(string? serviceId, IReadOnlyList<Card> cards)
    {
        ArgumentNullException.ThrowIfNull(cards);
        var id = CdsTelemetry.NormalizeServiceId(serviceId);
        foreach (var group in cards.GroupBy(c => c.Indicator))
        {
            _cards.Add(
                group.Count(),
                new KeyValuePair<string, object?>(CdsTelemetry.ServiceIdTag, id),
                new KeyValuePair<string, object?>(CdsTelemetry.IndicatorTag, group.Key.ToTagValue()));
        }
    }

    /// <summary>Classifies and records a hook call's prefetch; returns the classification (also used as a span attribute).</summary>
    public PrefetchCompleteness RecordPrefetch(string? serviceId, IReadOnlyDictionary<string, PrefetchEntry> prefetch)
    {
        ArgumentNullException.ThrowIfNull(prefetch);
        var id = CdsTelemetry.NormalizeServiceId(serviceId);
        var answered = 0;
        foreach (var (key, entry) in prefetch)
        {
            if (!entry.NeedsFetch)
            {
                answered++;
            }

            _prefetchKeys.Add(
                1,
                new KeyValuePair<string, object?>(CdsTelemetry.ServiceIdTag, id),
                new KeyValuePair<string, object?>(CdsTelemetry.PrefetchKeyTag, CdsTelemetry.NormalizePrefetchKey(key)),
                new KeyValuePair<string, object?>(CdsTelemetry.PrefetchStateTag, entry.State.ToTagValue()));
        }

        var completeness = Classify(answered, prefetch.Count);
        _prefetchRequests.Add(
            1,
            new KeyValuePair<string, object?>(CdsTelemetry.ServiceIdTag, id),
            new KeyValuePair<string, object?>(CdsTelemetry.CompletenessTag, completeness.ToTagValue()));
        return completeness;
    }

    /// <summary>Records one patient-data load: success, or the failure kind that becomes a 412.</summary>
    public void RecordPatientDataLoad(string? serviceId, PatientDataFailureKind? failure, TimeSpan duration)
    {
        var id = CdsTelemetry.NormalizeServiceId(serviceId);
        var outcome = failure.ToTagValue();
        _patientDataDuration.Record(
            duration.TotalSeconds,
            new KeyValuePair<string, object?>(CdsTelemetry.ServiceIdTag, id),
            new KeyValuePair<string, object?>(CdsTelemetry.OutcomeTag, outcome));
        if (failure is not null)
        {
            _patientDataFailures.Add(
                1,
                new KeyValuePair<string, object?>(CdsTelemetry.ServiceIdTag, id),
                new KeyValuePair<string, object?>(CdsTelemetry.OutcomeTag, outcome));
        }
    }

    /// <summary>Counts a 401, 412 or 429; other status codes are not rejections and are ignored.</summary>
    public void RecordRejection(int statusCode, string endpoint, string? serviceId)
    {
        if (!RejectionStatusCodes.Contains(statusCode))
        {
            return;
        }

        _rejections.Add(
            1,
            new KeyValuePair<string, object?>(CdsTelemetry.StatusCodeTag, statusCode),
            new KeyValuePair<string, object?>(CdsTelemetry.EndpointTag, endpoint),
            new KeyValuePair<string, object?>(CdsTelemetry.ServiceIdTag, CdsTelemetry.NormalizeServiceId(serviceId)));
    }

    internal static PrefetchCompleteness Classify(int answered, int declared) =>
        answered == 0 ? PrefetchCompleteness.None
        : answered >= declared ? PrefetchCompleteness.Complete
        : PrefetchCompleteness.Partial;
}

internal static class CdsMetricsTagValues
{
    public static string ToTagValue(this PrefetchCompleteness completeness) => completeness switch
    {
        PrefetchCompleteness.Complete => "complete",
        PrefetchCompleteness.Partial => "partial",
        PrefetchCompleteness.None => "none",
        _ => CdsTelemetry.UnknownValue,
    };

    public static string ToTagValue(this PatientDataFailureKind? failure) => failure switch
    {
        null => "success",
        PatientDataFailureKind.MissingPrefetch => "missing-prefetch",
        PatientDataFailureKind.FhirServerNotAllowed => "fhir-server-not-allowed",
        PatientDataFailureKind.FhirServerFailed => "fhir-server-failed",
        _ => CdsTelemetry.UnknownValue,
    };
}
