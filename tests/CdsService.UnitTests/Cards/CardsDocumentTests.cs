using System.Text;
using System.Text.Json;
using CdsService.Cards;
using CdsService.Clinical.Model;
using CdsService.Protocol;
using static CdsService.UnitTests.Cards.CardScenarios;

namespace CdsService.UnitTests.Cards;

/// <summary>
/// docs/cards.md is rendered from the composer, one example of each card type as an EHR shows it, so the documentation cannot drift from what EHRs receive. Regenerate with <c>UPDATE_APPROVED=1 dotnet test</c>.
/// </summary>
public sealed class CardsDocumentTests
{
    private sealed record Example(CardKind Kind, string Scenario, HookKind Hook, Assessment Assessment, PatientSnapshot Snapshot);

    private static readonly Example[] Examples =
    [
        new(CardKind.FertilityConflict,
            "order-sign: testosterone cypionate drafted; secondary hypogonadism; the patient wants children.",
            HookKind.OrderSign, Assessment(Classification.Secondary, FertilityIntent.Desired), Snapshot(TestosteroneDraft())),
        new(CardKind.AndrogenDeprivationConflict,
            "order-sign: testosterone cypionate drafted; on leuprolide (androgen deprivation) for prostate cancer.",
            HookKind.OrderSign, Assessment(Classification.AndrogenDeprivation, FertilityIntent.NotDesired), Snapshot(TestosteroneDraft())),
        new(CardKind.UnderlyingCause,
            "order-sign: testosterone drafted; secondary hypogonadism with prolactin 41 ng/mL; BMI 34; no wish for children.",
            HookKind.OrderSign, UnderlyingCauseExample, Snapshot(TestosteroneDraft())),
        new(CardKind.TrtContraindication,
            "order-sign: testosterone drafted; secondary hypogonadism, no wish for children; hematocrit 51.2 % and PSA 4.6 ng/mL.",
            HookKind.OrderSign,
            Assessment(Classification.Secondary, FertilityIntent.NotDesired, TherapyKind.TestosteroneReplacement, HematocritAndPsa),
            Snapshot(TestosteroneDraft())),
        new(CardKind.UnconfirmedDiagnosis,
            "order-sign: testosterone drafted after a single afternoon testosterone and no LH.",
            HookKind.OrderSign, Assessment(Classification.InsufficientData, FertilityIntent.NotDesired), Snapshot(TestosteroneDraft())),
        new(CardKind.FertilityIntentUndocumented,
            "order-select: testosterone selected; primary hypogonadism; plans for children not documented.",
            HookKind.OrderSelect, Assessment(Classification.Primary, FertilityIntent.Unknown), Snapshot(TestosteroneDraft())),
        new(CardKind.TrtMonitoring,
            "order-sign: testosterone drafted; primary hypogonadism; no wish for children; no contraindication.",
            HookKind.OrderSign,
            Assessment(Classification.Primary, FertilityIntent.NotDesired, TherapyKind.TestosteroneReplacement),
            Snapshot(TestosteroneDraft())),
        new(CardKind.FertilityTherapyMonitoring,
            "order-sign: clomiphene drafted; secondary hypogonadism; the patient wants children.",
            HookKind.OrderSign, Assessment(Classification.Secondary, FertilityIntent.Desired, TherapyKind.Serm), Snapshot(ClomipheneDraft())),
        new(CardKind.FertilityTherapyMismatch,
            "order-sign: clomiphene drafted; primary hypogonadism (LH 14.2 IU/L); the patient wants children.",
            HookKind.OrderSign, Assessment(Classification.Primary, FertilityIntent.Desired, TherapyKind.Serm), Snapshot(ClomipheneDraft())),
        new(CardKind.PatientSummary,
            "patient-view: secondary hypogonadism; the patient wants children.",
            HookKind.PatientView, Assessment(Classification.Secondary, FertilityIntent.Desired), Snapshot()),
        new(CardKind.FertilityDrugContraindication,
            "order-sign: clomiphene drafted; secondary hypogonadism, wants children; alcoholic cirrhosis and a past deep-vein thrombosis.",
            HookKind.OrderSign,
            Assessment(Classification.Secondary, FertilityIntent.Desired, TherapyKind.Serm) with
            {
                OrderContraindications =
                [
                    new(MedicationClass.Clomiphene, OrderContraindication.LiverDisease, "Alcoholic cirrhosis of liver without ascites (onset 2024-04-22)",
                        new DateTimeOffset(2024, 4, 22, 0, 0, 0, TimeSpan.Zero), ContraindicationSeverity.Absolute),
                    new(MedicationClass.Clomiphene, OrderContraindication.VteOrThrombophilia, "Personal history of other venous thrombosis and embolism (recorded 2023-02-09)",
                        new DateTimeOffset(2023, 2, 9, 0, 0, 0, TimeSpan.Zero), ContraindicationSeverity.Relative),
                ],
            },
            Snapshot(ClomipheneDraft())),
        new(CardKind.AromataseInhibitorOrder,
            "order-select: anastrozole selected; secondary hypogonadism, wants children; age-related osteoporosis.",
            HookKind.OrderSelect,
            Assessment(Classification.Secondary, FertilityIntent.Desired) with
            {
                OrderContraindications =
                [
                    new(MedicationClass.AromataseInhibitor, OrderContraindication.Osteoporosis, "Age-related osteoporosis without current pathological fracture (onset 2024-09-30)",
                        new DateTimeOffset(2024, 9, 30, 0, 0, 0, TimeSpan.Zero), ContraindicationSeverity.Relative),
                ],
            },
            Snapshot(Draft(MedicationClass.AromataseInhibitor, "draft-a-1", "Anastrozole 1 mg tablet"))),
        new(CardKind.AnabolicSteroidOrder,
            "order-sign: nandrolone decanoate drafted; secondary hypogonadism; the patient wants children.",
            HookKind.OrderSign,
            Assessment(Classification.Secondary, FertilityIntent.Desired) with
            {
                OrderContraindications =
                [
                    new(MedicationClass.AnabolicSteroid, OrderContraindication.FertilityDesired, "Fertility intent documented as desired",
                        EvaluatedAt.AddDays(-20), ContraindicationSeverity.Absolute),
                    new(MedicationClass.AnabolicSteroid, OrderContraindication.NotAHypogonadismTreatment, "Anabolic steroid drafted; not a hypogonadism treatment",
                        null, ContraindicationSeverity.Relative),
                ],
            },
            Snapshot(Draft(MedicationClass.AnabolicSteroid, "draft-n-1", "Nandrolone decanoate 200 mg/mL injection"))),
        new(CardKind.OnTestosteroneAlert,
            "order-sign: testosterone cypionate renewal for a man on it since 2023; hematocrit 55.1 % on treatment; no wish for children.",
            HookKind.OrderSign, WithholdExample, Snapshot(TestosteroneDraft())),
    ];

