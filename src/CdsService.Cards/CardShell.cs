using System.Text;
using CdsService.Clinical.Model;
using CdsService.Protocol;

namespace CdsService.Cards;

/// <summary>
/// The parts every card shares around its summary and detail: uuid, source with topic, the links, and the rules
/// CDS Hooks 2.0 §Card sets for optional members (left out when empty, selectionBehavior with suggestions).
/// </summary>
internal static class CardShell
{
    public const string EndocrineSocietyLabel = "Endocrine Society 2018: testosterone therapy in men";

    public const string AuaLabel = "AUA 2018: evaluation and management of testosterone deficiency";

    private const string SourceLabel = "Hypogonadism CDS";
    private const string AtMostOne = "at-most-one";
    private const string RulesLinkLabel = "How this advice is reached: rules and sources";
    private const string HandoutLabel = "Patient handout (English, Spanish): testosterone or a fertility-preserving medicine?";

    public static Card Make(
        CardContext card,
        CardKind kind,
        CardIndicator indicator,
        string summary,
        StringBuilder detail,
        Uri guideline,
        string guidelineLabel,
        List<Suggestion> suggestions,
        IReadOnlyList<Coding>? overrideReasons)
    {
        var topic = kind.ToCode();
        return new Card
        {
            Uuid = DeterministicUuid.Create(card.Request.HookInstance, topic),
            Summary = summary,
            Detail = detail.ToString(),
            Indicator = indicator,
            Source = new CardSource
            {
                Label = SourceLabel,
                Url = guideline.AbsoluteUri,
                Topic = new Coding { System = CardTerminology.CardTopicSystem, Code = topic, Display = TopicDisplay(kind) },
            },
            // CDS Hooks 2.0: no empty arrays, and selectionBehavior SHALL accompany suggestions (cds-resp-6).
            Suggestions = suggestions.Count > 0 ? suggestions : null,
            SelectionBehavior = suggestions.Count > 0 ? AtMostOne : null,
            OverrideReasons = overrideReasons is { Count: > 0 } ? overrideReasons : null,
            Links = Links(card, kind, guideline, guidelineLabel),
        };
    }

    /// <summary>
    /// The rules document and the guideline; then, when configured, the patient handout (not on the androgen-deprivation
    /// card: a man treated for prostate cancer is not choosing between testosterone and fertility medicines) and the
    /// SMART work-up view.
    /// </summary>
    private static List<Link> Links(CardContext card, CardKind kind, Uri guideline, string guidelineLabel)
    {
        var links = new List<Link>(4)
        {
            new() { Label = RulesLinkLabel, Url = card.RulesUrl, Type = "absolute" },
            new() { Label = guidelineLabel, Url = guideline.AbsoluteUri, Type = "absolute" },
        };
        if (card.HandoutUrl is { } handout && kind != CardKind.AndrogenDeprivationConflict)
        {
            links.Add(new Link { Label = HandoutLabel, Url = handout, Type = "absolute" });
        }

        if (card.SmartLink is { } smart)
        {
            links.Add(smart);
        }

        return links;
    }

    /// <summary>The display of the card's topic coding, which feedback and analytics group cards by.</summary>
    private static string TopicDisplay(CardKind kind) => kind switch
    {
        CardKind.FertilityConflict => "Testosterone ordered for a man who wants children",
        CardKind.AndrogenDeprivationConflict => "Testosterone during androgen deprivation for prostate cancer",
        CardKind.UnderlyingCause => "Cause of low testosterone to treat first",
        CardKind.TrtContraindication => "Testosterone contraindication",
        CardKind.UnconfirmedDiagnosis => "Testosterone ordered without a confirmed diagnosis",
        CardKind.FertilityIntentUndocumented => "Fertility plans not documented",
        CardKind.TrtMonitoring => "Testosterone monitoring plan",
        CardKind.FertilityTherapyMonitoring => "Fertility-preserving therapy monitoring plan",
        CardKind.FertilityTherapyMismatch => "Fertility-preserving therapy unlikely to work",
        CardKind.PatientSummary => "Hypogonadism assessment summary",
        CardKind.FertilityDrugContraindication => "Contraindication to the drafted fertility drug",
        CardKind.AromataseInhibitorOrder => "Aromatase inhibitor ordered for a man",
        CardKind.AnabolicSteroidOrder => "Anabolic steroid ordered",
        CardKind.OnTestosteroneAlert => "Result on testosterone that needs action",
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, null),
    };
}
