using CdsService.Api.Logging;
using CdsService.Fhir.Data;
using CdsService.Fhir.Hooks;

namespace CdsService.Api.Hooks;

/// <summary>What a hook call produced: the 200 body, or why the data could not be had (→ 412).</summary>
public sealed record HookOutcome
{
    public CdsResponse? Response { get; private init; }

    public PatientDataFailureKind? FailureKind { get; private init; }

    public string? FailureMessage { get; private init; }

    public IReadOnlyList<string> MissingKeys { get; private init; } = [];

    public static HookOutcome Success(CdsResponse response) => new() { Response = response };

    public static HookOutcome PreconditionFailed(PatientDataFailureKind kind, string message, IReadOnlyList<string> missingKeys) =>
        new() { FailureKind = kind, FailureMessage = message, MissingKeys = missingKeys };
}

/// <summary>
/// The seam between the protocol surface and the product: a validated hook call in, cards (or a 412 reason) out.
/// The Api owns HTTP, trust and errors; everything clinical happens behind this interface.
/// </summary>
public interface IHookPipeline
{
    Task<HookOutcome> RunAsync(HookRequest request, CallerTrust caller, CancellationToken cancellationToken);
}

/// <summary>
/// Loads the patient's data (prefetch, else the allowlisted FHIR server) and turns it into cards. A data failure is a
/// 412, never an empty "all clear": no cards would read as "nothing to worry about" (spec §HTTP Status Codes, 412).
/// </summary>
public sealed class HookPipeline(ILogger<HookPipeline> logger, IPatientDataSource? dataSource = null) : IHookPipeline
{
    private static readonly CdsResponse NoCards = new() { Cards = [] };

    public async Task<HookOutcome> RunAsync(HookRequest request, CallerTrust caller, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(caller);

        if (dataSource is null)
        {
            // No data layer registered (protocol-only build): the request was validated and the 412 rule applied by
            // the endpoint; there is nothing to assess.
            return HookOutcome.Success(NoCards);
        }

        var data = await dataSource.LoadAsync(request, caller, cancellationToken);
        if (data.FailureKind is { } kind)
        {
            Log.PatientDataUnavailable(logger, request.ServiceId, request.HookInstance, kind);
            return HookOutcome.PreconditionFailed(kind, data.FailureMessage ?? "The patient's data could not be obtained.", data.MissingKeys);
        }

        // Seam for the clinical engine and the card composer: data.Snapshot → Assessment → cards.
        return HookOutcome.Success(NoCards);
    }
}