    private static DraftOrder Draft(MedicationClass drug, string id, string display) => new()
    {
        Class = drug,
        ResourceType = "MedicationRequest",
        ResourceId = id,
        Display = display,
    };

    private static Assessment WithholdExample => Assessment(Classification.ExogenousAndrogen, FertilityIntent.NotDesired,
        TherapyKind.TestosteroneReplacement) with
    {
        Recommendation = Recommendation.WithholdTestosterone,
        AndrogenExposure = AndrogenExposure.OnTestosterone,
        Formulation = TestosteroneFormulation.CypionateOrEnanthateInjection,
        TestosteroneSince = new DateTimeOffset(2023, 3, 1, 0, 0, 0, TimeSpan.Zero),
        IsTestosteroneRenewal = true,
        MonitoringAlerts =
        [
            new MonitoringAlertFinding(MonitoringAlert.HematocritAboveWithhold, "MA-1", "Hematocrit 55.1 % on 2025-05-20",
                new DateTimeOffset(2025, 5, 20, 8, 10, 0, TimeSpan.FromHours(-5))),
        ],
    };

    private static Assessment UnderlyingCauseExample => Assessment(Classification.Secondary, FertilityIntent.NotDesired) with
    {
        Recommendation = Recommendation.TreatUnderlyingCause,
        AdditionalWorkup = [AdditionalWorkup.EndocrinologyReferral, AdditionalWorkup.PituitaryMri],
        Causes =
        [
            new CauseFinding(Cause.Hyperprolactinemia, "Prolactin 41 ng/mL (above 20 ng/mL)", new DateTimeOffset(2025, 5, 20, 8, 10, 0, TimeSpan.FromHours(-5))),
            new CauseFinding(Cause.Obesity, "Body mass index 34.2 kg/m2", new DateTimeOffset(2025, 5, 20, 8, 10, 0, TimeSpan.FromHours(-5))),
        ],
        Symptoms = ["Erectile dysfunction (recorded 2025-03-11)"],
    };

    [Fact]
    public void GivenExamples_WhenListed_ThenEveryCardKindHasOne()
    {
        Assert.Equal(Enum.GetValues<CardKind>().Order(), Examples.Select(e => e.Kind).Order());
    }

    [Fact]
    public void GivenComposer_WhenCardsDocumentRendered_ThenDocsCardsMdIsUpToDate()
    {
        ApprovedFiles.Verify(RepositoryPaths.Of("docs", "cards.md"), Render());
    }

