using CdsService.Clinical.Model;
using CdsService.Protocol;

namespace CdsService.Cards;

/// <summary>Everything the composer needs for one hook call, after the engine ran.</summary>
public sealed record CardRequest
{
    public required HookKind Hook { get; init; }

    /// <summary>The call's <c>hookInstance</c>; card and suggestion uuids are derived from it so they are stable per call.</summary>
    public required string HookInstance { get; init; }

    /// <summary>FHIR id of the patient in context; suggested resources reference <c>Patient/{PatientId}</c>.</summary>
    public required string PatientId { get; init; }

    public required Assessment Assessment { get; init; }

    /// <summary>The snapshot the engine assessed: draft orders (with their ids), medications and data issues.</summary>
    public required PatientSnapshot Snapshot { get; init; }

    /// <summary>
    /// Base URL for absolute links when <see cref="CardComposerOptions.PublicBaseUrl"/> is not configured
    /// (the service then derives its own URL from the request, which is right only without a rewriting proxy;
    /// docs/configuration.md).
    /// </summary>
    public Uri? RequestBaseUrl { get; init; }
}
