using System.Collections.Immutable;
using CdsService.Clinical.Model;
using CdsService.Protocol;

namespace CdsService.Fhir.Data;

/// <summary>
/// Builds the clinical snapshot for a hook call from prefetch and, for what prefetch lacks, from the EHR's FHIR server.
/// Never answers "no data" when data could not be had: that is a failure, which the Api turns into a 412
/// (a swallowed FHIR error would look exactly like "patient is fine").
/// </summary>
public interface IPatientDataSource
{
    /// <summary>
    /// Loads the snapshot with the draft orders the caller has already read from <c>context.draftOrders</c> (the
    /// pipeline reads them first, to answer an order hook about none of our drugs before anything is fetched), so the
    /// request's draft orders are read once per call.
    /// </summary>
    Task<PatientDataOutcome> LoadAsync(HookRequest request, CallerTrust caller, ImmutableArray<DraftOrder> draftOrders, CancellationToken cancellationToken);
}

public enum PatientDataFailureKind
{
    /// <summary>Required prefetch is missing and no fhirServer was given.</summary>
    MissingPrefetch,

    /// <summary>The fhirServer is not allowlisted for this client (no request was made).</summary>
    FhirServerNotAllowed,

    /// <summary>The FHIR server failed, timed out or answered something unusable.</summary>
    FhirServerFailed,
}

/// <summary>Either a snapshot, or why one could not be built (message safe to show; never contains PHI).</summary>
public sealed record PatientDataOutcome
{
    public PatientSnapshot? Snapshot { get; private init; }

    public PatientDataFailureKind? FailureKind { get; private init; }

    public string? FailureMessage { get; private init; }

    public IReadOnlyList<string> MissingKeys { get; private init; } = [];

    public static PatientDataOutcome Success(PatientSnapshot snapshot) => new() { Snapshot = snapshot };

    public static PatientDataOutcome Failure(PatientDataFailureKind kind, string message, IReadOnlyList<string>? missingKeys = null) =>
        new() { FailureKind = kind, FailureMessage = message, MissingKeys = missingKeys ?? [] };
}
