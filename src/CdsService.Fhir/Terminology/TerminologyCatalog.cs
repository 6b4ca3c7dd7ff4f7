using System.Collections.Frozen;
using System.Collections.Immutable;
using System.Text.RegularExpressions;
using CdsService.Clinical.Model;
using Hl7.Fhir.Model;
using Hl7.Fhir.Serialization;

namespace CdsService.Fhir.Terminology;

/// <summary>
/// Every code list the service uses, loaded from the FHIR ValueSets in <c>fhir-profiles/terminology</c> (embedded in
/// this assembly) into frozen lookups keyed by <c>system|code</c>. ValueSet ids follow the enum member names
/// (<c>analyte-total-testosterone</c>, <c>condition-prostate-cancer</c>, <c>medication-hcg</c>…), and loading fails
/// when an enum member has no ValueSet, so the data and the rules cannot drift apart silently.
/// </summary>
public sealed class TerminologyCatalog
{
    public const string Loinc = "http://loinc.org";
    public const string Snomed = "http://snomed.info/sct";
    public const string Icd10Cm = "http://hl7.org/fhir/sid/icd-10-cm";
    public const string RxNorm = "http://www.nlm.nih.gov/research/umls/rxnorm";
    public const string CanonicalBase = "https://hypogonadism-cds.org";
    public const string DrugNamePatternExtension = CanonicalBase + "/StructureDefinition/drug-name-pattern";

    private const string ResourcePrefix = "terminology/";

    // Drug names are matched as whole words so "clomiphene" never matches "enclomiphene" and "testosterone" never
    // matches an unrelated compound; NonBacktracking keeps matching linear on hostile input (issue 6, fuzzed inputs).
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
    private readonly FrozenDictionary<string, FertilityIntent> _fertilityAnswers;
    private readonly FrozenSet<string> _fertilityQuestion;
    private readonly FrozenDictionary<Analyte, ImmutableArray<(string System, string Code)>> _analyteCodes;

    private TerminologyCatalog(IReadOnlyDictionary<string, ValueSet> valueSets, CodeSystem projectCodes)
    {
        ValueSets = valueSets.Values.OrderBy(v => v.Id, StringComparer.Ordinal).ToImmutableArray();
        ProjectCodes = new ProjectCodeSystem(projectCodes);

        var analytes = new Dictionary<string, Analyte>(StringComparer.Ordinal);
        var analyteCodes = new Dictionary<Analyte, ImmutableArray<(string, string)>>();
        foreach (var analyte in Enum.GetValues<Analyte>())
        {
            var codes = ExplicitCodes(Require(valueSets, "analyte-" + analyte.ToCode())).ToImmutableArray();
            analyteCodes[analyte] = codes;
            foreach (var (system, code) in codes)
            {
                if (!analytes.TryAdd(Key(system, code), analyte))
                {
                    throw new InvalidDataException($"LOINC code {code} is listed for two analytes.");
                }
            }
        }

        _analytes = analytes.ToFrozenDictionary(StringComparer.Ordinal);
        _analyteCodes = analyteCodes.ToFrozenDictionary();
        _calculated = ExplicitCodes(Require(valueSets, "lab-calculated")).Select(c => Key(c.System, c.Code))
            .ToFrozenSet(StringComparer.Ordinal);

        var conditions = new Dictionary<string, List<ConditionKind>>(StringComparer.Ordinal);
        var roots = new Dictionary<string, List<ConditionKind>>(StringComparer.Ordinal);
        foreach (var kind in Enum.GetValues<ConditionKind>())
        {
            var valueSet = Require(valueSets, "condition-" + kind.ToCode());
            foreach (var (system, code) in ExplicitCodes(valueSet))
            {
                // ICD-10-CM codes are keyed without the dot: EHRs send both "E29.1" and "E291".
                if (system == Icd10Cm)
                {
                    AddTo(roots, ExactIcdKey(code), kind);
                }
                else
                {
                    AddTo(conditions, Key(system, code), kind);
                }
            }

            foreach (var include in valueSet.Compose?.Include ?? [])
            {
                foreach (var filter in include.Filter)
                {
                    // ICD-10-CM is a strict prefix hierarchy, so "is-a I50" is evaluated locally as a code prefix.
                    // Other systems need a terminology server for is-a; refusing them keeps the data honest.
                    if (include.System != Icd10Cm || filter.Op != FilterOperator.IsA || filter.Value is null)
                    {
                        throw new InvalidDataException(
                            $"ValueSet {valueSet.Id}: only ICD-10-CM is-a filters can be evaluated locally.");
                    }

                    AddTo(roots, IcdStem(filter.Value), kind);
                }
            }
        }

        _conditions = conditions.ToFrozenDictionary(p => p.Key, p => p.Value.Distinct().ToImmutableArray(), StringComparer.Ordinal);
        _icd10Roots = roots.ToFrozenDictionary(p => p.Key, p => p.Value.Distinct().ToImmutableArray(), StringComparer.Ordinal);

        var medications = new Dictionary<string, MedicationClass>(StringComparer.Ordinal);
        var drugNames = ImmutableArray.CreateBuilder<(MedicationClass, Regex)>();
        foreach (var medicationClass in Enum.GetValues<MedicationClass>().Where(c => c != MedicationClass.Other))
        {
            var valueSet = Require(valueSets, "medication-" + medicationClass.ToCode());
            foreach (var (system, code) in ExplicitCodes(valueSet))
            {
                if (!medications.TryAdd(Key(system, code), medicationClass))
                {
                    throw new InvalidDataException($"RxNorm code {code} is listed for two drug classes.");
                }
            }

            var patterns = valueSet.Extension
                .Where(e => e.Url == DrugNamePatternExtension)
                .Select(e => (e.Value as FhirString)?.Value?.Trim())
                .Where(p => !string.IsNullOrEmpty(p))
                .Select(p => Regex.Escape(p!))
                .ToList();
            if (patterns.Count > 0)
            {
                drugNames.Add((medicationClass, new Regex(@"\b(?:" + string.Join('|', patterns) + @")\b", PatternOptions)));
            }
        }

        _medications = medications.ToFrozenDictionary(StringComparer.Ordinal);
        _drugNames = drugNames.ToImmutable();

        var answers = new Dictionary<string, FertilityIntent>(StringComparer.Ordinal);
        foreach (var intent in Enum.GetValues<FertilityIntent>().Where(i => i != FertilityIntent.Unknown))
        {
            foreach (var (system, code) in ExplicitCodes(Require(valueSets, "fertility-intent-" + intent.ToCode())))
            {
                answers.Add(Key(system, code), intent);
            }
        }

        _fertilityAnswers = answers.ToFrozenDictionary(StringComparer.Ordinal);
        _fertilityQuestion = ExplicitCodes(Require(valueSets, "fertility-intent-question"))
            .Select(c => Key(c.System, c.Code)).ToFrozenSet(StringComparer.Ordinal);
        FertilityIntentQuestionCodes = ExplicitCodes(Require(valueSets, "fertility-intent-question")).ToImmutableArray();
    }

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
        if (system != Icd10Cm)
        {
            return TryLookup(_conditions, system, trimmed.Length == code.Length ? code : trimmed.ToString(), out var kinds) ? kinds : [];
        }

