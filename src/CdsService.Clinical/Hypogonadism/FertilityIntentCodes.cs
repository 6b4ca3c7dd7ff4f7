using CdsService.Clinical.Model;

namespace CdsService.Clinical.Hypogonadism;

/// <summary>One answer code and the fertility intent it means to the rules.</summary>
public sealed record FertilityIntentCode(FertilityIntent Intent, string System, string Code, string Display);

/// <summary>
/// The answer codes of US Core pregnancy intent (question LOINC 86645-9) and what each means for the rules (INT-1 to
/// INT-5). Displays and the SNOMED CT ↔ LOINC pairing are those of the US Core "Pregnancy Intent Codes"
/// ValueSet (STU6–STU7 concept-mapping table). "I'm OK either way" counts as desired: any chance of wanting
/// children in the next year is a reason not to suppress spermatogenesis (ES 2018 Table 4).
/// The FHIR layer maps codes to <see cref="FertilityIntent"/>; this table is what the rules document shows.
/// </summary>
public static class FertilityIntentCodes
{
    public const string Snomed = CodeSystems.Snomed;

    public const string Loinc = CodeSystems.Loinc;

    /// <summary>LOINC 86645-9, "Pregnancy intention in the next year - Reported".</summary>
    public const string QuestionLoinc = Model.Loinc.PregnancyIntention;

    public static IReadOnlyList<FertilityIntentCode> All { get; } =
    [
        new(FertilityIntent.Desired, Snomed, "454411000124108", "Wants to become pregnant (finding)"),
        new(FertilityIntent.Desired, Loinc, "LA26438-4", "Yes, I want to become pregnant"),
        new(FertilityIntent.Desired, Snomed, "454391000124108", "Ambivalent about becoming pregnant (finding)"),
        new(FertilityIntent.Desired, Loinc, "LA26439-2", "I'm OK either way"),
        new(FertilityIntent.NotDesired, Snomed, "454401000124105", "No desire to become pregnant (finding)"),
        new(FertilityIntent.NotDesired, Loinc, "LA26440-0", "No, I don't want to become pregnant"),
        new(FertilityIntent.Unsure, Snomed, "454381000124105", "Not sure of desire to become pregnant (finding)"),
        new(FertilityIntent.Unsure, Loinc, "LA14072-5", "Unsure"),
    ];

    /// <summary>The intent an answer code means, or null when the code is not one of the table's.</summary>
    public static FertilityIntent? Lookup(string system, string code)
    {
        foreach (var entry in All)
        {
            if (string.Equals(entry.System, system, StringComparison.Ordinal) && string.Equals(entry.Code, code, StringComparison.Ordinal))
            {
                return entry.Intent;
            }
        }

        return null;
    }
}
