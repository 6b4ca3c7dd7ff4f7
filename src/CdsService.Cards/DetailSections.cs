using System.Collections.Immutable;
using System.Globalization;
using System.Text;
using CdsService.Clinical.Model;

namespace CdsService.Cards;

/// <summary>
/// The sections of a card's Markdown detail (CDS Hooks 2.0 §Card: detail is GitHub-flavoured Markdown) that more than
/// one card writes: the assessment line, the reasons, the monitoring plan, the therapy comparison and the footer. The
/// results table is <see cref="EvidenceSection"/>.
/// </summary>
internal static class DetailSections
{
    private static readonly string[] PlanHeaders = ["Test", "When", "First due", "Why", "Source"];

    private static readonly string ComparisonSection = BuildComparisonSection();

    /// <summary>
    /// The sections a card closes with after its own lead: assessment, results used, why, the therapy comparison when
    /// the card is about a therapy choice, and the footer naming the rules.
    /// </summary>
    public static void AppendClosingSections(StringBuilder detail, CardContext card, bool comparison)
    {
        AppendAssessment(detail, card.Assessment);
        EvidenceSection.Append(detail, card.Assessment, card.Snapshot);
        AppendReasons(detail, card.Assessment);
        if (comparison)
        {
            AppendComparison(detail);
        }

        AppendFooter(detail, card.Assessment);
    }

    public static void AppendAssessment(StringBuilder detail, Assessment assessment, bool classification = true)
    {
        if (classification)
        {
            detail.Append("**Assessment:** ").Append(ClinicalWording.ClassificationLong(assessment.Classification)).Append(". ");
        }

        detail.Append("**Plans for children:** ").Append(ClinicalWording.IntentText(assessment.FertilityIntent)).Append(".\n\n");
        if (!assessment.AdditionalWorkup.IsDefaultOrEmpty)
        {
            detail.Append("**Also consider:** ")
                .AppendJoin("; ", assessment.AdditionalWorkup.Select(ClinicalWording.Workup)).Append(".\n\n");
        }
    }

    /// <summary>
    /// The functional-cause line (docs/clinical/hypogonadism-rules.md: obesity, type 2 diabetes and sleep apnoea do not change the
    /// recommendation, but weight loss comes first, EAA 2020, and sleep apnoea is treated before testosterone, ES 2018).
    /// </summary>
    public static void AppendFunctionalCauses(StringBuilder detail, Assessment assessment)
    {
        if (ClinicalWording.FunctionalCauses(assessment) is { } line)
        {
            detail.Append("**First:** ").Append(line).Append("\n\n");
        }
    }

    public static void AppendReasons(StringBuilder detail, Assessment assessment)
    {
        if (assessment.Reasons.IsDefaultOrEmpty)
        {
            return;
        }

        detail.Append("**Why**\n\n");
        foreach (var reason in assessment.Reasons)
        {
            detail.Append("- ").Append(MarkdownText.Escape(reason)).Append('\n');
        }

        detail.Append('\n');
    }

    public static void AppendPlan(StringBuilder detail, ImmutableArray<MonitoringItem> plan)
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

    public static void AppendComparison(StringBuilder detail) => detail.Append(ComparisonSection);

    public static void AppendFooter(StringBuilder detail, Assessment assessment)
    {
        detail.Append("_Rules ").Append(MarkdownText.Escape(assessment.RulesVersion));
        if (!assessment.RuleIds.IsDefaultOrEmpty)
        {
            // The ids of the decision-table rows that fired, as listed in the linked rules document.
            detail.Append(" (rows ").AppendJoin(", ", assessment.RuleIds.Select(MarkdownText.Escape)).Append(')');
        }

        detail.Append(", assessed ").Append(MarkdownText.Date(DateOnly.FromDateTime(assessment.EvaluatedAt.DateTime)))
            .Append(". Decision support; the prescriber decides._");
    }

    /// <summary>
    /// A short comparison of testosterone with clomiphene and enclomiphene, for the cards where the prescriber chooses
    /// between them: testosterone stops sperm production, a SERM keeps it (ES 2018; AUA 2018). Sources: Liel 2017
    /// (clomiphene: testosterone 7.6 → 19.3 nmol/L at 6–8 weeks), Wiehle 2014 (enclomiphene conserved sperm counts vs
    /// testosterone gel), Kim 2013 (recovery after testosterone), DailyMed clomiphene label (isomers). The same for every
    /// patient, so written once.
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
}
