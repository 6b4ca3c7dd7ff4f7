using System.Collections.Frozen;
using System.Collections.Immutable;
using CdsService.Clinical.Model;
using CdsService.Fhir.Terminology;
using Hl7.Fhir.Model;

namespace CdsService.Fhir.Mapping;

/// <summary>
/// Maps the FHIR resources of one hook call to the clinical snapshot. Only usable data reaches the rules; what was
/// read but not usable (unknown unit, preliminary status, vague date…) becomes a <see cref="DataIssue"/> the card
/// shows, so nothing is silently dropped and nothing is guessed (issue 4 §Reading FHIR into the snapshot).
/// Output order is canonical so that the same data gives an identical snapshot whichever path it came by.
/// </summary>
internal sealed class SnapshotMapper
{
    private static readonly FrozenDictionary<Analyte, string> AnalyteNames = new Dictionary<Analyte, string>
    {
        [Analyte.TotalTestosterone] = "total testosterone",
        [Analyte.FreeTestosterone] = "free testosterone",
        [Analyte.BioavailableTestosterone] = "bioavailable testosterone",
        [Analyte.Shbg] = "SHBG",
        [Analyte.Albumin] = "albumin",
        [Analyte.Lh] = "LH",
        [Analyte.Fsh] = "FSH",
        [Analyte.Prolactin] = "prolactin",
        [Analyte.Estradiol] = "estradiol",
        [Analyte.Hematocrit] = "hematocrit",
        [Analyte.Psa] = "PSA",
        [Analyte.Ferritin] = "ferritin",
    }.ToFrozenDictionary();

    // Condition clinical status (http://terminology.hl7.org/CodeSystem/condition-clinical): only these mean the
    // condition is present now (issue 4).
    private static readonly FrozenSet<string> ActiveClinicalStatus = FrozenSet.ToFrozenSet(["active", "recurrence", "relapse"], StringComparer.Ordinal);
    private static readonly FrozenSet<string> ExcludedVerification = FrozenSet.ToFrozenSet(["refuted", "entered-in-error"], StringComparer.Ordinal);

    private readonly TerminologyCatalog _terminology;

    public SnapshotMapper(TerminologyCatalog terminology)
    {
        _terminology = terminology;
    }

    public PatientSnapshot Map(FhirResourceSet resources, string patientId, ImmutableArray<DraftOrder> draftOrders)
    {
        var issues = new List<DataIssue>();
        if (resources.UnreadableEntries > 0)
        {
            issues.Add(new DataIssue("unreadable-resource", $"{resources.UnreadableEntries} FHIR resource(s) could not be read and were not used."));
        }

        var (sex, birthDate) = MapPatient(resources.Patient, patientId, issues);
        var labs = new List<LabResult>();
        var intents = new List<FertilityIntentRecord>();
        foreach (var observation in resources.Observations)
        {
            if (IsOtherPatient(observation.Subject, patientId, issues))
            {
                continue;
            }

            MapObservation(observation, labs, intents, issues);
        }

        var conditions = new List<ConditionFact>();
        foreach (var condition in resources.Conditions)
        {
            if (!IsOtherPatient(condition.Subject, patientId, issues))
            {
                MapCondition(condition, conditions);
            }
        }

        var medications = new List<MedicationFact>();
        foreach (var request in resources.MedicationRequests)
        {
            if (!IsOtherPatient(request.Subject, patientId, issues))
            {
                MapMedicationRequest(request, resources, medications, issues);
            }
        }

        foreach (var statement in resources.MedicationStatements)
        {
            if (!IsOtherPatient(statement.Subject, patientId, issues))
            {
                MapMedicationStatement(statement, resources, medications, issues);
            }
        }

        return new PatientSnapshot
        {
            Sex = sex,
            BirthDate = birthDate,
            Labs = [.. labs.OrderByDescending(l => l.EffectiveTime.Value).ThenBy(l => l.Analyte).ThenBy(l => l.SourceId, StringComparer.Ordinal).ThenBy(l => l.Quantity.Value)],
            Conditions = [.. conditions.OrderBy(c => c.Kind).ThenBy(c => c.SourceId, StringComparer.Ordinal).ThenBy(c => c.Code, StringComparer.Ordinal)],
            Medications = [.. medications.OrderBy(m => m.Class).ThenBy(m => m.SourceId, StringComparer.Ordinal).ThenBy(m => m.Start)],
            FertilityIntents = [.. intents.OrderByDescending(i => i.RecordedAt).ThenBy(i => i.SourceId, StringComparer.Ordinal)],
            DraftOrders = draftOrders.IsDefault ? [] : draftOrders,
            DataIssues = [.. issues.Distinct().OrderBy(i => i.Kind, StringComparer.Ordinal).ThenBy(i => i.Description, StringComparer.Ordinal)],
        };
    }