    private static string Render()
    {
        var composer = Composer();
        var doc = new StringBuilder();
        doc.Append("# Cards: what clinicians see\n\n");
        doc.Append("<!-- Generated by tests/CdsService.UnitTests/Cards/CardsDocumentTests.cs from the card composer. Do not edit by hand. -->\n\n");
        doc.Append(
            "One rendered example of each card type, as an EHR shows it: indicator, summary, the Markdown detail, " +
            "suggestion buttons, override reasons and links. Patient data are synthetic. Which card appears when is decided " +
            "in one place, `src/CdsService.Cards/CardSelector.cs`; the wording lives in `ClinicalWording.cs`.\n\n");
        doc.Append("| # | Card type (`source.topic`) | Indicator | Hook |\n|---|---|---|---|\n");
        for (var i = 0; i < Examples.Length; i++)
        {
            doc.Append($"| {i + 1} | `{Examples[i].Kind.ToCode()}` | {IndicatorOf(Examples[i].Kind)} | {HookName(Examples[i].Hook)} |\n");
        }

        doc.Append('\n');

        for (var i = 0; i < Examples.Length; i++)
        {
            var example = Examples[i];
            var response = composer.Compose(Request(example.Hook, example.Assessment, example.Snapshot));
            var card = Assert.Single(response.Cards, c => c.Source.Topic!.Code == example.Kind.ToCode());

            doc.Append("---\n\n");
            doc.Append($"## {i + 1}. {card.Source.Topic!.Display}\n\n");
            doc.Append($"*Scenario:* {example.Scenario}\n\n");
            doc.Append($"**[{card.Indicator.ToString().ToUpperInvariant()}]** **{card.Summary}**\n\n");
            doc.Append(card.Detail).Append("\n\n");

            if (card.Suggestions is { } suggestions)
            {
                doc.Append($"*Suggestions* (`selectionBehavior`: {card.SelectionBehavior}):\n\n");
                foreach (var suggestion in suggestions)
                {
                    doc.Append($"- **[{suggestion.Label}]**{(suggestion.IsRecommended == true ? " (recommended)" : string.Empty)}\n");
                    foreach (var action in suggestion.Actions!)
                    {
                        doc.Append($"  - {action.Type}: {action.Description}{ActionTarget(action)}\n");
                    }
                }

                doc.Append('\n');
            }

            if (card.OverrideReasons is { } reasons)
            {
                doc.Append("*Override reasons offered on dismiss:* ")
                    .AppendJoin("; ", reasons.Select(r => $"{r.Display} (`{r.Code}`)")).Append("\n\n");
            }

            doc.Append("*Links:* ").AppendJoin(" · ", card.Links!.Select(l => $"[{l.Label}]({l.Url})")).Append("\n\n");
            doc.Append($"*Source:* {card.Source.Label}, [{card.Source.Url}]({card.Source.Url})\n\n");

            if (i == 0)
            {
                doc.Append("The response also carries the machine-readable assessment (response-level `extension`):\n\n```json\n");
                doc.Append(response.Extension!.ToJsonString(new JsonSerializerOptions { WriteIndented = true }).Replace("\r\n", "\n", StringComparison.Ordinal));
                doc.Append("\n```\n\n");
            }
        }

        return doc.ToString().TrimEnd('\n') + "\n";
    }

    private static string ActionTarget(SuggestionAction action)
    {
        if (action.ResourceId is { } id)
        {
            return $" (`{id}`)";
        }

        var resource = action.Resource!;
        var concept = resource["medicationCodeableConcept"] ?? resource["code"];
        var code = concept?["coding"]?[0];
        return code is null
            ? $" ({resource["resourceType"]})"
            : $" ({resource["resourceType"]}, {SystemName(code["system"]!.GetValue<string>())} {code["code"]} {code["display"] ?? concept!["text"]})";
    }

    private static string SystemName(string system) => system switch
    {
        "http://loinc.org" => "LOINC",
        "http://snomed.info/sct" => "SNOMED CT",
        "http://www.nlm.nih.gov/research/umls/rxnorm" => "RxNorm",
        _ => system,
    };

    private static string IndicatorOf(CardKind kind) => kind switch
    {
        CardKind.FertilityConflict or CardKind.AndrogenDeprivationConflict or CardKind.FertilityDrugContraindication
            or CardKind.AnabolicSteroidOrder => "critical",
        CardKind.TrtMonitoring or CardKind.FertilityTherapyMonitoring or CardKind.PatientSummary => "info",
        CardKind.OnTestosteroneAlert => "critical (hematocrit) or warning (PSA)",
        CardKind.FertilityIntentUndocumented => "warning (info on a renewal)",
        _ => "warning",
    };

    private static string HookName(HookKind hook) => hook switch
    {
        HookKind.PatientView => "patient-view",
        HookKind.OrderSelect => "order-select",
        _ => "order-sign",
    };
}
