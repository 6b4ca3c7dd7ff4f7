using System.Collections.Frozen;
using System.Collections.Immutable;
using System.Text.RegularExpressions;
using CdsService.Clinical.Model;
using Hl7.Fhir.Model;

namespace CdsService.Fhir.Terminology;

/// <summary>
/// Every code list the service uses, loaded from the FHIR ValueSets in <c>fhir-profiles/terminology</c> (embedded in
/// this assembly) into frozen lookups keyed by <c>system|code</c>. ValueSet ids follow the enum member names
/// (<c>analyte-total-testosterone</c>, <c>condition-prostate-cancer</c>, <c>medication-hcg</c>…), and loading fails
/// when an enum member has no ValueSet, so the data and the rules cannot drift apart silently.
/// This part answers lookups (every coding of every resource of every hook call); loading is in TerminologyCatalog.Loading.
/// </summary>
public sealed partial class TerminologyCatalog
{
    // Kept as names of the one definition in CodeSystems for the callers outside the FHIR layer that still use them
    // (CdsService.Examples, the load tool); the FHIR layer itself uses CodeSystems.
    public const string Loinc = CodeSystems.Loinc;
    public const string Snomed = CodeSystems.Snomed;
    public const string Icd10Cm = CodeSystems.Icd10Cm;
    public const string RxNorm = CodeSystems.RxNorm;
    public const string CanonicalBase = "https://hypogonadism-cds.org";
    public const string DrugNamePatternExtension = CanonicalBase + "/StructureDefinition/drug-name-pattern";

    /// <summary>
    /// A word marking a product of a medication ValueSet's class as not systemic (dose form, route or text: "cream",
    /// "inhaler", "nasal"…); carried by ValueSet-medication-glucocorticoid (evidence note
    /// docs/clinical/evidence/confirmation-causes-scope.md §6.1, route filter).
    /// </summary>
    public const string NonSystemicFormWordExtension = CanonicalBase + "/StructureDefinition/non-systemic-form-word";

    private const string ResourcePrefix = "terminology/";

    // Drug names are matched as whole words so "clomiphene" never matches "enclomiphene" and "testosterone" never
    // matches an unrelated compound; NonBacktracking keeps matching linear on hostile input (strings up to 200 kB,
    // docs/security.md §7 Bad input).
    private const RegexOptions PatternOptions =
        RegexOptions.IgnoreCase | RegexOptions.CultureInvariant | RegexOptions.NonBacktracking;

    private const int MaxMatchedTextLength = 512;

    private static readonly Lazy<TerminologyCatalog> LazyDefault = new(LoadEmbedded);

    private readonly FrozenDictionary<string, Analyte> _analytes;
    private readonly FrozenSet<string> _calculated;
    private readonly FrozenDictionary<string, ImmutableArray<ConditionKind>> _conditions;
    private readonly FrozenDictionary<string, ImmutableArray<ConditionKind>> _icd10Roots;
    private readonly FrozenDictionary<string, MedicationClass> _medications;
    private readonly ImmutableArray<(MedicationClass Class, Regex Pattern)> _drugNames;
    private readonly FrozenDictionary<MedicationClass, Regex> _nonSystemicForms;
    private readonly FrozenDictionary<string, FertilityIntent> _fertilityAnswers;
    private readonly FrozenSet<string> _fertilityQuestion;
    private readonly FrozenDictionary<Analyte, ImmutableArray<(string System, string Code)>> _analyteCodes;

    /// <summary>The catalog built from the ValueSets embedded in this assembly (loaded once, on first use).</summary>
    public static TerminologyCatalog Default => LazyDefault.Value;

    /// <summary>All ValueSets loaded, ordered by id (for documentation and tests).</summary>
    public ImmutableArray<ValueSet> ValueSets { get; }

    /// <summary>The project's own CodeSystem (<c>org.hypogonadism-cds</c>).</summary>
    public ProjectCodeSystem ProjectCodes { get; }

    /// <summary>The observation code(s) for "pregnancy intention in the next year" (LOINC 86645-9).</summary>
    public ImmutableArray<(string System, string Code)> FertilityIntentQuestionCodes { get; }

    /// <summary>The codes an analyte is reported under (mass and molar variants), in ValueSet order.</summary>
    public ImmutableArray<(string System, string Code)> CodesFor(Analyte analyte) => _analyteCodes[analyte];

    public bool TryGetAnalyte(string? system, string? code, out Analyte analyte) =>
        TryLookup(_analytes, system, code, out analyte);

    public bool IsCalculated(string? system, string? code) =>
        TryLookup(_calculated, system, code, out _);

    public bool IsFertilityIntentQuestion(string? system, string? code) =>
        TryLookup(_fertilityQuestion, system, code, out _);

    public bool TryGetFertilityAnswer(string? system, string? code, out FertilityIntent intent)
    {
        if (TryLookup(_fertilityAnswers, system, code, out intent))
        {
            return true;
        }

        intent = FertilityIntent.Unknown;
        return false;
    }