    private static (AdministrativeSex Sex, DateOnly? BirthDate) MapPatient(Patient? patient, string patientId, List<DataIssue> issues)
    {
        if (patient is null)
        {
            return (AdministrativeSex.Unknown, null);
        }

        // Never mix patients within one request (OWASP API1, security brief B4): a Patient that is not the context
        // patient is not used at all.
        if (patient.Id is not null && patient.Id != patientId)
        {
            issues.Add(new DataIssue("other-patient", "The Patient resource sent is not the patient in context and was not used."));
            return (AdministrativeSex.Unknown, null);
        }

        var sex = patient.Gender switch
        {
            AdministrativeGender.Male => AdministrativeSex.Male,
            AdministrativeGender.Female => AdministrativeSex.Female,
            AdministrativeGender.Other => AdministrativeSex.Other,
            _ => AdministrativeSex.Unknown,
        };

        var birthDate = FhirDates.ToBirthDate(patient.BirthDate, out var imprecise);
        if (imprecise && birthDate is not null)
        {
            issues.Add(new DataIssue("imprecise-birth-date", "The birth date is partial; the latest possible date was used for age."));
        }

        return (sex, birthDate);
    }

    private void MapObservation(Observation observation, List<LabResult> labs, List<FertilityIntentRecord> intents, List<DataIssue> issues)
    {
        var codings = observation.Code?.Coding ?? [];
        Analyte? analyte = null;
        string? code = null;
        var calculated = false;
        foreach (var coding in codings)
        {
            if (_terminology.IsFertilityIntentQuestion(coding.System, coding.Code))
            {
                MapFertilityIntent(observation, intents, issues);
                return;
            }

            if (analyte is null && _terminology.TryGetAnalyte(coding.System, coding.Code, out var found))
            {
                analyte = found;
                code = coding.Code;
            }

            calculated |= _terminology.IsCalculated(coding.System, coding.Code);
        }

        if (analyte is not { } known)
        {
            return;
        }

        var name = AnalyteNames[known];
        switch (observation.Status)
        {
            case ObservationStatus.Final or ObservationStatus.Amended or ObservationStatus.Corrected:
                break;
            case ObservationStatus.Preliminary or ObservationStatus.Registered:
                issues.Add(new DataIssue("unusable-status", $"A {name} result is not final yet and was not used."));
                return;
            default:
                // entered-in-error and cancelled retract the result; unknown cannot be trusted.
                return;
        }

        if (observation.DataAbsentReason is not null || observation.Value is not Quantity { Value: { } value } quantity)
        {
            issues.Add(new DataIssue("no-value", $"A {name} result has no numeric value and was not used."));
            return;
        }

        if (!UnitNormalizer.TryNormalize(known, quantity.System, quantity.Code, quantity.Unit, out var unit))
        {
            issues.Add(new DataIssue("unknown-unit", $"A {name} result in unit '{Truncate(quantity.Code ?? quantity.Unit ?? "none")}' was not used: the unit is not understood."));
            return;
        }

        if (FhirDates.ToSampleTime(observation.Effective) is not { } effective)
        {
            issues.Add(new DataIssue("no-date", $"A {name} result has no usable sample date and was not used."));
            return;
        }

        labs.Add(new LabResult
        {
            Analyte = known,
            Quantity = new LabQuantity(value, unit),
            Comparator = quantity.Comparator switch
            {
                Quantity.QuantityComparator.LessThan => ValueComparator.LessThan,
                Quantity.QuantityComparator.LessOrEqual => ValueComparator.LessOrEqual,
                Quantity.QuantityComparator.GreaterThan => ValueComparator.GreaterThan,
                Quantity.QuantityComparator.GreaterOrEqual => ValueComparator.GreaterOrEqual,
                _ => ValueComparator.Equal,
            },
            EffectiveTime = effective,
            ReferenceRange = MapReferenceRange(known, observation.ReferenceRange),
            IsCalculated = calculated,
            Code = code,
            SourceId = observation.Id is null ? null : "Observation/" + observation.Id,
        });
    }

    private static ReferenceRange? MapReferenceRange(Analyte analyte, List<Observation.ReferenceRangeComponent> ranges)
    {
        // The first range without an "applies to" qualifier is the lab's normal range for this result.
        var range = ranges.FirstOrDefault(r => r.AppliesTo.Count == 0 && r.Age is null) ?? ranges.FirstOrDefault();
        if (range is null)
        {
            return null;
        }

        var low = ToQuantity(analyte, range.Low);
        var high = ToQuantity(analyte, range.High);
        return low is null && high is null ? null : new ReferenceRange(low, high);
    }

