using System.Collections.Immutable;
using CdsService.Clinical.Model;
using CdsService.Fhir.Terminology;

namespace CdsService.Fhir.Mapping;

/// <summary>
/// Maps the FHIR resources of one hook call to the clinical snapshot. Only usable data reaches the rules; what was
/// read but not usable (unknown unit, preliminary status, vague date…) becomes a <see cref="DataIssue"/> the card
/// shows, so nothing is silently dropped and nothing is guessed (docs/clinical/hypogonadism-rules.md §2 Which results count).
/// Output order is canonical so that the same data gives an identical snapshot whichever path it came by.
/// Reads FHIR R4 JSON directly (<see cref="FhirJson"/>): the elements named below are the only ones the rules use.
/// </summary>
internal sealed partial class SnapshotMapper
{
    private readonly TerminologyCatalog _terminology;
    private readonly TimeProvider _timeProvider;

    /// <param name="terminology">The code lists.</param>
    /// <param name="timeProvider">Tells which dated sex-for-clinical-use or gender-identity entry is current (default: the system clock).</param>
    public SnapshotMapper(TerminologyCatalog terminology, TimeProvider? timeProvider = null)
    {
        _terminology = terminology;
        _timeProvider = timeProvider ?? TimeProvider.System;
        _observationCodes = new KnownStrings(Enum.GetValues<Analyte>()
            .SelectMany(analyte => terminology.CodesFor(analyte))
            .Concat(terminology.FertilityIntentQuestionCodes)
            .Select(coding => coding.Code));
        _observationCodeFacts = new ObservationCodeFacts[FhirJson.KnownSystems.Count, _observationCodes.Count];
        for (var system = 0; system < FhirJson.KnownSystems.Count; system++)
        {
            for (var code = 0; code < _observationCodes.Count; code++)
            {
                _observationCodeFacts[system, code] = ObservationFacts(FhirJson.KnownSystems[system], _observationCodes[code]);
            }
        }
    }

    public PatientSnapshot Map(FhirResourceSet resources, string patientId, ImmutableArray<DraftOrder> draftOrders)
    {
        var issues = new List<DataIssue>();
        if (resources.UnreadableEntries > 0)
        {
            issues.Add(new DataIssue("unreadable-resource", $"{resources.UnreadableEntries} FHIR resource(s) could not be read and were not used."));
        }

        var subject = new Subject(patientId);
        var patient = MapPatient(resources.Patient, patientId, issues);

        // Each type in turn (Observations, Conditions, MedicationRequests, MedicationStatements), each in the order
        // it was gathered. Facts are collected in pooled buffers; the only arrays allocated are the snapshot's own.
        var labs = new PooledList<LabResult>(resources.Resources.Count);
        var intents = default(PooledList<FertilityIntentRecord>);
        var conditions = default(PooledList<ConditionFact>);
        var medications = default(PooledList<MedicationFact>);
        List<FamilyHistoryFact>? family = null;
        try
        {
            foreach (var observation in resources.Resources)
            {
                if (observation.Kind == FhirResourceKind.Observation && !subject.IsOther(observation.Json, issues))
                {
                    MapObservation(observation, ref labs, ref intents, issues);
                }
            }

            foreach (var condition in resources.Resources)
            {
                if (condition.Kind == FhirResourceKind.Condition && !subject.IsOther(condition.Json, issues))
                {
                    MapCondition(condition, ref conditions);
                }
            }

            foreach (var request in resources.Resources)
            {
                if (request.Kind == FhirResourceKind.MedicationRequest && !subject.IsOther(request.Json, issues))
                {
                    MapMedicationRequest(request, resources, ref medications, issues);
                }
            }

            foreach (var statement in resources.Resources)
            {
                if (statement.Kind == FhirResourceKind.MedicationStatement && !subject.IsOther(statement.Json, issues))
                {
                    MapMedicationStatement(statement, resources, ref medications, issues);
                }
            }

            foreach (var history in resources.Resources)
            {
                if (history.Kind == FhirResourceKind.FamilyMemberHistory && !subject.IsOther(history.Json, issues, "patient"u8))
                {
                    MapFamilyMemberHistory(history, ref family);
                }
            }

            return new PatientSnapshot
            {
                Sex = patient.Sex,
                BirthSex = patient.BirthSex,
                SexForClinicalUse = patient.SexForClinicalUse,
                GenderIdentity = patient.GenderIdentity,
                BirthDate = patient.BirthDate,
                Labs = Sorted(labs.Items, CompareLabs),
                Conditions = Sorted(conditions.Items, CompareConditions),
                Medications = Sorted(medications.Items, CompareMedications),
                FertilityIntents = Sorted(intents.Items, CompareIntents),
                DraftOrders = draftOrders.IsDefault ? [] : draftOrders,
                RaceCategories = patient.RaceCategories,
                FamilyHistory = family is null ? [] : [.. family.OrderBy(static h => h.SourceId, StringComparer.Ordinal)],
                DataIssues = issues.Count == 0 ? [] : [.. issues.Distinct().OrderBy(i => i.Kind, StringComparer.Ordinal).ThenBy(i => i.Description, StringComparer.Ordinal)],
            };
        }
        finally
        {
            labs.Dispose();
            intents.Dispose();
            conditions.Dispose();
            medications.Dispose();
        }
    }

    private static string Truncate(string text) => text.Length <= 20 ? text : string.Concat(text.AsSpan(0, 20), "…");
}
