using System.Collections.Immutable;
using System.Diagnostics;
using CdsService.Clinical.Model;
using CdsService.Fhir.Data;
using CdsService.Protocol;

namespace CdsService.Api.Telemetry;

/// <summary>
/// Decorates the FHIR layer's <see cref="IPatientDataSource"/> with a span and metrics: prefetch completeness, time to
/// build the snapshot, and the failure kind when data could not be had (each of which the Api answers with a 412).
/// Each outgoing FHIR query gets its own child span from the HttpClient instrumentation, with the URL reduced by
/// <see cref="FhirUrlRedaction"/>. Nothing from the request or the snapshot other than the service id is recorded.
/// </summary>
internal sealed class InstrumentedPatientDataSource(IPatientDataSource inner, CdsMetrics metrics, TimeProvider timeProvider) : IPatientDataSource
{
    public Task<PatientDataOutcome> LoadAsync(HookRequest request, CallerTrust caller, ImmutableArray<DraftOrder> draftOrders, CancellationToken cancellationToken) =>
        RecordAsync(request, () => inner.LoadAsync(request, caller, draftOrders, cancellationToken));

    private async Task<PatientDataOutcome> RecordAsync(HookRequest request, Func<Task<PatientDataOutcome>> load)
    {
        ArgumentNullException.ThrowIfNull(request);
        using var activity = CdsTelemetry.ActivitySource.StartActivity("cds.patient_data", ActivityKind.Internal);
        activity?.SetTag(CdsTelemetry.ServiceIdTag, CdsTelemetry.NormalizeServiceId(request.ServiceId));

        var completeness = metrics.RecordPrefetch(request.ServiceId, request.Prefetch);
        activity?.SetTag(CdsTelemetry.CompletenessTag, completeness.ToTagValue());

        var started = timeProvider.GetTimestamp();
        PatientDataOutcome? outcome = null;
        try
        {
            outcome = await load();
            return outcome;
        }
        finally
        {
            // An exception is not a data outcome the Api can turn into a 412; it is recorded as a FHIR failure so the
            // failure counter never under-reports, and the exception itself propagates unchanged.
            var failure = outcome is null ? PatientDataFailureKind.FhirServerFailed : outcome.FailureKind;
            metrics.RecordPatientDataLoad(request.ServiceId, failure, timeProvider.GetElapsedTime(started));
            var tagValue = failure.ToTagValue();
            activity?.SetTag(CdsTelemetry.OutcomeTag, tagValue);
            if (failure is not null)
            {
                activity?.SetStatus(ActivityStatusCode.Error, tagValue);
            }
        }
    }
}