    private static LabQuantity? ToQuantity(Analyte analyte, Quantity? quantity) =>
        quantity?.Value is { } value && UnitNormalizer.TryNormalize(analyte, quantity.System, quantity.Code, quantity.Unit, out var unit)
            ? new LabQuantity(value, unit)
            : null;

    private void MapFertilityIntent(Observation observation, List<FertilityIntentRecord> intents, List<DataIssue> issues)
    {
        if (observation.Status is not (ObservationStatus.Final or ObservationStatus.Amended or ObservationStatus.Corrected))
        {
            return;
        }

        var intent = FertilityIntent.Unknown;
        foreach (var coding in (observation.Value as CodeableConcept)?.Coding ?? [])
        {
            if (_terminology.TryGetFertilityAnswer(coding.System, coding.Code, out var answer))
            {
                intent = answer;
                break;
            }
        }

        if (intent == FertilityIntent.Unknown)
        {
            issues.Add(new DataIssue("unknown-answer", "A pregnancy-intention answer was not a recognised code and was not used."));
            return;
        }

        var recorded = FhirDates.ToSampleTime(observation.Effective)?.Value ?? FhirDates.ToDateTimeOffset(observation.Issued?.ToString("o", System.Globalization.CultureInfo.InvariantCulture), latest: false);
        if (recorded is null)
        {
            issues.Add(new DataIssue("no-date", "A pregnancy-intention answer has no date and was not used."));
            return;
        }

        intents.Add(new FertilityIntentRecord(intent, recorded.Value, observation.Id is null ? null : "Observation/" + observation.Id));
    }

    private void MapCondition(Condition condition, List<ConditionFact> conditions)
    {
        var clinical = condition.ClinicalStatus?.Coding.Select(c => c.Code).FirstOrDefault(c => c is not null);
        if (clinical is null || !ActiveClinicalStatus.Contains(clinical))
        {
            return;
        }

        if (condition.VerificationStatus?.Coding.Any(c => c.Code is not null && ExcludedVerification.Contains(c.Code)) == true)
        {
            return;
        }

        // The onset decides "recent MI or stroke" (within 6 months): a vague onset takes the latest possible date.
        var onset = condition.Onset switch
        {
            FhirDateTime dateTime => FhirDates.ToDateTimeOffset(dateTime.Value, latest: true),
            Period period => FhirDates.ToDateTimeOffset(period.Start, latest: true),
            _ => null,
        };
        var recorded = FhirDates.ToDateTimeOffset(condition.RecordedDate, latest: true);
        var kindsSeen = new HashSet<ConditionKind>();
        foreach (var coding in condition.Code?.Coding ?? [])
        {
            foreach (var kind in _terminology.ConditionKinds(coding.System, coding.Code))
            {
                if (kindsSeen.Add(kind))
                {
                    conditions.Add(new ConditionFact
                    {
                        Kind = kind,
                        Onset = onset,
                        Recorded = recorded,
                        Code = coding.Code,
                        Display = coding.Display ?? condition.Code?.Text,
                        SourceId = condition.Id is null ? null : "Condition/" + condition.Id,
                    });
                }
            }
        }
    }

    private void MapMedicationRequest(MedicationRequest request, FhirResourceSet resources, List<MedicationFact> medications, List<DataIssue> issues)
    {
        var state = request.Status switch
        {
            MedicationRequest.MedicationrequestStatus.Active => MedicationState.Active,
            MedicationRequest.MedicationrequestStatus.OnHold => MedicationState.OnHold,
            MedicationRequest.MedicationrequestStatus.Completed => MedicationState.Completed,
            MedicationRequest.MedicationrequestStatus.Stopped => MedicationState.Stopped,
            MedicationRequest.MedicationrequestStatus.Unknown => MedicationState.Unknown,
            _ => (MedicationState?)null, // draft, cancelled, entered-in-error: never taken
        };
        if (state is null)
        {
            return;
        }

        if (!TryClassify(request.Medication, request.Contained, resources, issues, out var medicationClass, out var display))
        {
            return;
        }

        var validity = request.DispenseRequest?.ValidityPeriod;
        medications.Add(new MedicationFact
        {
            Class = medicationClass,
            State = state.Value,
            Start = FhirDates.ToDateTimeOffset(request.AuthoredOn, latest: false) ?? FhirDates.ToDateTimeOffset(validity?.Start, latest: false),
            End = state == MedicationState.Active ? null : FhirDates.ToDateTimeOffset(validity?.End, latest: true),
            Display = display,
            SourceId = request.Id is null ? null : "MedicationRequest/" + request.Id,
        });
    }

