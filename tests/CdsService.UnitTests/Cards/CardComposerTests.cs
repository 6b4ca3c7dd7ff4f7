using System.Collections.Immutable;
using CdsService.Cards;
using CdsService.Clinical.Model;
using CdsService.Protocol;
using Hl7.Fhir.Model;
using Microsoft.Extensions.Options;
using static CdsService.UnitTests.Cards.CardScenarios;
using Card = CdsService.Protocol.Card;

namespace CdsService.UnitTests.Cards;

public sealed class CardComposerTests
{
    private static CdsResponse Compose(HookKind hook, Assessment assessment, PatientSnapshot snapshot)
    {
        var response = Composer().Compose(Request(hook, assessment, snapshot));
        Assert.All(response.Cards, card => CardAssertions.WellFormed(card, PatientId));
        return response;
    }

    private static Card Single(CdsResponse response, string topic) =>
        Assert.Single(response.Cards, card => card.Source.Topic!.Code == topic);

    // ---- critical: testosterone + wants children --------------------------------------------------------------

    [Fact]
    public void GivenSecondaryAndFertilityDesired_WhenTestosteroneSigned_ThenCriticalCardReplacesDraftWithClomiphene()
    {
        var response = Compose(HookKind.OrderSign, Assessment(Classification.Secondary, FertilityIntent.Desired), Snapshot(TestosteroneDraft()));

        var card = response.Cards[0];
        Assert.Equal(CardIndicator.Critical, card.Indicator);
        Assert.Equal("fertility-conflict", card.Source.Topic!.Code);
        Assert.StartsWith("Testosterone will suppress sperm production – patient wants children", card.Summary, StringComparison.Ordinal);
        Assert.Contains("secondary hypogonadism", card.Summary, StringComparison.Ordinal);
        Assert.Contains("TT 245 ng/dL", card.Summary, StringComparison.Ordinal);
        Assert.Contains("intratesticular", card.Detail!, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("clomiphene citrate 25 mg daily", card.Detail!, StringComparison.Ordinal);

        // Lead with what to do: the two action lines come before the evidence and the physiology.
        var detail = card.Detail!;
        Assert.True(detail.IndexOf("What to do instead", StringComparison.Ordinal) < detail.IndexOf("intratesticular", StringComparison.OrdinalIgnoreCase));
        Assert.True(detail.IndexOf("start clomiphene citrate 25 mg daily instead", StringComparison.Ordinal) < detail.IndexOf("**Assessment:**", StringComparison.Ordinal));

        // Clomiphene (recommended), hCG and enclomiphene: one of them (at-most-one), each replacing the draft.
        Assert.Equal("at-most-one", card.SelectionBehavior);
        Assert.Equal(3, card.Suggestions!.Count);
        Assert.Contains("hCG", card.Suggestions[1].Label, StringComparison.Ordinal);
        Assert.Contains("not FDA-approved", card.Suggestions[2].Label, StringComparison.Ordinal);
        Assert.Null(card.Suggestions[1].IsRecommended);
        Assert.All(card.Suggestions, s => Assert.Equal(["create", "delete"], s.Actions!.Select(a => a.Type)));
        var suggestion = card.Suggestions[0];
        Assert.Equal("Replace with clomiphene citrate 25 mg daily", suggestion.Label);
        Assert.True(suggestion.IsRecommended);

        // Create first, then delete: a client that applies only the first action (the CDS Hooks sandbox) then still
        // creates the replacement instead of emptying the draft.
        Assert.Collection(
            suggestion.Actions!,
            create =>
            {
                Assert.Equal("create", create.Type);
                var order = Assert.IsType<MedicationRequest>(CardAssertions.ParseR4(create.Resource!));
                Assert.Equal(MedicationRequest.MedicationrequestStatus.Draft, order.Status);
                Assert.Equal(MedicationRequest.MedicationRequestIntent.Order, order.Intent);
                var medication = Assert.IsType<CodeableConcept>(order.Medication);
                Assert.Contains(medication.Coding, c => c.System == "http://www.nlm.nih.gov/research/umls/rxnorm" && c.Code == "1093060");
                var dose = Assert.IsType<Quantity>(Assert.Single(Assert.Single(order.DosageInstruction).DoseAndRate).Dose);
                Assert.Equal(25m, dose.Value);
                Assert.Equal("mg", dose.Code);
                Assert.Equal(1, order.DosageInstruction[0].Timing!.Repeat!.Frequency);
                Assert.Equal(Timing.UnitsOfTime.D, order.DosageInstruction[0].Timing!.Repeat!.PeriodUnit);
            },
            delete =>
            {
                Assert.Equal("delete", delete.Type);
                Assert.Equal("MedicationRequest/draft-t-1", delete.ResourceId);
            });

        Assert.NotNull(card.OverrideReasons);
        Assert.Contains(card.OverrideReasons!, r => r.Code == "prefers-alternative");
    }

    [Fact]
    public void GivenPrimaryAndFertilityDesired_WhenTestosteroneSigned_ThenCriticalCardRefersToReproductiveUrology()
    {
        var response = Compose(HookKind.OrderSign, Assessment(Classification.Primary, FertilityIntent.Desired), Snapshot(TestosteroneDraft()));

        var card = Single(response, "fertility-conflict");
        Assert.Equal(CardIndicator.Critical, card.Indicator);
        Assert.Contains("SERMs and hCG are not effective", card.Detail!, StringComparison.Ordinal);
        var suggestion = Assert.Single(card.Suggestions!);
        Assert.True(suggestion.IsRecommended);
        Assert.Equal("delete", suggestion.Actions![1].Type);
        var referral = Assert.IsType<ServiceRequest>(CardAssertions.ParseR4(suggestion.Actions[0].Resource!));
        Assert.Contains(referral.Code!.Coding, c => c.System == "http://snomed.info/sct" && c.Code == "183862006");
        Assert.Contains(referral.Category.SelectMany(c => c.Coding), c => c.Code == "3457005");
        Assert.Equal(RequestStatus.Draft, referral.Status);
    }

    [Fact]
    public void GivenDraftWithoutId_WhenFertilityConflict_ThenNoDeleteActionAndLabelSaysSo()
    {
        var response = Compose(HookKind.OrderSelect, Assessment(Classification.Secondary, FertilityIntent.Desired), Snapshot(TestosteroneDraft(id: null)));

        var suggestions = Single(response, "fertility-conflict").Suggestions!;
        Assert.All(suggestions, suggestion =>
        {
            Assert.DoesNotContain(suggestion.Actions!, a => a.Type == "delete");
            Assert.Contains("remove the testosterone order yourself", suggestion.Label, StringComparison.Ordinal);
        });
    }

    [Fact]
    public void GivenEugonadalAndFertilityDesired_WhenTestosteroneSigned_ThenCriticalCardCancelsAndWarningExplains()
    {
        var response = Compose(HookKind.OrderSign, Assessment(Classification.Eugonadal, FertilityIntent.Desired), Snapshot(TestosteroneDraft()));

        Assert.Equal(["fertility-conflict", "unconfirmed-diagnosis"], response.Cards.Select(c => c.Source.Topic!.Code));
        var cancel = Assert.Single(response.Cards[0].Suggestions!);
        Assert.Equal("delete", Assert.Single(cancel.Actions!).Type);
    }

    // ---- warnings for testosterone ----------------------------------------------------------------------------

    [Fact]
    public void GivenContraindications_WhenTestosteroneSigned_ThenWarningListsEachWithValueAndDate()
    {
        var assessment = Assessment(Classification.Secondary, FertilityIntent.NotDesired, TherapyKind.TestosteroneReplacement, HematocritAndPsa);

        var response = Compose(HookKind.OrderSign, assessment, Snapshot(TestosteroneDraft()));

        var card = Assert.Single(response.Cards); // no monitoring card: testosterone is not "appropriate" here
        Assert.Equal(CardIndicator.Warning, card.Indicator);
        Assert.Equal("trt-contraindication", card.Source.Topic!.Code);
        Assert.Contains("hematocrit above 48 % and 1 more", card.Summary, StringComparison.Ordinal);
        Assert.Contains("| Hematocrit above 48 % | relative | Hematocrit 51.2 % | 2025-05-20 |", card.Detail!, StringComparison.Ordinal);
        Assert.Contains("| PSA 4.6 ng/mL | 2025-05-20 |", card.Detail!, StringComparison.Ordinal);
        Assert.Equal("MedicationRequest/draft-t-1", Assert.Single(Assert.Single(card.Suggestions!).Actions!).ResourceId);
        Assert.NotNull(card.OverrideReasons);
    }

    [Fact]
    public void GivenInsufficientData_WhenTestosteroneSigned_ThenWarningOrdersTheMissingLabsWithLoinc()
    {
        var response = Compose(HookKind.OrderSign, Assessment(Classification.InsufficientData, FertilityIntent.NotDesired), Snapshot(TestosteroneDraft()));

        var card = Assert.Single(response.Cards);
        Assert.Equal(CardIndicator.Warning, card.Indicator);
        Assert.Equal("unconfirmed-diagnosis", card.Source.Topic!.Code);
        Assert.Contains("missing 2nd morning T and LH", card.Summary, StringComparison.Ordinal);
        Assert.Contains("a second morning total testosterone on another day and LH", card.Detail!, StringComparison.Ordinal);

        Assert.Equal(2, card.Suggestions!.Count);
        var order = card.Suggestions[0];
        Assert.True(order.IsRecommended);
        var labs = order.Actions!.Select(a => Assert.IsType<ServiceRequest>(CardAssertions.ParseR4(a.Resource!))).ToList();
        Assert.Equal(["2986-8", "10501-5"], labs.Select(l => l.Code!.Coding.Single(c => c.System == "http://loinc.org").Code));
        Assert.Contains("before 11:00", labs[0].PatientInstruction, StringComparison.Ordinal);
        Assert.Contains(labs[0].Category.SelectMany(c => c.Coding), c => c.Code == "108252007");
        Assert.Null(card.Suggestions[1].IsRecommended);
        Assert.Equal("delete", Assert.Single(card.Suggestions[1].Actions!).Type);
    }

    [Theory]
    [InlineData(Classification.Eugonadal, "Testosterone not indicated – testosterone and LH are normal")]
    [InlineData(Classification.Compensated, "Testosterone not indicated – compensated hypogonadism")]
    public void GivenNormalTestosterone_WhenTestosteroneSigned_ThenWarningSaysWhyNotIndicated(Classification classification, string summaryStart)
    {
        var response = Compose(HookKind.OrderSign, Assessment(classification, FertilityIntent.Unknown), Snapshot(TestosteroneDraft()));

        // The fertility-intent warning is held back while the diagnosis is unconfirmed (one warning, not two).
        var card = Assert.Single(response.Cards);
        Assert.StartsWith(summaryStart, card.Summary, StringComparison.Ordinal);
        Assert.Contains("TT 512 ng/dL", card.Summary, StringComparison.Ordinal);
        var cancel = Assert.Single(card.Suggestions!);
        Assert.Equal("Cancel the testosterone order", cancel.Label);
    }

    [Theory]
    [InlineData(FertilityIntent.Unknown, "not documented")]
    [InlineData(FertilityIntent.Unsure, "unsure")]
    public void GivenFertilityIntentNotKnown_WhenTestosteroneSigned_ThenWarningShowsBothPaths(FertilityIntent intent, string wording)
    {
        var response = Compose(HookKind.OrderSign, Assessment(Classification.Secondary, intent), Snapshot(TestosteroneDraft()));

        var card = Assert.Single(response.Cards);
        Assert.Equal(CardIndicator.Warning, card.Indicator);
        Assert.Equal("fertility-intent-undocumented", card.Source.Topic!.Code);
        Assert.Contains(wording, card.Summary, StringComparison.Ordinal);
        Assert.Contains("**Both paths**", card.Detail!, StringComparison.Ordinal);
        Assert.Contains("**Does not want children in the near term:**", card.Detail!, StringComparison.Ordinal);
        Assert.Contains("**Wants children or is unsure:**", card.Detail!, StringComparison.Ordinal);
        Assert.Contains("**Testosterone vs clomiphene / enclomiphene**", card.Detail!, StringComparison.Ordinal);

        // One click records the answer together with the order change it means (at most one: the answers exclude each other).
        Assert.Equal("at-most-one", card.SelectionBehavior);
        Assert.Collection(card.Suggestions!,
            wants =>
            {
                Assert.StartsWith("Wants children in the next year", wants.Label, StringComparison.Ordinal);
                Assert.Equal(["create", "delete", "create"], wants.Actions!.Select(a => a.Type));
                Assert.Equal("454411000124108", (string?)wants.Actions![0].Resource!["valueCodeableConcept"]!["coding"]![0]!["code"]);
                Assert.Equal("MedicationRequest", (string?)wants.Actions[2].Resource!["resourceType"]);
            },
            doesNot =>
            {
                Assert.StartsWith("Does not want children in the next year", doesNot.Label, StringComparison.Ordinal);
                Assert.Equal("454401000124105", (string?)Assert.Single(doesNot.Actions!).Resource!["valueCodeableConcept"]!["coding"]![0]!["code"]);
            });
    }

    // ---- info: monitoring ---------------------------------------------------------------------------------------

    [Fact]
    public void GivenTestosteroneAppropriate_WhenSigned_ThenInfoCardWithPlanAndLabOrders()
    {
        var assessment = Assessment(Classification.Secondary, FertilityIntent.NotDesired, TherapyKind.TestosteroneReplacement);

        var response = Compose(HookKind.OrderSign, assessment, Snapshot(TestosteroneDraft()));

        var card = Assert.Single(response.Cards);
        Assert.Equal(CardIndicator.Info, card.Indicator);
        Assert.Equal("trt-monitoring", card.Source.Topic!.Code);
        Assert.StartsWith("Testosterone monitoring: baseline tests now, next due 2025-09-01", card.Summary, StringComparison.Ordinal);
        Assert.Contains("| Test | When | First due | Why | Source |", card.Detail!, StringComparison.Ordinal);
        Assert.Contains("| Hematocrit | Baseline, 3-6 months, then yearly | 2025-06-02 | Withhold if above 54 % | ES 2018 |", card.Detail!, StringComparison.Ordinal);

        var orders = Assert.Single(card.Suggestions!).Actions!
            .Select(a => Assert.IsType<ServiceRequest>(CardAssertions.ParseR4(a.Resource!)))
            .ToList();
        Assert.Equal(["2986-8", "4544-3", "2857-1"], orders.Select(o => o.Code!.Coding[0].Code));
        Assert.Equal("2025-09-01", Assert.IsType<FhirDateTime>(orders[0].Occurrence).Value);
        Assert.Null(orders[1].Occurrence); // baseline: due now
    }

    [Theory]
    [InlineData(MedicationClass.Clomiphene, TherapyKind.Serm, "Clomiphene monitoring: 4 checks", 2)]
    [InlineData(MedicationClass.Hcg, TherapyKind.Hcg, "hCG monitoring: 2 checks", 2)]
    public void GivenFertilityTherapyDrafted_WhenSecondary_ThenInfoCardWithItsPlan(
        MedicationClass drug, TherapyKind plan, string summaryStart, int labOrders)
    {
        var draft = drug == MedicationClass.Hcg ? HcgDraft() : ClomipheneDraft();

        var response = Compose(HookKind.OrderSelect, Assessment(Classification.Secondary, FertilityIntent.Desired, plan), Snapshot(draft));

        var card = Assert.Single(response.Cards);
        Assert.Equal(CardIndicator.Info, card.Indicator);
        Assert.Equal("fertility-therapy-monitoring", card.Source.Topic!.Code);
        Assert.StartsWith(summaryStart, card.Summary, StringComparison.Ordinal);
        // Items without a LOINC code (semen analysis, symptom review) stay in the table but are not ordered.
        Assert.Equal(labOrders, Assert.Single(card.Suggestions!).Actions!.Count);
        Assert.Contains("trans-isomer", card.Detail!, StringComparison.Ordinal);
        Assert.Contains("zuclomiphene", card.Detail!, StringComparison.Ordinal);
    }

    [Fact]
    public void GivenClomipheneDrafted_WhenPrimary_ThenWarningAndReferralInsteadOfMonitoring()
    {
        var response = Compose(HookKind.OrderSign, Assessment(Classification.Primary, FertilityIntent.Desired, TherapyKind.Serm), Snapshot(ClomipheneDraft()));

        var card = Assert.Single(response.Cards);
        Assert.Equal(CardIndicator.Warning, card.Indicator);
        Assert.Equal("fertility-therapy-mismatch", card.Source.Topic!.Code);
        Assert.Contains("Clomiphene is unlikely to work", card.Summary, StringComparison.Ordinal);
        Assert.Contains("LH 14.2 IU/L", card.Summary, StringComparison.Ordinal);
        var suggestion = Assert.Single(card.Suggestions!);
        Assert.Equal("MedicationRequest/draft-c-1", suggestion.Actions![0].ResourceId);
        Assert.IsType<ServiceRequest>(CardAssertions.ParseR4(suggestion.Actions[1].Resource!));
    }

    [Fact]
    public void GivenActiveTestosterone_WhenClomipheneDrafted_ThenWarningThatTestosteroneSuppressesLh()
    {
        var snapshot = Snapshot(ClomipheneDraft()) with
        {
            Medications =
            [
                new MedicationFact { Class = MedicationClass.Testosterone, State = MedicationState.Active, Display = "testosterone gel" },
            ],
        };

        var response = Compose(HookKind.OrderSign, Assessment(Classification.Secondary, FertilityIntent.Desired, TherapyKind.Serm), snapshot);

        var card = Assert.Single(response.Cards);
        Assert.Equal(CardIndicator.Warning, card.Indicator);
        Assert.Contains("while on testosterone", card.Summary, StringComparison.Ordinal);
        Assert.Null(card.Suggestions);
    }

    // ---- patient-view -------------------------------------------------------------------------------------------

    [Fact]
    public void GivenSecondary_WhenPatientView_ThenOneInfoSummaryWithEvidenceTable()
    {
        var response = Compose(HookKind.PatientView, Assessment(Classification.Secondary, FertilityIntent.Desired), Snapshot());

        var card = Assert.Single(response.Cards);
        Assert.Equal(CardIndicator.Info, card.Indicator);
        Assert.Equal("Secondary hypogonadism – next: fertility-preserving therapy (clomiphene) (TT 245 ng/dL, LH 3.1 IU/L)", card.Summary);
        Assert.Contains("**Secondary hypogonadism (pituitary or hypothalamic)", card.Detail!, StringComparison.Ordinal);
        Assert.Contains("**Next step:** Fertility-preserving therapy", card.Detail!, StringComparison.Ordinal);

        var rows = CardAssertions.EvidenceRows(card.Detail!);
        Assert.Equal(4, rows.Count);
        Assert.Equal(["Total testosterone", "245", "ng/dL", "2025-05-20 08:10", "yes", "below 300 ng/dL"], rows[0]);
        Assert.Equal(["Total testosterone", "262", "ng/dL", "2025-04-28", "yes (time not recorded)", "below 300 ng/dL"], rows[1]);
        Assert.Equal("calculated by this service (Vermeulen); below 220 pmol/L", rows[2][5]);
        Assert.Equal(["LH", "3.1", "IU/L", "2025-05-20 08:10", "n/a", "not above 9.4 IU/L"], rows[3]);
    }

    [Fact]
    public void GivenInsufficientData_WhenPatientView_ThenSummaryOffersTheMissingLabs()
    {
        var response = Compose(HookKind.PatientView, Assessment(Classification.InsufficientData, FertilityIntent.Unknown), Snapshot());

        var card = Assert.Single(response.Cards);
        Assert.Equal(["Total testosterone", "262", "ng/dL", "2025-05-20 14:30", "no", "afternoon sample; not used for diagnosis"],
            CardAssertions.EvidenceRows(card.Detail!)[0]);
        Assert.Equal(2, Assert.Single(card.Suggestions!).Actions!.Count);
    }

    // ---- no cards -------------------------------------------------------------------------------------------

    [Theory]
    [InlineData(HookKind.PatientView)]
    [InlineData(HookKind.OrderSign)]
    public void GivenNotApplicable_WhenComposed_ThenNoCardsButTheAssessmentExtension(HookKind hook)
    {
        var response = Compose(hook, Assessment(Classification.NotApplicable, FertilityIntent.Unknown), Snapshot(TestosteroneDraft()));

        Assert.Empty(response.Cards);
        Assert.Equal("not-applicable", response.Extension![AssessmentExtension.Key]!["classification"]!.GetValue<string>());
    }

    [Fact]
    public void GivenOnlyUnrelatedDrafts_WhenOrderSign_ThenNoCards()
    {
        var other = new DraftOrder { Class = MedicationClass.Other, ResourceType = "MedicationRequest", ResourceId = "x", Display = "atorvastatin" };

        var response = Compose(HookKind.OrderSign, Assessment(Classification.Secondary, FertilityIntent.Desired), Snapshot(other));

        Assert.Empty(response.Cards);
    }

    // ---- ordering, uuids, escaping, links -------------------------------------------------------------------

    [Fact]
    public void GivenSeveralCards_WhenComposed_ThenCriticalFirstThenWarningsThenInfo()
    {
        var assessment = Assessment(Classification.Secondary, FertilityIntent.Desired, TherapyKind.Serm, HematocritAndPsa);

        var response = Compose(HookKind.OrderSign, assessment, Snapshot(ClomipheneDraft(), TestosteroneDraft()));

        Assert.Equal(
            [CardIndicator.Critical, CardIndicator.Warning, CardIndicator.Warning],
            response.Cards.Select(c => c.Indicator));
        Assert.Equal("fertility-therapy-mismatch", response.Cards[2].Source.Topic!.Code); // clomiphene + testosterone drafted
    }

    [Fact]
    public void GivenSameRequestTwice_WhenComposed_ThenUuidsAreStableAndDifferPerHookInstance()
    {
        var assessment = Assessment(Classification.Secondary, FertilityIntent.Desired);
        var request = Request(HookKind.OrderSign, assessment, Snapshot(TestosteroneDraft()));

        var first = Composer().Compose(request).Cards[0];
        var again = Composer().Compose(request).Cards[0];
        var other = Composer().Compose(request with { HookInstance = "5b0e5a1e-7a4c-4f7e-9d0e-2b8f1c9d3a11" }).Cards[0];

        Assert.Equal(first.Uuid, again.Uuid);
        Assert.Equal(first.Suggestions![0].Uuid, again.Suggestions![0].Uuid);
        Assert.NotEqual(first.Uuid, other.Uuid);
        Assert.NotEqual(first.Uuid, first.Suggestions[0].Uuid);
        Assert.Equal('8', first.Uuid![14]); // RFC 9562 version 8 (name-based, SHA-256)
    }

    [Fact]
    public void GivenHostileTextInData_WhenRendered_ThenEscapedAndTableIntact()
    {
        var assessment = Assessment(Classification.Secondary, FertilityIntent.NotDesired, TherapyKind.TestosteroneReplacement) with
        {
            Evidence =
            [
                new EvidenceItem
                {
                    Analyte = Analyte.TotalTestosterone,
                    Quantity = new LabQuantity(245m, LabUnit.NanogramsPerDeciliter),
                    Comparator = ValueComparator.LessThan,
                    EffectiveTime = SampleTime.At(new DateTimeOffset(2025, 5, 20, 8, 10, 0, TimeSpan.Zero)),
                    IsMorning = true,
                    Interpretation = "<script>alert(1)</script> | col <b>x</b>",
                },
            ],
            Reasons = ["Reason with <img src=x onerror=alert(1)> and | pipe"],
        };

        var card = Assert.Single(Compose(HookKind.PatientView, assessment, Snapshot()).Cards);

        var row = Assert.Single(CardAssertions.EvidenceRows(card.Detail!));
        Assert.Equal(6, row.Length);
        Assert.Equal("below 245", row[1]);
        Assert.Contains("\\<script\\>", row[5], StringComparison.Ordinal);
        Assert.Contains("\\<img", card.Detail!, StringComparison.Ordinal);
    }

    [Fact]
    public void GivenNoConfiguredBaseUrl_WhenRequestCarriesOne_ThenLinksUseIt()
    {
        var composer = new CardComposer(Options.Create(new CardComposerOptions()));
        var request = Request(HookKind.PatientView, Assessment(Classification.Secondary, FertilityIntent.Desired), Snapshot()) with
        {
            RequestBaseUrl = new Uri("https://cds.hospital.test/base/"),
        };

        var card = Assert.Single(composer.Compose(request).Cards);

        Assert.Equal("https://cds.hospital.test/base/docs/hypogonadism-rules", card.Links![0].Url);
    }

    [Fact]
    public void GivenNoBaseUrlAnywhere_WhenComposed_ThenFailsRatherThanSendRelativeLinks()
    {
        var composer = new CardComposer(Options.Create(new CardComposerOptions()));
        var request = Request(HookKind.PatientView, Assessment(Classification.Secondary, FertilityIntent.Desired), Snapshot());

        Assert.Throws<InvalidOperationException>(() => composer.Compose(request));
    }

    [Fact]
    public void GivenDataIssues_WhenRendered_ThenListedAsNotUsed()
    {
        var snapshot = Snapshot() with { DataIssues = [new DataIssue("unknown-unit", "Total testosterone 9.1 in 'nmol/dL' (unknown unit)")] };

        var card = Assert.Single(Compose(HookKind.PatientView, Assessment(Classification.Secondary, FertilityIntent.Desired), snapshot).Cards);

        Assert.Contains("**Not used**", card.Detail!, StringComparison.Ordinal);
        Assert.Contains("Total testosterone 9.1 in 'nmol/dL' \\(unknown unit\\)", card.Detail!, StringComparison.Ordinal);
    }

    [Fact]
    public void GivenTestosteroneAppropriateWithoutPlan_WhenSigned_ThenCardSaysSoAndOffersNoOrders()
    {
        var assessment = Assessment(Classification.Primary, FertilityIntent.NotDesired) with { MonitoringPlan = ImmutableArray<MonitoringItem>.Empty };

        var card = Assert.Single(Compose(HookKind.OrderSign, assessment, Snapshot(TestosteroneDraft())).Cards);

        Assert.Equal("trt-monitoring", card.Source.Topic!.Code);
        Assert.StartsWith("Testosterone: monitoring plan needed", card.Summary, StringComparison.Ordinal);
        Assert.Contains("The rules produced no monitoring items", card.Detail!, StringComparison.Ordinal);
        Assert.Null(card.Suggestions);
    }
}