    /// <summary>The condition groups a coding belongs to; ICD-10-CM codes also match their ancestors' groups.</summary>
    public ImmutableArray<ConditionKind> ConditionKinds(string? system, string? code)
    {
        if (system is null || string.IsNullOrWhiteSpace(code))
        {
            return [];
        }

        var trimmed = code.AsSpan().Trim();
        if (system != CodeSystems.Icd10Cm)
        {
            return TryLookup(_conditions, system, trimmed.Length == code.Length ? code : trimmed.ToString(), out var kinds) ? kinds : [];
        }

        // Exact ICD-10-CM codes first, then walk up the hierarchy (I50.22 → I502 → I50) collecting every is-a root.
        // The keys are composed on the stack: this runs for every coding of every Condition of every call.
        Span<char> exactKey = trimmed.Length + 1 <= MaxStackKey ? stackalloc char[trimmed.Length + 1] : new char[trimmed.Length + 1];
        exactKey[0] = '=';
        var stemLength = WriteIcdStem(trimmed, exactKey[1..]);
        ReadOnlySpan<char> stem = exactKey.Slice(1, stemLength);
        var roots = _icd10Roots.GetAlternateLookup<ReadOnlySpan<char>>();
        var result = roots.TryGetValue(exactKey[..(stemLength + 1)], out var exact) ? exact : [];
        for (var length = stem.Length; length >= 3; length--)
        {
            if (roots.TryGetValue(stem[..length], out var rootKinds))
            {
                foreach (var kind in rootKinds)
                {
                    if (!result.Contains(kind))
                    {
                        result = result.Add(kind);
                    }
                }
            }
        }

        return result;
    }

    public bool TryGetMedicationClass(string? system, string? code, out MedicationClass medicationClass)
    {
        medicationClass = MedicationClass.Other;
        return system is not null && code is not null
            && TryLookup(_medications, system, code.Trim(), out medicationClass);
    }

    /// <summary>
    /// Matches a drug name (coding display, CodeableConcept.text, Medication name) against the drug-name patterns of
    /// every medication ValueSet. Returns false when no class matches, or when two classes match (ambiguous text is
    /// not guessed: the caller reports it).
    /// </summary>
    public bool TryMatchDrugName(string? text, out MedicationClass medicationClass)
    {
        medicationClass = MedicationClass.Other;
        if (string.IsNullOrWhiteSpace(text))
        {
            return false;
        }

        var span = text.AsSpan(0, Math.Min(text.Length, MaxMatchedTextLength));
        var found = 0;
        foreach (var (candidate, pattern) in _drugNames)
        {
            if (pattern.IsMatch(span))
            {
                medicationClass = candidate;
                found++;
            }
        }

        if (found > 1)
        {
            medicationClass = MedicationClass.Other;
            return false;
        }

        return found == 1;
    }

    /// <summary>True when products of <paramref name="medicationClass"/> can be local (non-systemic) forms, so their form, route and text must be checked.</summary>
    public bool HasNonSystemicForms(MedicationClass medicationClass) => _nonSystemicForms.ContainsKey(medicationClass);

    /// <summary>
    /// True when <paramref name="text"/> (a coding display, CodeableConcept.text, Medication.form or dosage route/text)
    /// contains one of the class's non-systemic form words as a whole word, case-insensitive ("Hydrocortisone 1 % Topical
    /// Cream", "nasal spray"); always false for a class whose ValueSet carries no such word.
    /// </summary>
    public bool IsNonSystemicForm(MedicationClass medicationClass, string? text) =>
        !string.IsNullOrWhiteSpace(text)
        && _nonSystemicForms.TryGetValue(medicationClass, out var words)
        && words.IsMatch(text.AsSpan(0, Math.Min(text.Length, MaxMatchedTextLength)));

    internal static string Key(string system, string code) => string.Concat(system, "|", code);

    // Lookups run for every coding of every resource of every hook call: the "system|code" key is composed
    // on the stack and looked up through the ordinal comparer's span view, so no key string is allocated.
    private const int MaxStackKey = 256;

    private static bool TryLookup<T>(FrozenDictionary<string, T> map, string? system, string? code, out T value)
    {
        value = default!;
        if (system is null || code is null)
        {
            return false;
        }

        var length = system.Length + 1 + code.Length;
        if (length > MaxStackKey)
        {
            return map.TryGetValue(Key(system, code), out value!);
        }

        Span<char> key = stackalloc char[length];
        ComposeKey(key, system, code);
        return map.GetAlternateLookup<ReadOnlySpan<char>>().TryGetValue(key, out value!);
    }

    private static bool TryLookup(FrozenSet<string> set, string? system, string? code, out bool found)
    {
        found = false;
        if (system is null || code is null)
        {
            return false;
        }

        var length = system.Length + 1 + code.Length;
        if (length > MaxStackKey)
        {
            return found = set.Contains(Key(system, code));
        }

        Span<char> key = stackalloc char[length];
        ComposeKey(key, system, code);
        return found = set.GetAlternateLookup<ReadOnlySpan<char>>().Contains(key);
    }

    private static void ComposeKey(Span<char> destination, string system, string code)
    {
        system.AsSpan().CopyTo(destination);
        destination[system.Length] = '|';
        code.AsSpan().CopyTo(destination[(system.Length + 1)..]);
    }

    /// <summary>
    /// ICD-10-CM codes are compared without dots, trimmed and in upper case ("i50.22 " → "I5022"), the same way when the
    /// ValueSets are loaded and when a coding is looked up (there on the stack). Returns the stem's length.
    /// </summary>
    private static int WriteIcdStem(ReadOnlySpan<char> code, Span<char> destination)
    {
        var length = 0;
        foreach (var c in code)
        {
            if (c != '.')
            {
                destination[length++] = char.ToUpperInvariant(c);
            }
        }

        // Whitespace that stood next to a dot (". I50") is trimmed after the dots are gone.
        var stem = destination[..length].Trim();
        stem.CopyTo(destination);
        return stem.Length;
    }
}
