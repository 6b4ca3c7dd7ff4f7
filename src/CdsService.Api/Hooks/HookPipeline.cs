using CdsService.Api.Logging;
using CdsService.Api.Telemetry;
using CdsService.Cards;
using CdsService.Clinical.Hypogonadism;
using CdsService.Clinical.Model;
using CdsService.Fhir.Data;
using CdsService.Fhir.Mapping;
using CdsService.Protocol;

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
    /// <param name="request">The validated hook call.</param>
    /// <param name="caller">Who called (decides which FHIR servers may be contacted).</param>
    /// <param name="serviceBaseUrl">The service's own base URL as the EHR called it, for absolute card links when
    /// <c>CdsHooks:PublicBaseUrl</c> is not configured.</param>
    /// <param name="cancellationToken">The request's cancellation.</param>
    Task<HookOutcome> RunAsync(HookRequest request, CallerTrust caller, Uri serviceBaseUrl, CancellationToken cancellationToken);
}

/// <summary>
/// Order hooks: answer only for relevant drafts, before anything is fetched (an order-select for an unrelated drug must
/// cost the EHR nothing). Then load the patient's data (prefetch, else the allowlisted FHIR server), assess it, and
/// compose the cards; every <see cref="IHookCallObserver"/> is told the request and the outcome. A data failure is a
/// 412, never an empty "all clear": no cards would read as "nothing to worry about" (spec §HTTP Status Codes, 412).
/// </summary>
public sealed class HookPipeline(
    IPatientDataSource dataSource,
    DraftOrderReader draftOrders,
    HypogonadismAssessor assessor,
    CardComposer composer,
    CdsMetrics metrics,
    IEnumerable<IHookCallObserver> observers,
    ILogger<HookPipeline> logger) : IHookPipeline
{
    private static readonly CdsResponse NoCards = new() { Cards = [] };

    private readonly IHookCallObserver[] observers = [.. observers];

    public async Task<HookOutcome> RunAsync(HookRequest request, CallerTrust caller, Uri serviceBaseUrl, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        foreach (var observer in observers)
        {
            observer.OnRequest(request);
        }

        var outcome = await AnswerAsync(request, caller, serviceBaseUrl, cancellationToken);
        foreach (var observer in observers)
        {
            observer.OnOutcome(request, outcome);
        }

        return outcome;
    }

    private async Task<HookOutcome> AnswerAsync(HookRequest request, CallerTrust caller, Uri serviceBaseUrl, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(caller);

        // Read once: the same drafts decide relevance here and go into the snapshot.
        var drafts = draftOrders.Read(request.Hook, request.Context);
        if ((request.Hook is HookKind.OrderSelect or HookKind.OrderSign) && !HookRelevance.IsRelevantOrder(drafts))
        {
            Log.HookNotApplicable(logger, request.ServiceId, request.HookInstance);
            return HookOutcome.Success(NoCards);
        }

        var data = await dataSource.LoadAsync(request, caller, drafts, cancellationToken);
        if (data.FailureKind is { } kind)
        {
            Log.PatientDataUnavailable(logger, request.ServiceId, request.HookInstance, kind);
            return HookOutcome.PreconditionFailed(kind, data.FailureMessage ?? "The patient's data could not be obtained.", data.MissingKeys);
        }

        var snapshot = data.Snapshot!;
        if (request.Hook == HookKind.PatientView && !HookRelevance.IsRelevantForPatientView(snapshot))
        {
            Log.HookNotApplicable(logger, request.ServiceId, request.HookInstance);
            return HookOutcome.Success(NoCards);
        }

        Assessment assessment;
        using (CdsTelemetry.StartEngine(request.ServiceId))
        {
            assessment = assessor.Assess(snapshot);
        }

        var response = composer.Compose(new CardRequest
        {
            Hook = request.Hook,
            HookInstance = request.HookInstance,
            PatientId = request.PatientId,
            Assessment = assessment,
            Snapshot = snapshot,
            RequestBaseUrl = serviceBaseUrl,
        });
        metrics.RecordCards(request.ServiceId, response.Cards);

        // Relevant drafts were fetched for, so an empty answer must say why (today only: the patient is outside the
        // rules' scope); CardSelectorTests check that every in-scope drafted drug gets a card.
        if (request.Hook is HookKind.OrderSelect or HookKind.OrderSign && response.Cards.Count == 0)
        {
            Log.DraftedOrderWithoutCard(logger, request.ServiceId, request.HookInstance, CardSelector.SilenceReason(assessment));
        }
        if (logger.IsEnabled(LogLevel.Information))
        {
            // Checked first: the indicator list is built only for an event that will be written (it showed in the allocation profile, docs/performance.md).
            Log.HookAssessed(
                logger,
                request.ServiceId,
                request.HookInstance,
                assessment.Classification.ToCode(),
                assessment.Recommendation.ToCode(),
                IndicatorSummary(response.Cards));
        }

        return HookOutcome.Success(response);
    }

    private static string IndicatorSummary(IReadOnlyList<Card> cards) =>
        cards.Count == 0 ? "none" : string.Join(',', cards.Select(c => c.Indicator.ToTagValue()));
}