    private void MapMedicationStatement(MedicationStatement statement, FhirResourceSet resources, List<MedicationFact> medications, List<DataIssue> issues)
    {
        var state = statement.Status switch
        {
            MedicationStatement.MedicationStatusCodes.Active => MedicationState.Active,
            MedicationStatement.MedicationStatusCodes.OnHold => MedicationState.OnHold,
            MedicationStatement.MedicationStatusCodes.Completed => MedicationState.Completed,
            MedicationStatement.MedicationStatusCodes.Stopped => MedicationState.Stopped,
            MedicationStatement.MedicationStatusCodes.Unknown => MedicationState.Unknown,
            _ => (MedicationState?)null, // not-taken, intended, entered-in-error: not taken
        };
        if (state is null)
        {
            return;
        }

        if (!TryClassify(statement.Medication, statement.Contained, resources, issues, out var medicationClass, out var display))
        {
            return;
        }

        var (start, end) = statement.Effective switch
        {
            FhirDateTime dateTime => (FhirDates.ToDateTimeOffset(dateTime.Value, latest: false), FhirDates.ToDateTimeOffset(dateTime.Value, latest: true)),
            Period period => (FhirDates.ToDateTimeOffset(period.Start, latest: false), FhirDates.ToDateTimeOffset(period.End, latest: true)),
            _ => (FhirDates.ToDateTimeOffset(statement.DateAsserted, latest: false), null),
        };
        medications.Add(new MedicationFact
        {
            Class = medicationClass,
            State = state.Value,
            Start = start,
            End = state == MedicationState.Active ? null : end,
            Display = display,
            SourceId = statement.Id is null ? null : "MedicationStatement/" + statement.Id,
        });
    }

    private bool TryClassify(DataType? medication, List<Resource> contained, FhirResourceSet resources, List<DataIssue> issues,
        out MedicationClass medicationClass, out string? display)
    {
        var codings = new List<CodingText>();
        var texts = new List<string?>();
        switch (medication)
        {
            case CodeableConcept concept:
                AddConcept(concept, codings, texts);
                break;
            case ResourceReference reference:
                texts.Add(reference.Display);
                var resolved = Resolve(reference.Reference, contained, resources);
                if (resolved is not null)
                {
                    AddConcept(resolved.Code, codings, texts);
                    foreach (var ingredient in resolved.Ingredient)
                    {
                        if (ingredient.Item is CodeableConcept item)
                        {
                            AddConcept(item, codings, texts);
                        }
                    }
                }
                else if (string.IsNullOrWhiteSpace(reference.Display))
                {
                    issues.Add(new DataIssue("unresolved-medication", "A medication record refers to a Medication that was not provided, so its drug could not be identified."));
                }

                break;
        }

        return MedicationClassifier.TryClassify(_terminology, codings, texts, out medicationClass, out display);
    }

    private static Medication? Resolve(string? reference, List<Resource> contained, FhirResourceSet resources)
    {
        if (string.IsNullOrEmpty(reference))
        {
            return null;
        }

        if (reference[0] == '#')
        {
            return contained.OfType<Medication>().FirstOrDefault(m => m.Id == reference[1..]);
        }

        // Relative ("Medication/123") or absolute (".../Medication/123", optionally with _history).
        var parts = reference.Split('/', StringSplitOptions.RemoveEmptyEntries);
        var index = Array.LastIndexOf(parts, "Medication");
        return index >= 0 && index + 1 < parts.Length && resources.Medications.TryGetValue(parts[index + 1], out var found)
            ? found
            : null;
    }

    private static void AddConcept(CodeableConcept? concept, List<CodingText> codings, List<string?> texts)
    {
        if (concept is null)
        {
            return;
        }

        texts.Add(concept.Text);
        codings.AddRange(concept.Coding.Select(c => new CodingText(c.System, c.Code, c.Display)));
    }

    private static bool IsOtherPatient(ResourceReference? subject, string patientId, List<DataIssue> issues)
    {
        var reference = subject?.Reference;
        if (string.IsNullOrEmpty(reference) || reference.StartsWith("urn:", StringComparison.Ordinal) || reference[0] == '#')
        {
            return false;
        }

        var parts = reference.Split('/', StringSplitOptions.RemoveEmptyEntries);
        var index = Array.LastIndexOf(parts, "Patient");
        if (index < 0 || index + 1 >= parts.Length || parts[index + 1] == patientId)
        {
            return false;
        }

        issues.Add(new DataIssue("other-patient", "Some resources belonged to a different patient and were not used."));
        return true;
    }

    private static string Truncate(string text) => text.Length <= 20 ? text : text[..20] + "…";
}
