using System.Globalization;
using System.Text;
using CdsService.Clinical.Hypogonadism;
using CdsService.Clinical.Model;

namespace CdsService.Cards;

/// <summary>
/// "Results used": every result the rules used, with analyte, value, unit, date and whether it was a morning sample,
/// so the prescriber can check the advice against the numbers it rests on (AUA 2018 statement 2: morning samples), and
/// the inputs that were not used because they could not be interpreted safely, shown rather than guessed.
/// </summary>
internal static class EvidenceSection
{
    private static readonly string[] EvidenceHeaders = ["Test", "Result", "Unit", "Date", "Morning sample", "Note"];

    private static readonly string[] CauseHeaders = ["Cause", "Finding", "Date"];

    private static readonly string SymptomsNotCodedLine = "**Symptoms:** " + ClinicalWording.SymptomsNotCoded + ".\n\n";

    public static void Append(StringBuilder detail, Assessment assessment, PatientSnapshot snapshot)
    {
        detail.Append("**Results used**\n\n");
        if (assessment.Evidence.IsDefaultOrEmpty)
        {
            detail.Append("No usable laboratory result was found in the lookback period.\n\n");
        }
        else
        {
            MarkdownText.AppendTableHeader(detail, EvidenceHeaders);
            foreach (var evidence in InTableOrder(assessment))
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

        AppendCauses(detail, assessment);
        AppendSymptoms(detail, assessment);

        // Inputs that could not be used (from mapping and from the rules) are shown to the clinician, never guessed at:
        // a result silently dropped would make the advice look better founded than it is.
        if (snapshot.DataIssues.IsDefaultOrEmpty && assessment.DataIssues.IsDefaultOrEmpty)
        {
            return;
        }

        var issues = snapshot.DataIssues.Concat(assessment.DataIssues).Distinct().ToList();
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

    /// <summary>
    /// "Causes that change management" (docs/clinical/hypogonadism-rules.md, causes table): each cause in our words with the value, condition
    /// or medication that showed it and its date, so the prescriber sees why the advice names it.
    /// </summary>
    private static void AppendCauses(StringBuilder detail, Assessment assessment)
    {
        if (assessment.Causes.IsDefaultOrEmpty)
        {
            return;
        }

        detail.Append("**Causes that change management**\n\n");
        MarkdownText.AppendTableHeader(detail, CauseHeaders);
        foreach (var cause in assessment.Causes)
        {
            var row = new MarkdownRow(detail);
            detail.Append(ClinicalWords.Describe(cause.Code));
            row.Next();
            detail.Append(MarkdownText.Escape(cause.Evidence));
            row.Next();
            detail.Append(cause.Date is { } date ? MarkdownText.Date(DateOnly.FromDateTime(date.DateTime)) : "date not recorded");
            row.End();
        }

        detail.Append('\n');
    }

    /// <summary>The coded symptoms and signs, or that none is coded (AUA 2018 statement 3: the diagnosis needs them).</summary>
    private static void AppendSymptoms(StringBuilder detail, Assessment assessment)
    {
        if (ClinicalWording.SymptomsMissing(assessment))
        {
            detail.Append(SymptomsNotCodedLine);
            return;
        }

        if (assessment.Symptoms.IsDefaultOrEmpty)
        {
            return;
        }

        detail.Append("**Symptoms and signs recorded:** ");
        for (var index = 0; index < assessment.Symptoms.Length; index++)
        {
            if (index > 0)
            {
                detail.Append("; ");
            }

            detail.Append(MarkdownText.Escape(assessment.Symptoms[index]));
        }

        detail.Append(".\n\n");
    }

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
    private static EvidenceItem[] InTableOrder(Assessment assessment)
    {
        var ordered = assessment.Evidence.ToArray();
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
}