        // Exact ICD-10-CM codes first, then walk up the hierarchy (I50.22 → I502 → I50) collecting every is-a root.
        // The keys are composed on the stack: this runs for every coding of every Condition of every call (issue 8).
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

    /// <summary>Loads a catalog from FHIR JSON documents (ValueSets plus the project CodeSystem).</summary>
    public static TerminologyCatalog Load(IEnumerable<string> fhirJsonDocuments)
    {
        ArgumentNullException.ThrowIfNull(fhirJsonDocuments);
        var valueSets = new Dictionary<string, ValueSet>(StringComparer.Ordinal);
        CodeSystem? codeSystem = null;
        foreach (var json in fhirJsonDocuments)
        {
            // Strict parsing: terminology is our own data, so a typo must stop startup rather than drop codes.
            var resource = StrictDeserializer.DeserializeResource(json);
            switch (resource)
            {
                case ValueSet valueSet when valueSet.Id is not null:
                    if (!valueSets.TryAdd(valueSet.Id, valueSet))
                    {
                        throw new InvalidDataException($"Duplicate ValueSet id {valueSet.Id}.");
                    }

                    break;
                case CodeSystem system when system.Id == ProjectCodeSystem.Id:
                    codeSystem = system;
                    break;
                default:
                    throw new InvalidDataException($"Unexpected terminology resource {resource.TypeName}/{resource.Id}.");
            }
        }

        return new TerminologyCatalog(
            valueSets,
            codeSystem ?? throw new InvalidDataException($"CodeSystem {ProjectCodeSystem.Id} is missing."));
    }

    internal static string Key(string system, string code) => string.Concat(system, "|", code);

    // Lookups run for every coding of every resource of every hook call (issue 8): the "system|code" key is composed
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

    private static readonly FhirJsonDeserializer StrictDeserializer = new(new DeserializerSettings());

    private static TerminologyCatalog LoadEmbedded()
    {
        var assembly = typeof(TerminologyCatalog).Assembly;
        var documents = new List<string>();
        foreach (var name in assembly.GetManifestResourceNames().Where(n => n.StartsWith(ResourcePrefix, StringComparison.Ordinal)))
        {
            using var stream = assembly.GetManifestResourceStream(name)
                ?? throw new InvalidDataException($"Embedded terminology {name} could not be opened.");
            using var reader = new StreamReader(stream);
            documents.Add(reader.ReadToEnd());
        }

        return documents.Count == 0
            ? throw new InvalidDataException("No terminology is embedded in " + assembly.GetName().Name + ".")
            : Load(documents);
    }

    private static ValueSet Require(IReadOnlyDictionary<string, ValueSet> valueSets, string id) =>
        valueSets.TryGetValue(id, out var valueSet)
            ? valueSet
            : throw new InvalidDataException($"ValueSet {id} is missing from fhir-profiles/terminology.");

    private static IEnumerable<(string System, string Code)> ExplicitCodes(ValueSet valueSet)
    {
        foreach (var include in valueSet.Compose?.Include ?? [])
        {
            foreach (var concept in include.Concept)
            {
                if (include.System is null || concept.Code is null)
                {
                    throw new InvalidDataException($"ValueSet {valueSet.Id} has a concept without system or code.");
                }

                yield return (include.System, concept.Code);
            }
        }
    }

    private static void AddTo(Dictionary<string, List<ConditionKind>> map, string key, ConditionKind kind)
    {
        if (!map.TryGetValue(key, out var list))
        {
            map[key] = list = [];
        }

        list.Add(kind);
    }

    // "=" marks an exact code so "E29.1" (exact) and an is-a root "E291" can never be confused.
    private static string ExactIcdKey(string code) => "=" + IcdStem(code);

    private static string IcdStem(string code)
    {
        var stem = new char[code.Length];
        return new string(stem, 0, WriteIcdStem(code, stem));
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
