using System.Collections.Frozen;
using CdsService.Api.Hooks;
using CdsService.Cards;
using CdsService.Clinical.Model;
using CdsService.Protocol;

namespace CdsService.Api.Feedback;

/// <summary>
/// Observes the hook pipeline: every card in a 200 answer is queued for the issued-card map (uuid → topic code, the
/// card's <c>source.topic</c>), because spec §Feedback identifies a card only by its uuid and governance wants rates
/// per card type. Only this service's own card types (<see cref="CardKind"/> wire codes) are recorded; nothing from the
/// request or the card text.
/// </summary>
public sealed class IssuedCardRecorder(IssuedCardWriter writer, TimeProvider time) : IHookCallObserver
{
    /// <summary>The card-topic codes this service issues (its <see cref="CardKind"/> values), e.g. "fertility-conflict".</summary>
    public static readonly FrozenSet<string> CardTypes =
        Enum.GetValues<CardKind>().Select(k => k.ToCode()).ToFrozenSet(StringComparer.Ordinal);

    public void OnRequest(HookRequest request)
    {
    }

    public void OnOutcome(HookRequest request, HookOutcome outcome)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(outcome);
        if (outcome.Response is { Cards.Count: > 0 } response)
        {
            var issuedAt = time.GetUtcNow();
            writer.Enqueue(response.Cards
                .Where(c => c.Uuid is not null
                    && c.Source.Topic is { System: not null } topic
                    && CardTypes.Contains(topic.Code))
                .Select(c => new IssuedCard(c.Uuid!, request.ServiceId, c.Source.Topic!.Code, c.Indicator.ToString().ToLowerInvariant(), issuedAt)));
        }
    }
}
