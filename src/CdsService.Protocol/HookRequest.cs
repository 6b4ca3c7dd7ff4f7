using System.Text.Json;

namespace CdsService.Protocol;

/// <summary>The three hooks this service implements (CDS Hooks Library).</summary>
public enum HookKind
{
    PatientView,
    OrderSelect,
    OrderSign,
}

/// <summary>
/// What a prefetch key held in the request (spec 2.0 §Prefetch): the EHR may omit a key (it could not or would not
/// prefetch it), send <c>null</c> (it looked and there is nothing), or send an OperationOutcome (its query failed).
/// Only <see cref="Present"/> and <see cref="Null"/> are answers; the other two mean "go and fetch it".
/// </summary>
public enum PrefetchState
{
    Absent,
    Null,
    OperationOutcome,
    Present,
}

/// <summary>One prefetch key's value. <see cref="Value"/> is the raw JSON (a resource or a searchset Bundle) when present.</summary>
public readonly record struct PrefetchEntry(PrefetchState State, JsonElement Value)
{
    public static PrefetchEntry Absent { get; } = new(PrefetchState.Absent, default);

    public bool NeedsFetch => State is PrefetchState.Absent or PrefetchState.OperationOutcome;
}

/// <summary>
/// A validated hook call, as the Api hands it to the data and card layers. Parsing is tolerant of real clients'
/// quirks (spec brief §4.1), validation of the fields the spec makes REQUIRED is strict.
/// </summary>
public sealed record HookRequest
{
    public required string ServiceId { get; init; }

    public required HookKind Hook { get; init; }

    public required string HookInstance { get; init; }

    public required string PatientId { get; init; }

    public string? UserId { get; init; }

    /// <summary>The EHR's FHIR base URL, when sent. Never contacted unless allowlisted for the calling client.</summary>
    public Uri? FhirServer { get; init; }

    /// <summary><c>fhirAuthorization.access_token</c>; sent only to <see cref="FhirServer"/>, never logged or stored.</summary>
    public string? FhirAccessToken { get; init; }

    /// <summary>The whole <c>context</c> object (hook-specific: draftOrders, selections…).</summary>
    public required JsonElement Context { get; init; }

    /// <summary>Every prefetch key the service declares, with its state in this request (absent keys included).</summary>
    public required IReadOnlyDictionary<string, PrefetchEntry> Prefetch { get; init; }
}

/// <summary>Who is calling, as established by client-JWT validation: decides which FHIR servers may be contacted.</summary>
public sealed record CallerTrust(string Issuer, string? Tenant, IReadOnlyList<Uri> AllowedFhirServers);
