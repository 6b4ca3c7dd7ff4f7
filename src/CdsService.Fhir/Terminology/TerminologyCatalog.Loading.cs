using System.Collections.Frozen;
using System.Collections.Immutable;
using System.Text.RegularExpressions;
using CdsService.Clinical.Model;
using Hl7.Fhir.Model;
using Hl7.Fhir.Serialization;

namespace CdsService.Fhir.Terminology;

/// <summary>
/// Loading: the FHIR ValueSets and the project CodeSystem, parsed strictly (our own data: a typo stops start-up rather
/// than drop codes), into the frozen lookups the other part answers from.
/// </summary>
public sealed partial class TerminologyCatalog
{
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
                if (system == CodeSystems.Icd10Cm)
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
                    if (include.System != CodeSystems.Icd10Cm || filter.Op != FilterOperator.IsA || filter.Value is null)
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
        var nonSystemicForms = new Dictionary<MedicationClass, Regex>();
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

            if (WholeWords(valueSet, DrugNamePatternExtension) is { } patterns)
            {
                drugNames.Add((medicationClass, patterns));
            }

            if (WholeWords(valueSet, NonSystemicFormWordExtension) is { } forms)
            {
                nonSystemicForms.Add(medicationClass, forms);
            }
        }

        _medications = medications.ToFrozenDictionary(StringComparer.Ordinal);
        _drugNames = drugNames.ToImmutable();
        _nonSystemicForms = nonSystemicForms.ToFrozenDictionary();

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

    /// <summary>
    /// One whole-word, case-insensitive pattern for the valueStrings of the ValueSet's <paramref name="extensionUrl"/>
    /// extensions; null when it has none. A blank drug-name pattern is skipped as before; a blank non-systemic form word
    /// stops start-up, because it would silently let a local form count as systemic.
    /// </summary>
    private static Regex? WholeWords(ValueSet valueSet, string extensionUrl)
    {
        var words = new List<string>();
        foreach (var extension in valueSet.Extension.Where(e => e.Url == extensionUrl))
        {
            var word = (extension.Value as FhirString)?.Value?.Trim();
            if (string.IsNullOrEmpty(word))
            {
                if (extensionUrl == NonSystemicFormWordExtension)
                {
                    throw new InvalidDataException($"ValueSet {valueSet.Id}: extension {extensionUrl} needs a non-blank valueString.");
                }

                continue;
            }

            words.Add(Regex.Escape(word));
        }

        return words.Count == 0 ? null : new Regex(@"\b(?:" + string.Join('|', words) + @")\b", PatternOptions);
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
}
