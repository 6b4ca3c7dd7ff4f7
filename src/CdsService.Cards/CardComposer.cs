using System.Collections.Immutable;
using System.Globalization;
using System.Text;
using CdsService.Clinical.Hypogonadism;
using CdsService.Clinical.Model;
using CdsService.Protocol;
using Microsoft.Extensions.Options;

namespace CdsService.Cards;

/// <summary>
/// Turns an assessment into the CDS Hooks response an EHR shows at prescribe time (issue 5). Which cards appear is
/// decided by <see cref="CardSelector"/>; this class writes them: summary, Markdown detail with the evidence,
/// suggestions with FHIR resources, override reasons, source and links. Stateless and thread-safe.
/// </summary>
public sealed class CardComposer
{
    private const string SourceLabel = "Hypogonadism CDS";
    private const string AtMostOne = "at-most-one";

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
        var writer = new Writer(request, RulesDocumentUrl(request), _options.Guidelines);
        return new CdsResponse
        {
            Cards = [.. kinds.Select(writer.Write)],
            Extension = AssessmentExtension.Build(request.Assessment),
        };
    }

    private string RulesDocumentUrl(CardRequest request)
    {
        // Links SHALL be absolute (CDS Hooks 2.0 §Link). Without a known base the link would be wrong, so fail loudly.
        var baseUrl = _options.PublicBaseUrl ?? request.RequestBaseUrl
            ?? throw new InvalidOperationException(
                "No public base URL: configure CdsHooks:PublicBaseUrl or pass CardRequest.RequestBaseUrl.");
        return baseUrl.AbsoluteUri.TrimEnd('/') + "/" + _options.RulesDocumentPath.TrimStart('/');
    }

    /// <summary>Writes the cards of one request.</summary>
    private sealed class Writer(CardRequest request, string rulesUrl, GuidelineLinks guidelines)
    {
        private static readonly string[] EvidenceHeaders = ["Test", "Result", "Unit", "Date", "Morning sample", "Note"];

        private static readonly string[] PlanHeaders = ["Test", "When", "First due", "Why", "Source"];

        private static readonly string ComparisonSection = BuildComparisonSection();

        private Assessment Assessment => request.Assessment;

        private PatientSnapshot Snapshot => request.Snapshot;

        public Card Write(CardKind kind) => kind switch
        {
            CardKind.FertilityConflict => FertilityConflict(),
            CardKind.TrtContraindication => Contraindications(),
            CardKind.UnconfirmedDiagnosis => UnconfirmedDiagnosis(),
            CardKind.FertilityIntentUndocumented => FertilityIntentUndocumented(),
            CardKind.TrtMonitoring => TrtMonitoring(),
            CardKind.FertilityTherapyMonitoring => FertilityTherapy(mismatch: false),
            CardKind.FertilityTherapyMismatch => FertilityTherapy(mismatch: true),
            CardKind.PatientSummary => PatientSummary(),
            _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, null),
        };

        // ---- the cards ----------------------------------------------------------------------------------------

        private Card FertilityConflict()
        {
            const CardKind kind = CardKind.FertilityConflict;
            var summary = SummaryText.Fit(
                "Testosterone will suppress sperm production – patient wants children",
                ClinicalWording.ClassificationShort(Assessment.Classification),
                KeyValue(Analyte.TotalTestosterone, "TT"));

            var detail = DetailBuilder.Rent();
            detail.Append("**He wants children, and testosterone stops sperm production.**\n\n");
            detail.Append(ClinicalWording.TestosteroneSuppressesSpermatogenesis).Append("\n\n");
            detail.Append("**What to do instead**\n\n").Append(ClinicalWording.InsteadFor(Assessment)).Append("\n\n");
            AppendAssessment(detail);
            AppendEvidence(detail);
            AppendReasons(detail);
            AppendComparison(detail);
            AppendFooter(detail);

            var deletes = DeleteDrafts(DraftKinds.IsTestosterone);
            var suggestions = new List<Suggestion>();
            switch (Assessment.Classification)
            {
                case Classification.Secondary:
                    suggestions.Add(Suggest(kind, 0,
                        deletes.Count > 0
                            ? "Replace with clomiphene citrate 25 mg daily"
                            : "Add clomiphene citrate 25 mg daily (remove the testosterone order yourself)",
                        recommended: true,
                        [.. deletes, new SuggestionAction
                        {
                            Type = "create",
                            Description = "Order clomiphene citrate 25 mg (half a 50 mg tablet) by mouth once daily",
                            Resource = SuggestedResources.ClomipheneOrder(request.PatientId),
                        }]));
                    break;

                case Classification.Primary or Classification.ExogenousAndrogen:
                    suggestions.Add(Suggest(kind, 0,
                        deletes.Count > 0
                            ? "Cancel testosterone and refer to reproductive urology"
                            : "Refer to reproductive urology (remove the testosterone order yourself)",
                        recommended: true,
                        [.. deletes, ReferralAction()]));
                    break;

                default:
                    if (deletes.Count > 0)
                    {
                        suggestions.Add(Suggest(kind, 0, "Cancel the testosterone order", recommended: true, deletes));
                    }

                    break;
            }

            return MakeCard(kind, CardIndicator.Critical, summary, detail, guidelines.EndocrineSociety,
                "Endocrine Society 2018: testosterone therapy in men", suggestions,
                CardTerminology.TestosteroneOverrideReasons);
        }

        private Card Contraindications()
        {
            const CardKind kind = CardKind.TrtContraindication;
            var findings = Assessment.TrtContraindications
                .Where(c => c.Code != TrtContraindication.FertilityDesired)
                .ToList();
            var first = ClinicalWording.ContraindicationShort(findings[0].Code);
            var core = findings.Count == 1
                ? $"Testosterone contraindicated: {first}"
                : $"Testosterone contraindicated: {first} and {findings.Count - 1} more";
            var firstDate = findings[0].Date is { } date ? MarkdownText.Date(DateOnly.FromDateTime(date.DateTime)) : null;

            // The engine's evidence usually names its own date ("Hematocrit 50.5 % on 2026-10-09", "… (onset
            // 2025-11-03)"); repeating it would spend summary characters on noise.
            var summary = SummaryText.Fit(
                core,
                findings[0].Evidence,
                firstDate is not null && !findings[0].Evidence.Contains(firstDate, StringComparison.Ordinal) ? firstDate : null);

            var detail = DetailBuilder.Rent();
            detail.Append("**Testosterone is contraindicated or needs evaluation first.**\n\n");
            MarkdownText.AppendTable(detail, ["Contraindication", "Finding", "Date"], findings.Select(f => (IReadOnlyList<string>)
            [
                ClinicalWording.Contraindication(f.Code),
                MarkdownText.Escape(f.Evidence),
                f.Date is { } d ? MarkdownText.Date(DateOnly.FromDateTime(d.DateTime)) : "date not recorded",
            ]));
            detail.Append(
                "These are the Endocrine Society (2018, Table 4) conditions in which testosterone should not be started " +
                "without specialist evaluation; the EAU treats hematocrit 48–50 % as a relative and above 54 % as an " +
                "absolute contraindication.\n\n");
            AppendAssessment(detail);
            AppendEvidence(detail);
            AppendReasons(detail);
            AppendFooter(detail);

            var deletes = DeleteDrafts(DraftKinds.IsTestosterone);
            List<Suggestion> suggestions = deletes.Count > 0
                ? [Suggest(kind, 0, "Cancel the testosterone order", recommended: true, deletes)]
                : [];

            return MakeCard(kind, CardIndicator.Warning, summary, detail, guidelines.EndocrineSociety,
                "Endocrine Society 2018: testosterone therapy in men", suggestions,
                CardTerminology.TestosteroneOverrideReasons);
        }

        private Card UnconfirmedDiagnosis()
        {
            const CardKind kind = CardKind.UnconfirmedDiagnosis;
            var missing = Assessment.MissingData;
            string summary;
            var detail = DetailBuilder.Rent();
            switch (Assessment.Classification)
            {
                case Classification.InsufficientData:
                    summary = SummaryText.Fit(
                        "Hypogonadism not confirmed – complete the work-up before testosterone",
                        missing.IsDefaultOrEmpty ? null : "missing " + ClinicalWording.JoinAnd(missing.Select(ClinicalWording.MissingShort)),
                        KeyValue(Analyte.TotalTestosterone, "TT"));
                    detail.Append("**The diagnosis is not confirmed yet.** ");
                    detail.Append(
                        "Testosterone deficiency needs two early-morning total testosterone values on different days, both " +
                        "low, and an LH to tell primary from secondary (AUA 2018 statements 2 and 6; ES 2018).\n\n");
                    if (!missing.IsDefaultOrEmpty)
                    {
                        detail.Append("**Missing:** ").Append(ClinicalWording.MissingText(missing)).Append(".\n\n");
                    }

                    break;

                case Classification.Compensated:
                    summary = SummaryText.Fit(
                        "Testosterone not indicated – compensated hypogonadism",
                        KeyValue(Analyte.TotalTestosterone, "TT"), KeyValue(Analyte.Lh, "LH"));
                    detail.Append("**Testosterone is normal; only LH is high.** ");
                    detail.Append(
                        "Compensated hypogonadism is not associated with clear androgen deficiency and often reverts; it " +
                        "does carry a higher risk of later primary hypogonadism, so repeat testosterone and LH if symptoms " +
                        "persist (Eendebak et al. 2018, EMAS). Testosterone therapy is not recommended.\n\n");
                    break;

                default:
                    // When free testosterone decided (grey zone or abnormal SHBG, rule AND-2) the total value may sit
                    // below 300 ng/dL; naming it "normal" would contradict the number shown next to it.
                    summary = Assessment.RuleIds.Contains("AND-2")
                        ? SummaryText.Fit(
                            "Testosterone not indicated – free testosterone and LH are normal",
                            KeyValue(Analyte.FreeTestosterone, "FT"), KeyValue(Analyte.TotalTestosterone, "TT"), KeyValue(Analyte.Lh, "LH"))
                        : SummaryText.Fit(
                            "Testosterone not indicated – testosterone and LH are normal",
                            KeyValue(Analyte.TotalTestosterone, "TT"), KeyValue(Analyte.Lh, "LH"));
                    detail.Append("**No biochemical hypogonadism.** ");
                    detail.Append(
                        "Testosterone therapy is not recommended for men whose testosterone is not low (ES 2018; the EAU: " +
                        "do not treat eugonadal men).\n\n");
                    break;
            }

            AppendAssessment(detail);
            AppendEvidence(detail);
            AppendReasons(detail);
            AppendFooter(detail);

            var suggestions = new List<Suggestion>();
            if (!missing.IsDefaultOrEmpty)
            {
                suggestions.Add(Suggest(kind, 0,
                    "Order the missing tests: " + ClinicalWording.JoinAnd(missing.Select(ClinicalWording.MissingShort)),
                    recommended: true, MissingLabOrders()));
            }

            var deletes = DeleteDrafts(DraftKinds.IsTestosterone);
            if (deletes.Count > 0)
            {
                suggestions.Add(Suggest(kind, 1, "Cancel the testosterone order", recommended: null, deletes));
            }

            return MakeCard(kind, CardIndicator.Warning, summary, detail, guidelines.Aua,
                "AUA 2018: evaluation and management of testosterone deficiency", suggestions, overrideReasons: null);
        }

        private Card FertilityIntentUndocumented()
        {
            const CardKind kind = CardKind.FertilityIntentUndocumented;
            var summary = SummaryText.Fit(
                $"Plans for children {(Assessment.FertilityIntent == FertilityIntent.Unsure ? "unsure" : "not documented")} – document them before starting testosterone",
                ClinicalWording.ClassificationShort(Assessment.Classification),
                KeyValue(Analyte.TotalTestosterone, "TT"));

            var detail = DetailBuilder.Rent();
            detail.Append("**Ask whether he wants children in the next year, and record the answer, before starting testosterone.** ");
            detail.Append(
                "Testosterone suppresses sperm production for months, so the choice of treatment depends on it " +
                "(AUA 2018; BSSM 2023: discuss the impact of testosterone on fertility and offer alternatives).\n\n");
            detail.Append("**Both paths**\n\n");
            detail.Append("- **Does not want children in the near term:** testosterone replacement is an option, with the monitoring plan (ES 2018).\n");
            detail.Append("- **Wants children or is unsure:** ").Append(ClinicalWording.InsteadFor(Assessment)).Append('\n');
            detail.Append('\n');
            AppendAssessment(detail);
            AppendEvidence(detail);
            AppendReasons(detail);
            AppendComparison(detail);
            AppendFooter(detail);

            return MakeCard(kind, CardIndicator.Warning, summary, detail, guidelines.Aua,
                "AUA 2018: evaluation and management of testosterone deficiency", suggestions: [], overrideReasons: null);
        }

        private Card TrtMonitoring()
        {
            const CardKind kind = CardKind.TrtMonitoring;
            var plan = PlanFor(TherapyKind.TestosteroneReplacement);
            var summary = SummaryText.Fit(
                MonitoringCore("Testosterone", plan),
                ClinicalWording.ClassificationShort(Assessment.Classification),
                KeyValue(Analyte.TotalTestosterone, "TT"));

            var detail = DetailBuilder.Rent();
            detail.Append("**Testosterone fits this assessment. Monitor it as follows.**\n\n");
            AppendPlan(detail, plan);
            detail.Append(
                "Aim for mid-normal testosterone (450–600 ng/dL, AUA 2018). Withhold testosterone if hematocrit rises above " +
                "54 %, and refer to urology if PSA rises more than 1.4 ng/mL within 12 months (ES 2018).\n\n");
            AppendAssessment(detail);
            AppendEvidence(detail);
            AppendReasons(detail);
            AppendFooter(detail);

            return MakeCard(kind, CardIndicator.Info, summary, detail, guidelines.EndocrineSociety,
                "Endocrine Society 2018: testosterone therapy in men", MonitoringSuggestions(kind, plan), overrideReasons: null);
        }

        private Card FertilityTherapy(bool mismatch)
        {
            var kind = mismatch ? CardKind.FertilityTherapyMismatch : CardKind.FertilityTherapyMonitoring;
            var drafts = Snapshot.DraftOrders.Where(DraftKinds.IsFertilityTherapy).ToList();
            var drug = string.Join("/", drafts.Select(d => ClinicalWording.DrugName(d.Class)).Distinct(StringComparer.Ordinal));
            var drugInSentence = string.Join("/", drafts.Select(d => ClinicalWording.DrugNameInSentence(d.Class)).Distinct(StringComparer.Ordinal));
            var drafted = drafts.Select(d => d.Class == MedicationClass.Hcg ? TherapyKind.Hcg : TherapyKind.Serm).ToHashSet();
            var therapy = Assessment.MonitoringFor is { } planned && drafted.Contains(planned) ? planned : drafted.First();
            var plan = PlanFor(therapy);
            var primary = Assessment.Classification == Classification.Primary;
            var testosteroneDrafted = Snapshot.DraftOrders.Any(DraftKinds.IsTestosterone);

            string summary;
            var detail = DetailBuilder.Rent();
            if (mismatch && primary)
            {
                summary = SummaryText.Fit(
                    $"{drug} is unlikely to work – primary hypogonadism: the testes cannot respond",
                    KeyValue(Analyte.Lh, "LH"), KeyValue(Analyte.TotalTestosterone, "TT"));
                detail.Append($"**{MarkdownText.Escape(drug)} is unlikely to help: the testes are failing.** ");
                detail.Append(
                    "Clomiphene and enclomiphene work by raising LH and FSH, and hCG by acting like LH. In primary " +
                    "hypogonadism LH is already high and the testes cannot respond, so these drugs are not effective " +
                    "(ES 2018; MKSAP: clomiphene works only when the axis is intact). For fertility, refer to reproductive " +
                    "urology (semen analysis, karyotype, sperm banking, micro-TESE).\n\n");
            }
            else if (mismatch)
            {
                summary = SummaryText.Fit(
                    $"{drug} ordered while on testosterone – testosterone keeps LH/FSH suppressed",
                    ClinicalWording.ClassificationShort(Assessment.Classification));
                detail.Append(testosteroneDrafted
                    ? "**Testosterone is being ordered at the same time.** "
                    : Assessment.Classification == Classification.ExogenousAndrogen
                        ? "**He has taken testosterone or anabolic steroids in the last 6 months.** "
                        : "**He is taking testosterone.** ");
                detail.Append(drafts.All(d => d.Class == MedicationClass.Hcg)
                    ? "hCG acts like LH and can support the testes while testosterone continues, but testosterone still " +
                      "suppresses FSH. "
                    : "Exogenous testosterone suppresses LH and FSH, so a SERM cannot restore them while it continues. ");
                detail.Append(
                    "If the goal is conception, stop testosterone; hCG and/or clomiphene can then restart sperm production, " +
                    "and recovery takes months (McBride and Coward 2016; AUA 2018).\n\n");
            }
            else
            {
                summary = SummaryText.Fit(
                    MonitoringCore(drug, plan),
                    ClinicalWording.ClassificationShort(Assessment.Classification),
                    KeyValue(Analyte.TotalTestosterone, "TT"));
                detail.Append($"**{MarkdownText.Escape(drug)} monitoring.** ");
                detail.Append(
                    "Check the response at 4–8 weeks and titrate to mid-normal testosterone; ask about visual disturbances " +
                    "(stop the SERM) and mood changes (AUA 2018 Table 7; Liel 2017).\n\n");
            }

            AppendPlan(detail, plan);
            AppendAssessment(detail);
            AppendEvidence(detail);
            AppendReasons(detail);
            AppendComparison(detail);
            AppendFooter(detail);

            var suggestions = new List<Suggestion>();
            if (mismatch && primary)
            {
                var deletes = DeleteDrafts(DraftKinds.IsFertilityTherapy);
                suggestions.Add(Suggest(kind, 0,
                    deletes.Count > 0 ? $"Cancel {drugInSentence} and refer to reproductive urology" : "Refer to reproductive urology",
                    recommended: true, [.. deletes, ReferralAction()]));
            }
            else if (!mismatch)
            {
                suggestions.AddRange(MonitoringSuggestions(kind, plan));
            }

            return MakeCard(kind, mismatch ? CardIndicator.Warning : CardIndicator.Info, summary, detail, guidelines.Aua,
                "AUA 2018: evaluation and management of testosterone deficiency", suggestions, overrideReasons: null);
        }

        private Card PatientSummary()
        {
            const CardKind kind = CardKind.PatientSummary;
            var summary = SummaryText.Fit(
                Capitalise(ClinicalWording.ClassificationShort(Assessment.Classification)) + " – next: "
                    + ClinicalWording.NextStepShort(Assessment.Recommendation),
                KeyValue(Analyte.TotalTestosterone, "TT"), KeyValue(Analyte.Lh, "LH"));

            var detail = DetailBuilder.Rent();
            detail.Append("**").Append(ClinicalWording.ClassificationLong(Assessment.Classification)).Append(".**\n\n");
            detail.Append("**Next step:** ").Append(ClinicalWording.NextStep(Assessment)).Append("\n\n");
            AppendAssessment(detail, classification: false);
            if (!Assessment.TrtContraindications.IsDefaultOrEmpty)
            {
                detail.Append("**Against testosterone:** ")
                    .AppendJoin("; ", Assessment.TrtContraindications.Select(c =>
                        ClinicalWording.Contraindication(c.Code) + ": " + MarkdownText.Escape(c.Evidence)))
                    .Append("\n\n");
            }

            AppendEvidence(detail);
            if (!Assessment.MonitoringPlan.IsDefaultOrEmpty)
            {
                AppendPlan(detail, Assessment.MonitoringPlan);
            }

            AppendReasons(detail);
            if (Assessment.Classification is Classification.Primary or Classification.Secondary)
            {
                AppendComparison(detail);
            }

            AppendFooter(detail);

            var suggestions = new List<Suggestion>();
            if (!Assessment.MissingData.IsDefaultOrEmpty)
            {
                suggestions.Add(Suggest(kind, 0,
                    "Order the missing tests: " + ClinicalWording.JoinAnd(Assessment.MissingData.Select(ClinicalWording.MissingShort)),
                    recommended: true, MissingLabOrders()));
            }
            else if (Assessment.Recommendation is Recommendation.ReferReproductiveUrology or Recommendation.FertilityRestoration)
            {
                suggestions.Add(Suggest(kind, 0, "Refer to reproductive urology", recommended: true, [ReferralAction()]));
            }

            return MakeCard(kind, CardIndicator.Info, summary, detail, guidelines.Aua,
                "AUA 2018: evaluation and management of testosterone deficiency", suggestions, overrideReasons: null);
        }

        // ---- detail sections ----------------------------------------------------------------------------------

        private void AppendAssessment(StringBuilder detail, bool classification = true)
        {
            if (classification)
            {
                detail.Append("**Assessment:** ").Append(ClinicalWording.ClassificationLong(Assessment.Classification)).Append(". ");
            }

            detail.Append("**Plans for children:** ").Append(ClinicalWording.IntentText(Assessment.FertilityIntent)).Append(".\n\n");
            if (!Assessment.AdditionalWorkup.IsDefaultOrEmpty)
            {
                detail.Append("**Also consider:** ")
                    .AppendJoin("; ", Assessment.AdditionalWorkup.Select(ClinicalWording.Workup)).Append(".\n\n");
            }
        }

        /// <summary>Every result the rules used (issue 5: analyte, value, unit, date, morning or not).</summary>
        private void AppendEvidence(StringBuilder detail)
        {
            detail.Append("**Results used**\n\n");
            if (Assessment.Evidence.IsDefaultOrEmpty)
            {
                detail.Append("No usable laboratory result was found in the lookback period.\n\n");
            }
            else
            {
                MarkdownText.AppendTableHeader(detail, EvidenceHeaders);
                foreach (var evidence in EvidenceInTableOrder())
                {
                    var row = new MarkdownRow(detail);
                    detail.Append(ClinicalWords.DescribeOrThrow(evidence.Analyte));
                    row.Next();
                    detail.Append(ClinicalWording.Comparator(evidence.Comparator))
                        .Append(CultureInfo.InvariantCulture, $"{evidence.Quantity.Value:0.###}");
                    row.Next();
                    detail.Append(ClinicalWords.DescribeOrThrow(evidence.Quantity.Unit));
                    row.Next();
                    if (evidence.EffectiveTime.TimeRecorded)
                    {
                        detail.Append(CultureInfo.InvariantCulture, $"{evidence.EffectiveTime.Value:yyyy-MM-dd HH:mm}");
                    }
                    else
                    {
                        detail.Append(CultureInfo.InvariantCulture, $"{evidence.EffectiveTime.LocalDate:yyyy-MM-dd}");
                    }

                    row.Next();
                    detail.Append(Morning(evidence));
                    row.Next();
                    AppendNote(detail, evidence);
                    row.End();
                }

                detail.Append('\n');
            }

            // issue 4: unusable inputs are shown to the clinician, never guessed (from mapping and from the rules).
            if (Snapshot.DataIssues.IsDefaultOrEmpty && Assessment.DataIssues.IsDefaultOrEmpty)
            {
                return;
            }

            var issues = Snapshot.DataIssues.Concat(Assessment.DataIssues).Distinct().ToList();
            if (issues.Count > 0)
            {
                detail.Append("**Not used** (could not be interpreted safely)\n\n");
                foreach (var issue in issues)
                {
                    detail.Append("- ").Append(MarkdownText.Escape(issue.Description)).Append('\n');
                }

                detail.Append('\n');
            }
        }

        private void AppendReasons(StringBuilder detail)
        {
            if (Assessment.Reasons.IsDefaultOrEmpty)
            {
                return;
            }

            detail.Append("**Why**\n\n");
            foreach (var reason in Assessment.Reasons)
            {
                detail.Append("- ").Append(MarkdownText.Escape(reason)).Append('\n');
            }

            detail.Append('\n');
        }

        private static void AppendPlan(StringBuilder detail, ImmutableArray<MonitoringItem> plan)
        {
            detail.Append("**Monitoring plan**\n\n");
            if (plan.IsDefaultOrEmpty)
            {
                detail.Append("The rules produced no monitoring items for this therapy; see the rules document.\n\n");
                return;
            }

            MarkdownText.AppendTableHeader(detail, PlanHeaders);
            foreach (var item in plan)
            {
                var row = new MarkdownRow(detail);
                detail.Append(MarkdownText.Escape(item.Test));
                row.Next();
                detail.Append(MarkdownText.Escape(item.When));
                row.Next();
                detail.Append(CultureInfo.InvariantCulture, $"{item.Due:yyyy-MM-dd}");
                row.Next();
                detail.Append(MarkdownText.Escape(item.Reason));
                row.Next();
                detail.Append(MarkdownText.Escape(item.Source));
                row.End();
            }

            detail.Append('\n');
        }

        private static void AppendComparison(StringBuilder detail) => detail.Append(ComparisonSection);

        /// <summary>
        /// Issue 5: "for therapy choices a short comparison of TRT vs clomiphene/enclomiphene". Sources: ES 2018, AUA 2018,
        /// Liel 2017 (clomiphene: testosterone 7.6 → 19.3 nmol/L at 6–8 weeks), Wiehle 2014 (enclomiphene conserved sperm
        /// counts vs testosterone gel), Kim 2013 (recovery after testosterone), DailyMed clomiphene label (isomers).
        /// The same for every patient, so written once.
        /// </summary>
        private static string BuildComparisonSection()
        {
            var section = new StringBuilder();
            section.Append("**Testosterone vs clomiphene / enclomiphene**\n\n");
            MarkdownText.AppendTable(section, ["", "Testosterone (TRT)", "Clomiphene citrate", "Enclomiphene"],
            [
                ["Mechanism", "Replaces testosterone from outside", "SERM: blocks estrogen feedback at the hypothalamus and pituitary, so the body makes more LH, FSH and testosterone", "The trans-isomer of clomiphene, without the long-lived estrogenic zuclomiphene (cis-isomer); not FDA-approved"],
                ["LH and FSH", "Suppressed", "Raised", "Raised"],
                ["Sperm production", "Falls, often to zero; recovery takes months to over a year", "Maintained or improved", "Maintained (Wiehle 2014)"],
                ["Speed of effect", "Days to weeks", "Testosterone rises over 4–8 weeks", "Weeks, similar to clomiphene"],
                ["Needs working testes and pituitary", "No", "Yes (not for primary hypogonadism)", "Yes (not for primary hypogonadism)"],
                ["Key monitoring", "Testosterone at 3–6 months, hematocrit (withhold above 54 %), PSA", "Testosterone and estradiol at 4–8 weeks, LH/FSH, semen analysis every 3 months, vision and mood", "As for clomiphene"],
            ]);
            return section.ToString();
        }

        private void AppendFooter(StringBuilder detail)
        {
            detail.Append("_Rules ").Append(MarkdownText.Escape(Assessment.RulesVersion));
            if (!Assessment.RuleIds.IsDefaultOrEmpty)
            {
                // The ids of the decision-table rows that fired, as listed in the linked rules document.
                detail.Append(" (rows ").AppendJoin(", ", Assessment.RuleIds.Select(MarkdownText.Escape)).Append(')');
            }

            detail.Append(", assessed ").Append(MarkdownText.Date(DateOnly.FromDateTime(Assessment.EvaluatedAt.DateTime)))
                .Append(". Decision support; the prescriber decides._");
        }

        // ---- suggestions --------------------------------------------------------------------------------------

        private List<SuggestionAction> DeleteDrafts(Func<DraftOrder, bool> which) =>
        [
            .. Snapshot.DraftOrders
                .Where(which)
                .Where(d => !string.IsNullOrEmpty(d.ResourceId))
                .Select(d => new SuggestionAction
                {
                    Type = "delete",
                    Description = $"Remove the draft {(d.Display is { Length: > 0 } display ? display : ClinicalWording.DrugNameInSentence(d.Class))} order",
                    // CDS Hooks 2.0 §Action: delete uses resourceId (a relative reference), not resource (cds-resp-2).
                    ResourceId = $"{d.ResourceType}/{d.ResourceId}",
                }),
        ];

        private SuggestionAction ReferralAction() => new()
        {
            Type = "create",
            Description = "Refer to reproductive urology (semen analysis, karyotype, sperm banking)",
            Resource = SuggestedResources.ReproductiveUrologyReferral(
                request.PatientId, ClinicalWording.ClassificationLong(Assessment.Classification)),
        };

        private List<SuggestionAction> MissingLabOrders() =>
        [
            .. Assessment.MissingData.Select(missing =>
            {
                var loinc = CardTerminology.LoincFor(missing);
                var morning = missing is MissingData.MorningTotalTestosterone or MissingData.SecondMorningTotalTestosterone;
                return new SuggestionAction
                {
                    Type = "create",
                    Description = "Order " + ClinicalWording.Missing(missing),
                    Resource = SuggestedResources.LabOrder(
                        request.PatientId,
                        loinc,
                        Capitalise(ClinicalWording.Missing(missing)),
                        due: null,
                        // AUA 2018 statement 2: early-morning samples; BSSM 2023: fasting, before 11:00.
                        morning ? "Fasting sample before 11:00 in the morning" + (missing == MissingData.SecondMorningTotalTestosterone ? ", on a different day from the last one" : string.Empty) : null),
                };
            }),
        ];

        private List<Suggestion> MonitoringSuggestions(CardKind kind, ImmutableArray<MonitoringItem> plan)
        {
            if (plan.IsDefaultOrEmpty)
            {
                return [];
            }

            var today = Today;
            var actions = new List<SuggestionAction>(plan.Length);
            foreach (var item in plan)
            {
                if (string.IsNullOrEmpty(item.Loinc))
                {
                    continue;
                }

                actions.Add(new SuggestionAction
                {
                    Type = "create",
                    Description = item.Due > today
                        ? string.Create(CultureInfo.InvariantCulture, $"Order {item.Test}, due {item.Due:yyyy-MM-dd}")
                        : $"Order {item.Test} now (baseline)",
                    Resource = SuggestedResources.LabOrder(
                        request.PatientId,
                        // The plan carries the code but not LOINC's display; the test name goes in CodeableConcept.text.
                        new Coding { System = CardTerminology.Loinc, Code = item.Loinc },
                        item.Test,
                        // Baseline items are due now: no occurrence, the lab draws them with the next sample.
                        due: item.Due > today ? item.Due : null,
                        patientInstruction: null),
                });
            }

            return actions.Count == 0
                ? []
                : [Suggest(kind, 0, $"Order the {actions.Count} monitoring tests (baseline and follow-up)", recommended: null, actions)];
        }

        private Suggestion Suggest(CardKind kind, int index, string label, bool? recommended, IReadOnlyList<SuggestionAction> actions) =>
            new()
            {
                Label = label,
                Uuid = DeterministicUuid.Create(request.HookInstance, $"{kind.ToCode()}/suggestion/{index}"),
                IsRecommended = recommended,
                Actions = actions,
            };

        // ---- card shell ---------------------------------------------------------------------------------------

        private Card MakeCard(
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
                Uuid = DeterministicUuid.Create(request.HookInstance, topic),
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
                Links =
                [
                    new Link { Label = "How this advice is reached: rules and sources", Url = rulesUrl, Type = "absolute" },
                    new Link { Label = guidelineLabel, Url = guideline.AbsoluteUri, Type = "absolute" },
                ],
            };
        }

        // ---- small helpers ------------------------------------------------------------------------------------

        private ImmutableArray<MonitoringItem> PlanFor(TherapyKind therapy) =>
            Assessment.MonitoringFor == therapy ? Assessment.MonitoringPlan : [];

        /// <summary>"TT 245 ng/dL": the newest value of an analyte the rules used, for the summary.</summary>
        private string? KeyValue(Analyte analyte, string label)
        {
            // The first of the newest, as a stable descending sort would pick.
            EvidenceItem? newest = null;
            foreach (var evidence in Assessment.Evidence)
            {
                if (evidence.Analyte == analyte && (newest is null || evidence.EffectiveTime.Value > newest.EffectiveTime.Value))
                {
                    newest = evidence;
                }
            }

            return newest is null
                ? null
                : $"{label} {ClinicalWording.Comparator(newest.Comparator)}{MarkdownText.Number(newest.Quantity.Value)} {ClinicalWords.DescribeOrThrow(newest.Quantity.Unit)}";
        }

        private string MonitoringCore(string drug, ImmutableArray<MonitoringItem> plan)
        {
            if (plan.IsDefaultOrEmpty)
            {
                return $"{drug}: monitoring plan needed";
            }

            var today = Today;
            var baseline = false;
            DateOnly? next = null;
            foreach (var item in plan)
            {
                if (item.Due <= today)
                {
                    baseline = true;
                }
                else if (next is null || item.Due < next)
                {
                    next = item.Due;
                }
            }

            return (baseline, next) switch
            {
                (true, { } date) => string.Create(CultureInfo.InvariantCulture, $"{drug} monitoring: baseline tests now, next due {date:yyyy-MM-dd}"),
                (true, null) => $"{drug} monitoring: baseline tests now",
                (false, { } date) => string.Create(CultureInfo.InvariantCulture, $"{drug} monitoring: {plan.Length} checks, first due {date:yyyy-MM-dd}"),
                _ => string.Create(CultureInfo.InvariantCulture, $"{drug} monitoring: {plan.Length} checks"),
            };
        }

        private DateOnly Today => DateOnly.FromDateTime(Assessment.EvaluatedAt.DateTime);

        private static string Morning(EvidenceItem evidence) => evidence.IsMorning switch
        {
            null => "n/a",
            true when !evidence.EffectiveTime.TimeRecorded => "yes (time not recorded)",
            true => "yes",
            false => "no",
        };

        private static void AppendNote(StringBuilder detail, EvidenceItem evidence)
        {
            var note = MarkdownText.Escape(evidence.Interpretation);
            if (evidence.CalculatedByService)
            {
                detail.Append("calculated by this service (Vermeulen)");
                if (note.Length > 0)
                {
                    detail.Append("; ");
                }
            }

            detail.Append(note);
        }

        /// <summary>
        /// The evidence by analyte, newest first within one: a stable insertion sort, so results with the same analyte
        /// and time keep the engine's order (as LINQ's OrderBy/ThenByDescending did, without its key arrays; the
        /// lists hold a few dozen results at most).
        /// </summary>
        private EvidenceItem[] EvidenceInTableOrder()
        {
            var ordered = Assessment.Evidence.ToArray();
            for (var next = 1; next < ordered.Length; next++)
            {
                var item = ordered[next];
                var at = next;
                while (at > 0 && SortsAfter(ordered[at - 1], item))
                {
                    ordered[at] = ordered[at - 1];
                    at--;
                }

                ordered[at] = item;
            }

            return ordered;
        }

        private static bool SortsAfter(EvidenceItem item, EvidenceItem other) =>
            item.Analyte != other.Analyte
                ? item.Analyte > other.Analyte
                : item.EffectiveTime.Value < other.EffectiveTime.Value;

        private static string TopicDisplay(CardKind kind) => kind switch
        {
            CardKind.FertilityConflict => "Testosterone ordered for a man who wants children",
            CardKind.TrtContraindication => "Testosterone contraindication",
            CardKind.UnconfirmedDiagnosis => "Testosterone ordered without a confirmed diagnosis",
            CardKind.FertilityIntentUndocumented => "Fertility plans not documented",
            CardKind.TrtMonitoring => "Testosterone monitoring plan",
            CardKind.FertilityTherapyMonitoring => "Fertility-preserving therapy monitoring plan",
            CardKind.FertilityTherapyMismatch => "Fertility-preserving therapy unlikely to work",
            CardKind.PatientSummary => "Hypogonadism assessment summary",
            _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, null),
        };

        private static string Capitalise(string text) =>
            text.Length == 0 ? text : char.ToUpperInvariant(text[0]) + text[1..];
    }
}
