using CdsService.Clinical.Hypogonadism;
using CdsService.Clinical.Model;
using CdsService.Protocol;
using static CdsService.Cards.CardSuggestions;

namespace CdsService.Cards;

/// <summary>
/// An anabolic steroid (nandrolone, oxandrolone, stanozolol, oxymetholone…) drafted: never a treatment for hypogonadism
/// (the guidelines treat it with testosterone preparations only) and it suppresses LH, FSH and sperm production.
/// Critical when he wants children (ES 2018 Table 4; recovery takes about 14 months, Shankara-Narayana 2019), warning
/// otherwise (rules document §10a, OCI-10 and OCI-11).
/// </summary>
internal static class AnabolicSteroidOrderCard
{
    private const CardKind Kind = CardKind.AnabolicSteroidOrder;

    public static bool IsCritical(Assessment assessment) =>
        assessment.OrderContraindications.Any(static f =>
            f.DrugClass == MedicationClass.AnabolicSteroid && f.Severity == ContraindicationSeverity.Absolute);

    public static Card Write(CardContext card)
    {
        var assessment = card.Assessment;
        var findings = assessment.OrderContraindications.Where(static f => f.DrugClass == MedicationClass.AnabolicSteroid).ToList();
        var fertility = findings.Any(static f => f.Code == OrderContraindication.FertilityDesired);
        var critical = IsCritical(assessment);
        var summary = SummaryText.Fit(fertility
            ? "Anabolic steroid ordered for a man who wants children – it stops sperm production"
            : critical
                ? "Anabolic steroid contraindicated – " + ClinicalWords.Describe(findings.First(static f => f.Severity == ContraindicationSeverity.Absolute).Code).ToLowerInvariant()
                : "Anabolic steroid ordered – not a treatment for hypogonadism");

        var detail = DetailBuilder.Rent();
        detail.Append("**Anabolic steroids are not a treatment for hypogonadism.** ");
        detail.Append(
            "The guidelines treat testosterone deficiency with testosterone preparations only (AUA 2018; ES 2018). Like " +
            "testosterone, anabolic steroids switch off LH and FSH and with them sperm production; after anabolic steroids " +
            "LH takes about 9 months and sperm output about 14 months to recover (Shankara-Narayana 2019). If the drug is " +
            "meant for another labelled use, say so when overriding.\n\n");
        if (fertility)
        {
            detail.Append("**He wants children in the near term:** ").Append(ClinicalWording.TestosteroneSuppressesSpermatogenesis).Append("\n\n");
        }

        DrugScreenSection.AppendFindings(detail, findings);
        DetailSections.AppendClosingSections(detail, card, comparison: false);

        var deletes = DeleteDrafts(card, static d => d.Class == MedicationClass.AnabolicSteroid);
        List<Suggestion> suggestions = deletes.Count > 0
            ? [Suggest(card, Kind, 0, "Cancel the anabolic steroid order", recommended: true, deletes)]
            : [];

        return CardShell.Make(card, Kind, critical ? CardIndicator.Critical : CardIndicator.Warning, summary, detail,
            card.Guidelines.EndocrineSociety, CardShell.EndocrineSocietyLabel, suggestions, CardTerminology.TestosteroneOverrideReasons);
    }
}
