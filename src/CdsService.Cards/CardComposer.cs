using CdsService.Protocol;
using Microsoft.Extensions.Options;

namespace CdsService.Cards;

/// <summary>
/// Turns an assessment into the CDS Hooks response an EHR shows at prescribe time (CDS Hooks 2.0 §CDS Service
/// Response: cards plus the response-level assessment extension). Which cards appear is decided by
/// <see cref="CardSelector"/>; each card kind is written by its own body in <c>Kinds/</c>, from the shared detail
/// sections (<see cref="DetailSections"/>, <see cref="EvidenceSection"/>), suggestions (<see cref="CardSuggestions"/>)
/// and shell (<see cref="CardShell"/>). Stateless and thread-safe.
/// </summary>
public sealed class CardComposer
{
    private readonly CardComposerOptions _options;

    public CardComposer(IOptions<CardComposerOptions> options)
    {
        ArgumentNullException.ThrowIfNull(options);
        _options = options.Value;
        if (_options.PublicBaseUrl is { IsAbsoluteUri: false })
        {
            throw new ArgumentException("CardComposerOptions.PublicBaseUrl must be an absolute URL.", nameof(options));
        }
    }

    public CdsResponse Compose(CardRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);

        var kinds = CardSelector.Select(request.Hook, request.Assessment, request.Snapshot);
        var context = new CardContext(request, RulesDocumentUrl(request), _options.Guidelines, HandoutUrl(request), SmartLink(request));
        var cards = new Card[kinds.Length];
        for (var index = 0; index < cards.Length; index++)
        {
            cards[index] = Write(kinds[index], context);
        }

        return new CdsResponse
        {
            Cards = cards,
            Extension = AssessmentExtension.Build(request.Assessment),
        };
    }

    /// <summary>The card kinds, in the order of <see cref="CardKind"/>: critical, warnings, info.</summary>
    private static Card Write(CardKind kind, CardContext card) => kind switch
    {
        CardKind.FertilityConflict => FertilityConflictCard.Write(card),
        CardKind.AndrogenDeprivationConflict => AndrogenDeprivationConflictCard.Write(card),
        CardKind.UnderlyingCause => UnderlyingCauseCard.Write(card),
        CardKind.TrtContraindication => TrtContraindicationCard.Write(card),
        CardKind.UnconfirmedDiagnosis => UnconfirmedDiagnosisCard.Write(card),
        CardKind.FertilityIntentUndocumented => FertilityIntentUndocumentedCard.Write(card),
        CardKind.TrtMonitoring => TrtMonitoringCard.Write(card),
        CardKind.FertilityTherapyMonitoring => FertilityTherapyCard.Write(card, mismatch: false),
        CardKind.FertilityTherapyMismatch => FertilityTherapyCard.Write(card, mismatch: true),
        CardKind.PatientSummary => PatientSummaryCard.Write(card),
        CardKind.FertilityDrugContraindication => FertilityDrugContraindicationCard.Write(card),
        CardKind.AromataseInhibitorOrder => AromataseInhibitorOrderCard.Write(card),
        CardKind.AnabolicSteroidOrder => AnabolicSteroidOrderCard.Write(card),
        CardKind.OnTestosteroneAlert => OnTestosteroneAlertCard.Write(card),
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, null),
    };

    private string RulesDocumentUrl(CardRequest request) => Absolute(request, _options.RulesDocumentPath);

    private string? HandoutUrl(CardRequest request) =>
        string.IsNullOrWhiteSpace(_options.HandoutPath) ? null : Absolute(request, _options.HandoutPath);

    /// <summary>
    /// The link to the SMART work-up view when the app is enabled. appContext (CDS Hooks 2.0 §Link: "data that this
    /// SMART app needs… passed back to the app as the appContext launch parameter") is a JSON string with the hook
    /// instance and the draft order ids the card was about; the app shows them and reads no PHI from it.
    /// </summary>
    private Link? SmartLink(CardRequest request)
    {
        if (string.IsNullOrWhiteSpace(_options.SmartLaunchPath))
        {
            return null;
        }

        var appContext = new System.Text.Json.Nodes.JsonObject
        {
            ["hookInstance"] = request.HookInstance,
            ["draftOrders"] = new System.Text.Json.Nodes.JsonArray([.. request.Snapshot.DraftOrders
                .Where(d => !string.IsNullOrEmpty(d.ResourceId))
                .Select(d => (System.Text.Json.Nodes.JsonNode?)(d.ResourceType + "/" + d.ResourceId))]),
        };
        return new Link
        {
            Label = "Open the hypogonadism work-up (lab trend, assessment, monitoring plan)",
            Url = Absolute(request, _options.SmartLaunchPath),
            Type = "smart",
            AppContext = appContext.ToJsonString(),
        };
    }

    private string Absolute(CardRequest request, string path)
    {
        // Links SHALL be absolute (CDS Hooks 2.0 §Link). Without a known base the link would be wrong, so fail loudly.
        var baseUrl = _options.PublicBaseUrl ?? request.RequestBaseUrl
            ?? throw new InvalidOperationException(
                "No public base URL: configure CdsHooks:PublicBaseUrl or pass CardRequest.RequestBaseUrl.");
        return baseUrl.AbsoluteUri.TrimEnd('/') + "/" + path.TrimStart('/');
    }
}
