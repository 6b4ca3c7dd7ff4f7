using CdsService.Api.Hooks;
using CdsService.Fhir.Data;
using CdsService.Protocol;

namespace CdsService.Api.Audit;

/// <summary>
/// What one hook call did, gathered while it runs (one instance per request scope) and written as one audit event when
/// the response status is final. Fed as an <see cref="IHookCallObserver"/>: the pipeline is the one place that sees the
/// validated request (hook instance, patient) and the outcome (cards or the 412 reason). Holds only what the audit event
/// may carry: no resource, no token, no card text.
/// </summary>
public sealed class HookAuditRecord : IHookCallObserver
{
    /// <summary>The validated request reached the pipeline (absent for 400/404/413/429: the body was never accepted).</summary>
    public bool RequestAccepted { get; private set; }

    public string? HookInstance { get; private set; }

    public string? PatientId { get; private set; }

    /// <summary>Indicators of the cards answered, in card order (empty for "no cards" and for failures).</summary>
    public IReadOnlyList<CardIndicator> CardIndicators { get; private set; } = [];

    /// <summary>Why the data could not be had (→ 412), when that was the outcome.</summary>
    public PatientDataFailureKind? FailureKind { get; private set; }

    public void OnRequest(HookRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        RequestAccepted = true;
        HookInstance = request.HookInstance;
        PatientId = request.PatientId;
    }

    public void OnOutcome(HookRequest request, HookOutcome outcome)
    {
        ArgumentNullException.ThrowIfNull(outcome);
        CardIndicators = outcome.Response is { } response ? [.. response.Cards.Select(c => c.Indicator)] : [];
        FailureKind = outcome.FailureKind;
    }
}
