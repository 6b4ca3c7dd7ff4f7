using System.Collections.Frozen;
using System.Collections.Immutable;
using System.Text.Json;
using CdsService.Clinical.Model;
using CdsService.Fhir.Terminology;

namespace CdsService.Fhir.Mapping;

/// <summary>
/// Maps the FHIR resources of one hook call to the clinical snapshot. Only usable data reaches the rules; what was
/// read but not usable (unknown unit, preliminary status, vague date…) becomes a <see cref="DataIssue"/> the card
/// shows, so nothing is silently dropped and nothing is guessed (issue 4 §Reading FHIR into the snapshot).
/// Output order is canonical so that the same data gives an identical snapshot whichever path it came by.
/// Reads FHIR R4 JSON directly (<see cref="FhirJson"/>): the elements named below are the only ones the rules use.
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

        var subject = new Subject(patientId);
        var (sex, birthDate) = MapPatient(resources.Patient, patientId, issues);
        var labs = new List<LabResult>(resources.Observations.Count);
        var intents = new List<FertilityIntentRecord>();
        foreach (var observation in resources.Observations)
        {
            if (!subject.IsOther(observation.Json, issues))
            {
                MapObservation(observation, labs, intents, issues);
            }
        }

        var conditions = new List<ConditionFact>();
        foreach (var condition in resources.Conditions)
        {
            if (!subject.IsOther(condition.Json, issues))
            {
                MapCondition(condition, conditions);
            }
        }

        var medications = new List<MedicationFact>();
        foreach (var request in resources.MedicationRequests)
        {
            if (!subject.IsOther(request.Json, issues))
            {
                MapMedicationRequest(request, resources, medications, issues);
            }
        }

        foreach (var statement in resources.MedicationStatements)
        {
            if (!subject.IsOther(statement.Json, issues))
            {
                MapMedicationStatement(statement, resources, medications, issues);
            }
        }

        return new PatientSnapshot
        {
            Sex = sex,
            BirthDate = birthDate,
            Labs = Sorted(labs, CompareLabs),
            Conditions = Sorted(conditions, CompareConditions),
            Medications = Sorted(medications, CompareMedications),
            FertilityIntents = Sorted(intents, CompareIntents),
            DraftOrders = draftOrders.IsDefault ? [] : draftOrders,
            DataIssues = [.. issues.Distinct().OrderBy(i => i.Kind, StringComparer.Ordinal).ThenBy(i => i.Description, StringComparer.Ordinal)],
        };
    }

    // Canonical order (same data, same snapshot, whichever path it came by). A stable sort: items equal on every key
    // keep their input order, as LINQ OrderBy/ThenBy did.
    private static ImmutableArray<T> Sorted<T>(List<T> items, Comparison<T> comparison)
    {
        if (items.Count == 0)
        {
            return [];
        }

        var indexed = new (T Item, int Index)[items.Count];
        for (var i = 0; i < indexed.Length; i++)
        {
            indexed[i] = (items[i], i);
        }

        System.Array.Sort(indexed, (a, b) => comparison(a.Item, b.Item) is var c and not 0 ? c : a.Index.CompareTo(b.Index));
        var builder = ImmutableArray.CreateBuilder<T>(indexed.Length);
        foreach (var (item, _) in indexed)
        {
            builder.Add(item);
        }

        return builder.MoveToImmutable();
    }

    // Newest first, then analyte, source and value.
    private static int CompareLabs(LabResult a, LabResult b)
    {
        var c = b.EffectiveTime.Value.CompareTo(a.EffectiveTime.Value);
        if (c == 0)
        {
            c = a.Analyte.CompareTo(b.Analyte);
        }

        if (c == 0)
        {
            c = string.CompareOrdinal(a.SourceId, b.SourceId);
        }

        return c != 0 ? c : a.Quantity.Value.CompareTo(b.Quantity.Value);
    }

    private static int CompareConditions(ConditionFact a, ConditionFact b)
    {
        var c = a.Kind.CompareTo(b.Kind);
        if (c == 0)
        {
            c = string.CompareOrdinal(a.SourceId, b.SourceId);
        }

        return c != 0 ? c : string.CompareOrdinal(a.Code, b.Code);
    }

    private static int CompareMedications(MedicationFact a, MedicationFact b)
    {
        var c = a.Class.CompareTo(b.Class);
        if (c == 0)
        {
            c = string.CompareOrdinal(a.SourceId, b.SourceId);
        }

        return c != 0 ? c : Nullable.Compare(a.Start, b.Start);
    }

    private static int CompareIntents(FertilityIntentRecord a, FertilityIntentRecord b)
    {
        var c = b.RecordedAt.CompareTo(a.RecordedAt);
        return c != 0 ? c : string.CompareOrdinal(a.SourceId, b.SourceId);
    }

    private static (AdministrativeSex Sex, DateOnly? BirthDate) MapPatient(FhirJsonResource? resource, string patientId, List<DataIssue> issues)
    {
        if (resource is not { Json: var patient })
        {
            return (AdministrativeSex.Unknown, null);
        }

        // Never mix patients within one request (OWASP API1, security brief B4): a Patient that is not the context
        // patient is not used at all.
        if (FhirJson.String(patient, "id"u8) is { } id && id != patientId)
        {
            issues.Add(new DataIssue("other-patient", "The Patient resource sent is not the patient in context and was not used."));
            return (AdministrativeSex.Unknown, null);
        }

        // Patient.gender is bound (required) to administrative-gender: male | female | other | unknown.
        var sex = FhirJson.Is(patient, "gender"u8, "male"u8) ? AdministrativeSex.Male
            : FhirJson.Is(patient, "gender"u8, "female"u8) ? AdministrativeSex.Female
            : FhirJson.Is(patient, "gender"u8, "other"u8) ? AdministrativeSex.Other
            : AdministrativeSex.Unknown;

        var birthDate = FhirDates.ToBirthDate(FhirJson.String(patient, "birthDate"u8), out var imprecise);
        if (imprecise && birthDate is not null)
        {
            issues.Add(new DataIssue("imprecise-birth-date", "The birth date is partial; the latest possible date was used for age."));
        }

        return (sex, birthDate);
    }

    private void MapObservation(FhirJsonResource resource, List<LabResult> labs, List<FertilityIntentRecord> intents, List<DataIssue> issues)
    {
        var observation = resource.Json;
        Analyte? analyte = null;
        string? code = null;
        var calculated = false;
        foreach (var coding in FhirJson.Array(FhirJson.Object(observation, "code"u8), "coding"u8))
        {
            var system = FhirJson.System(coding);
            var codingCode = FhirJson.String(coding, "code"u8);
            if (_terminology.IsFertilityIntentQuestion(system, codingCode))
            {
                MapFertilityIntent(resource, intents, issues);
                return;
            }

            if (analyte is null && _terminology.TryGetAnalyte(system, codingCode, out var found))
            {
                analyte = found;
                code = codingCode;
            }

            calculated |= _terminology.IsCalculated(system, codingCode);
        }

        if (analyte is not { } known)
        {
            return;
        }

        var name = AnalyteNames[known];

        // Observation.status (observation-status, required binding).
        switch (ObservationStatus(observation))
        {
            case Usability.Final:
                break;
            case Usability.Pending:
                issues.Add(new DataIssue("unusable-status", $"A {name} result is not final yet and was not used."));
                return;
            default:
                // entered-in-error and cancelled retract the result; unknown cannot be trusted.
                return;
        }

        var quantity = FhirJson.Object(observation, "valueQuantity"u8);
        if (FhirJson.Has(observation, "dataAbsentReason"u8) || FhirJson.Decimal(quantity, "value"u8) is not { } value)
        {
            issues.Add(new DataIssue("no-value", $"A {name} result has no numeric value and was not used."));
            return;
        }

        if (!TryUnit(known, quantity, out var unit, out var unitText))
        {
            issues.Add(new DataIssue("unknown-unit", $"A {name} result in unit '{Truncate(unitText ?? "none")}' was not used: the unit is not understood."));
            return;
        }

        if (FhirDates.ToSampleTime(observation) is not { } effective)
        {
            issues.Add(new DataIssue("no-date", $"A {name} result has no usable sample date and was not used."));
            return;
        }

        labs.Add(new LabResult
        {
            Analyte = known,
            Quantity = new LabQuantity(value, unit),
            Comparator = Comparator(quantity),
            EffectiveTime = effective,
            ReferenceRange = MapReferenceRange(known, observation),
            IsCalculated = calculated,
            Code = code,
            SourceId = resource.SourceId,
        });
    }

    private static readonly KnownStrings KnownUnits = new(UnitNormalizer.KnownSpellings);
    private static readonly KnownStrings UcumOnly = new([UnitNormalizer.UcumSystem]);

    private enum Usability
    {
        Other,
        Final,
        Pending,
    }

    private static Usability ObservationStatus(JsonElement observation)
    {
        if (!FhirJson.TryGet(observation, "status"u8, out var status) || status.ValueKind != JsonValueKind.String)
        {
            return Usability.Other;
        }

        return status.ValueEquals("final"u8) || status.ValueEquals("amended"u8) || status.ValueEquals("corrected"u8) ? Usability.Final
            : status.ValueEquals("preliminary"u8) || status.ValueEquals("registered"u8) ? Usability.Pending
            : Usability.Other;
    }

    // Quantity.comparator (quantity-comparator): < | <= | >= | >. Anything else is read as an exact value, as before.
    private static ValueComparator Comparator(JsonElement quantity) =>
        !FhirJson.TryGet(quantity, "comparator"u8, out var comparator) || comparator.ValueKind != JsonValueKind.String ? ValueComparator.Equal
        : comparator.ValueEquals("<"u8) ? ValueComparator.LessThan
        : comparator.ValueEquals("<="u8) ? ValueComparator.LessOrEqual
        : comparator.ValueEquals(">"u8) ? ValueComparator.GreaterThan
        : comparator.ValueEquals(">="u8) ? ValueComparator.GreaterOrEqual
        : ValueComparator.Equal;

    /// <summary>Quantity.system/code/unit through <see cref="UnitNormalizer"/>; <paramref name="shown"/> names the unit in an issue.</summary>
    private static bool TryUnit(Analyte analyte, JsonElement quantity, out LabUnit unit, out string? shown)
    {
        var system = FhirJson.Known(quantity, "system"u8, UcumOnly);
        var code = FhirJson.Known(quantity, "code"u8, KnownUnits);
        var text = FhirJson.Known(quantity, "unit"u8, KnownUnits);
        shown = code ?? text;
        return UnitNormalizer.TryNormalize(analyte, system, code, text, out unit);
    }

    private static ReferenceRange? MapReferenceRange(Analyte analyte, JsonElement observation)
    {
        // The first range without an "applies to" qualifier is the lab's normal range for this result.
        JsonElement? first = null;
        JsonElement? unqualified = null;
        foreach (var candidate in FhirJson.Array(observation, "referenceRange"u8))
        {
            if (!FhirJson.IsObject(candidate))
            {
                continue;
            }

            first ??= candidate;
            if (!FhirJson.HasItems(candidate, "appliesTo"u8) && !FhirJson.Has(candidate, "age"u8))
            {
                unqualified = candidate;
                break;
            }
        }

        if ((unqualified ?? first) is not { } range)
        {
            return null;
        }

        var low = ToQuantity(analyte, FhirJson.Object(range, "low"u8));
        var high = ToQuantity(analyte, FhirJson.Object(range, "high"u8));
        return low is null && high is null ? null : new ReferenceRange(low, high);
    }

    private static LabQuantity? ToQuantity(Analyte analyte, JsonElement quantity) =>
        FhirJson.Decimal(quantity, "value"u8) is { } value && TryUnit(analyte, quantity, out var unit, out _)
            ? new LabQuantity(value, unit)
            : null;

    private void MapFertilityIntent(FhirJsonResource resource, List<FertilityIntentRecord> intents, List<DataIssue> issues)
    {
        var observation = resource.Json;
        if (ObservationStatus(observation) != Usability.Final)
        {
            return;
        }

        var intent = FertilityIntent.Unknown;
        foreach (var coding in FhirJson.Codings(FhirJson.Object(observation, "valueCodeableConcept"u8)))
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

        var recorded = FhirDates.ToSampleTime(observation)?.Value ?? FhirDates.ToDateTimeOffset(FhirJson.String(observation, "issued"u8), latest: false);
        if (recorded is null)
        {
            issues.Add(new DataIssue("no-date", "A pregnancy-intention answer has no date and was not used."));
            return;
        }

        intents.Add(new FertilityIntentRecord(intent, recorded.Value, resource.SourceId));
    }

    private void MapCondition(FhirJsonResource resource, List<ConditionFact> conditions)
    {
        var condition = resource.Json;
        string? clinical = null;
        foreach (var coding in FhirJson.Array(FhirJson.Object(condition, "clinicalStatus"u8), "coding"u8))
        {
            if (FhirJson.String(coding, "code"u8) is { } statusCode)
            {
                clinical = statusCode;
                break;
            }
        }

        if (clinical is null || !ActiveClinicalStatus.Contains(clinical))
        {
            return;
        }

        foreach (var coding in FhirJson.Array(FhirJson.Object(condition, "verificationStatus"u8), "coding"u8))
        {
            if (FhirJson.String(coding, "code"u8) is { } verification && ExcludedVerification.Contains(verification))
            {
                return;
            }
        }

        // The onset decides "recent MI or stroke" (within 6 months): a vague onset takes the latest possible date.
        // onset[x] as dateTime or Period.start; Age, Range and string onsets carry no date.
        var onset = FhirJson.String(condition, "onsetDateTime"u8) is { } onsetDateTime
            ? FhirDates.ToDateTimeOffset(onsetDateTime, latest: true)
            : FhirDates.ToDateTimeOffset(FhirJson.String(FhirJson.Object(condition, "onsetPeriod"u8), "start"u8), latest: true);
        var recorded = FhirDates.ToDateTimeOffset(FhirJson.String(condition, "recordedDate"u8), latest: true);
        var concept = FhirJson.Object(condition, "code"u8);
        var text = FhirJson.String(concept, "text"u8);
        HashSet<ConditionKind>? kindsSeen = null;
        foreach (var coding in FhirJson.Codings(concept))
        {
            foreach (var kind in _terminology.ConditionKinds(coding.System, coding.Code))
            {
                if ((kindsSeen ??= []).Add(kind))
                {
                    conditions.Add(new ConditionFact
                    {
                        Kind = kind,
                        Onset = onset,
                        Recorded = recorded,
                        Code = coding.Code,
                        Display = coding.Display ?? text,
                        SourceId = resource.SourceId,
                    });
                }
            }
        }
    }

    // medicationrequest-status / medication-statement-status (required bindings) as the snapshot's states.
    private static readonly KnownStrings MedicationStatusCodes = new(["active", "on-hold", "completed", "stopped", "unknown"]);

    private static MedicationState? MedicationStatus(JsonElement resource) => FhirJson.Known(resource, "status"u8, MedicationStatusCodes) switch
    {
        "active" => MedicationState.Active,
        "on-hold" => MedicationState.OnHold,
        "completed" => MedicationState.Completed,
        "stopped" => MedicationState.Stopped,
        "unknown" => MedicationState.Unknown,
        _ => null, // MedicationRequest draft, cancelled, entered-in-error; MedicationStatement not-taken, intended, entered-in-error: never taken
    };

    private void MapMedicationRequest(FhirJsonResource resource, FhirResourceSet resources, List<MedicationFact> medications, List<DataIssue> issues)
    {
        var request = resource.Json;
        if (MedicationStatus(request) is not { } state)
        {
            return;
        }

        if (!TryClassify(request, resources, issues, out var medicationClass, out var display))
        {
            return;
        }

        var validity = FhirJson.Object(FhirJson.Object(request, "dispenseRequest"u8), "validityPeriod"u8);
        medications.Add(new MedicationFact
        {
            Class = medicationClass,
            State = state,
            Start = FhirDates.ToDateTimeOffset(FhirJson.String(request, "authoredOn"u8), latest: false)
                ?? FhirDates.ToDateTimeOffset(FhirJson.String(validity, "start"u8), latest: false),
            End = state == MedicationState.Active ? null : FhirDates.ToDateTimeOffset(FhirJson.String(validity, "end"u8), latest: true),
            Display = display,
            SourceId = resource.SourceId,
        });
    }

    private void MapMedicationStatement(FhirJsonResource resource, FhirResourceSet resources, List<MedicationFact> medications, List<DataIssue> issues)
    {
        var statement = resource.Json;
        if (MedicationStatus(statement) is not { } state)
        {
            return;
        }

        if (!TryClassify(statement, resources, issues, out var medicationClass, out var display))
        {
            return;
        }

        DateTimeOffset? start;
        DateTimeOffset? end;
        var period = FhirJson.Object(statement, "effectivePeriod"u8);
        if (FhirJson.String(statement, "effectiveDateTime"u8) is { } dateTime)
        {
            (start, end) = (FhirDates.ToDateTimeOffset(dateTime, latest: false), FhirDates.ToDateTimeOffset(dateTime, latest: true));
        }
        else if (FhirJson.IsObject(period))
        {
            (start, end) = (FhirDates.ToDateTimeOffset(FhirJson.String(period, "start"u8), latest: false), FhirDates.ToDateTimeOffset(FhirJson.String(period, "end"u8), latest: true));
        }
        else
        {
            (start, end) = (FhirDates.ToDateTimeOffset(FhirJson.String(statement, "dateAsserted"u8), latest: false), null);
        }

        medications.Add(new MedicationFact
        {
            Class = medicationClass,
            State = state,
            Start = start,
            End = state == MedicationState.Active ? null : end,
            Display = display,
            SourceId = resource.SourceId,
        });
    }

    /// <summary>medication[x] of a MedicationRequest or MedicationStatement: a CodeableConcept or a Reference.</summary>
    private bool TryClassify(JsonElement resource, FhirResourceSet resources, List<DataIssue> issues,
        out MedicationClass medicationClass, out string? display)
    {
        var codings = new List<CodingText>();
        var texts = new List<string?>();
        var concept = FhirJson.Object(resource, "medicationCodeableConcept"u8);
        var reference = FhirJson.Object(resource, "medicationReference"u8);
        if (FhirJson.IsObject(concept))
        {
            AddConcept(concept, codings, texts);
        }
        else if (FhirJson.IsObject(reference))
        {
            var referenceDisplay = FhirJson.String(reference, "display"u8);
            texts.Add(referenceDisplay);
            if (Resolve(FhirJson.String(reference, "reference"u8), resource, resources) is { } resolved)
            {
                AddConcept(FhirJson.Object(resolved, "code"u8), codings, texts);
                foreach (var ingredient in FhirJson.Array(resolved, "ingredient"u8))
                {
                    var item = FhirJson.Object(ingredient, "itemCodeableConcept"u8);
                    if (FhirJson.IsObject(item))
                    {
                        AddConcept(item, codings, texts);
                    }
                }
            }
            else if (string.IsNullOrWhiteSpace(referenceDisplay))
            {
                issues.Add(new DataIssue("unresolved-medication", "A medication record refers to a Medication that was not provided, so its drug could not be identified."));
            }
        }

        return MedicationClassifier.TryClassify(_terminology, codings, texts, out medicationClass, out display);
    }

    private static JsonElement? Resolve(string? reference, JsonElement resource, FhirResourceSet resources)
    {
        if (string.IsNullOrEmpty(reference))
        {
            return null;
        }

        if (reference[0] == '#')
        {
            var id = reference[1..];
            foreach (var contained in FhirJson.Array(resource, "contained"u8))
            {
                if (FhirJson.Is(contained, "resourceType"u8, "Medication"u8) && FhirJson.String(contained, "id"u8) == id)
                {
                    return contained;
                }
            }

            return null;
        }

        // Relative ("Medication/123") or absolute (".../Medication/123", optionally with _history).
        var parts = reference.Split('/', StringSplitOptions.RemoveEmptyEntries);
        var index = System.Array.LastIndexOf(parts, "Medication");
        return index >= 0 && index + 1 < parts.Length && resources.Medications.TryGetValue(parts[index + 1], out var found)
            ? found
            : null;
    }

    private static void AddConcept(JsonElement concept, List<CodingText> codings, List<string?> texts)
    {
        if (!FhirJson.IsObject(concept))
        {
            return;
        }

        texts.Add(FhirJson.String(concept, "text"u8));
        codings.AddRange(FhirJson.Codings(concept));
    }

    private static string Truncate(string text) => text.Length <= 20 ? text : string.Concat(text.AsSpan(0, 20), "…");

    /// <summary>The patient in context, to tell whether a resource's <c>subject</c> is someone else (OWASP API1).</summary>
    private sealed class Subject(string patientId)
    {
        private readonly string _relative = "Patient/" + patientId;

        public bool IsOther(JsonElement resource, List<DataIssue> issues)
        {
            if (!FhirJson.TryGet(FhirJson.Object(resource, "subject"u8), "reference"u8, out var element) || element.ValueKind != JsonValueKind.String)
            {
                return false;
            }

            // The usual shape, "Patient/{id}", is recognised without reading the string out.
            if (element.ValueEquals(_relative))
            {
                return false;
            }

            var reference = element.GetString();
            if (string.IsNullOrEmpty(reference) || reference.StartsWith("urn:", StringComparison.Ordinal) || reference[0] == '#')
            {
                return false;
            }

            // Relative or absolute (".../Patient/123", optionally with _history): the segment after the last "Patient".
            var parts = reference.Split('/', StringSplitOptions.RemoveEmptyEntries);
            var index = System.Array.LastIndexOf(parts, "Patient");
            if (index < 0 || index + 1 >= parts.Length || parts[index + 1] == patientId)
            {
                return false;
            }

            issues.Add(new DataIssue("other-patient", "Some resources belonged to a different patient and were not used."));
            return true;
        }
    }
}
