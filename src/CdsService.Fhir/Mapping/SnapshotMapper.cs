using System.Buffers;
using System.Collections.Frozen;
using System.Collections.Immutable;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
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
    private static bool IsActiveClinicalStatus(JsonElement code) =>
        code.ValueEquals("active"u8) || code.ValueEquals("recurrence"u8) || code.ValueEquals("relapse"u8);

    private static bool IsExcludedVerification(JsonElement code) =>
        code.ValueEquals("refuted"u8) || code.ValueEquals("entered-in-error"u8);

    private readonly TerminologyCatalog _terminology;

    // The Observation codes the catalog knows (analytes and the pregnancy-intention question): a coding's code is
    // recognised in the request's UTF-8 and cited as one of these shared instances, so reading 60 results allocates
    // no code strings. What the catalog says of each (known system, known code) pair is asked once, here, rather than
    // three times per coding per request; any other pair is asked of the catalog as it comes.
    private readonly KnownStrings _observationCodes;
    private readonly ObservationCodeFacts[,] _observationCodeFacts;

    public SnapshotMapper(TerminologyCatalog terminology)
    {
        _terminology = terminology;
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

    /// <summary>What the catalog says of an Observation coding (all three are pure functions of system and code).</summary>
    private readonly record struct ObservationCodeFacts(bool IsFertilityIntentQuestion, Analyte? Analyte, bool IsCalculated);

    private ObservationCodeFacts ObservationFacts(string? system, string? code) => new(
        _terminology.IsFertilityIntentQuestion(system, code),
        _terminology.TryGetAnalyte(system, code, out var analyte) ? analyte : null,
        _terminology.IsCalculated(system, code));

    public PatientSnapshot Map(FhirResourceSet resources, string patientId, ImmutableArray<DraftOrder> draftOrders)
    {
        var issues = new List<DataIssue>();
        if (resources.UnreadableEntries > 0)
        {
            issues.Add(new DataIssue("unreadable-resource", $"{resources.UnreadableEntries} FHIR resource(s) could not be read and were not used."));
        }

        var subject = new Subject(patientId);
        var (sex, birthDate) = MapPatient(resources.Patient, patientId, issues);

        // Each type in turn (Observations, Conditions, MedicationRequests, MedicationStatements), each in the order
        // it was gathered. Facts are collected in pooled buffers; the only arrays allocated are the snapshot's own.
        var labs = new PooledList<LabResult>(resources.Resources.Count);
        var intents = default(PooledList<FertilityIntentRecord>);
        var conditions = default(PooledList<ConditionFact>);
        var medications = default(PooledList<MedicationFact>);
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

            return new PatientSnapshot
            {
                Sex = sex,
                BirthDate = birthDate,
                Labs = Sorted(labs.Items, CompareLabs),
                Conditions = Sorted(conditions.Items, CompareConditions),
                Medications = Sorted(medications.Items, CompareMedications),
                FertilityIntents = Sorted(intents.Items, CompareIntents),
                DraftOrders = draftOrders.IsDefault ? [] : draftOrders,
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

    // Canonical order (same data, same snapshot, whichever path it came by). A stable sort: items equal on every key
    // keep their input order, as LINQ OrderBy/ThenBy did. Sorted in a pooled buffer of (item, input position) with a
    // struct comparer (no closure, no delegate per call); the only allocation is the result's own array.
    private static ImmutableArray<T> Sorted<T>(ReadOnlySpan<T> items, Comparison<T> comparison)
    {
        if (items.Length == 0)
        {
            return [];
        }

        var buffer = ArrayPool<(T Item, int Index)>.Shared.Rent(items.Length);
        try
        {
            var indexed = buffer.AsSpan(0, items.Length);
            for (var i = 0; i < indexed.Length; i++)
            {
                indexed[i] = (items[i], i);
            }

            indexed.Sort(new StableComparer<T>(comparison));
            var sorted = new T[indexed.Length];
            for (var i = 0; i < sorted.Length; i++)
            {
                sorted[i] = indexed[i].Item;
            }

            return ImmutableCollectionsMarshal.AsImmutableArray(sorted);
        }
        finally
        {
            // The pooled buffer must not keep this request's records alive.
            ArrayPool<(T Item, int Index)>.Shared.Return(buffer, clearArray: RuntimeHelpers.IsReferenceOrContainsReferences<T>());
        }
    }

    private readonly struct StableComparer<T>(Comparison<T> comparison) : IComparer<(T Item, int Index)>
    {
        public int Compare((T Item, int Index) x, (T Item, int Index) y) =>
            comparison(x.Item, y.Item) is var c and not 0 ? c : x.Index.CompareTo(y.Index);
    }

    // Newest first, then analyte, source and value. Enums compare through Comparer<T>.Default: Enum.CompareTo(object)
    // boxes both sides (issue 8: two allocations per comparison while sorting 60 labs).
    private static int CompareLabs(LabResult a, LabResult b)
    {
        var c = b.EffectiveTime.Value.CompareTo(a.EffectiveTime.Value);
        if (c == 0)
        {
            c = Comparer<Analyte>.Default.Compare(a.Analyte, b.Analyte);
        }

        if (c == 0)
        {
            c = string.CompareOrdinal(a.SourceId, b.SourceId);
        }

        return c != 0 ? c : a.Quantity.Value.CompareTo(b.Quantity.Value);
    }

    private static int CompareConditions(ConditionFact a, ConditionFact b)
    {
        var c = Comparer<ConditionKind>.Default.Compare(a.Kind, b.Kind);
        if (c == 0)
        {
            c = string.CompareOrdinal(a.SourceId, b.SourceId);
        }

        return c != 0 ? c : string.CompareOrdinal(a.Code, b.Code);
    }

    private static int CompareMedications(MedicationFact a, MedicationFact b)
    {
        var c = Comparer<MedicationClass>.Default.Compare(a.Class, b.Class);
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
        if (FhirJson.TryGet(patient, "id"u8, out var id) && id.ValueKind == JsonValueKind.String && !id.ValueEquals(patientId))
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

    private void MapObservation(FhirJsonResource resource, ref PooledList<LabResult> labs, ref PooledList<FertilityIntentRecord> intents, List<DataIssue> issues)
    {
        var observation = resource.Json;
        Analyte? analyte = null;
        string? code = null;
        var calculated = false;
        foreach (var coding in FhirJson.Array(FhirJson.Object(observation, "code"u8), "coding"u8))
        {
            var systemIndex = FhirJson.KnownSystems.IndexOf(FhirJson.Member(coding, "system"u8));
            var codeIndex = _observationCodes.IndexOf(FhirJson.Member(coding, "code"u8));
            var codingCode = codeIndex >= 0 ? _observationCodes[codeIndex] : FhirJson.String(coding, "code"u8);
            var facts = systemIndex >= 0 && codeIndex >= 0
                ? _observationCodeFacts[systemIndex, codeIndex]
                : ObservationFacts(systemIndex >= 0 ? FhirJson.KnownSystems[systemIndex] : FhirJson.String(coding, "system"u8), codingCode);
            if (facts.IsFertilityIntentQuestion)
            {
                MapFertilityIntent(resource, ref intents, issues);
                return;
            }

            if (analyte is null && facts.Analyte is { } found)
            {
                analyte = found;
                code = codingCode;
            }

            calculated |= facts.IsCalculated;
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

    private void MapFertilityIntent(FhirJsonResource resource, ref PooledList<FertilityIntentRecord> intents, List<DataIssue> issues)
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

        var recorded = FhirDates.ToSampleTime(observation)?.Value ?? FhirDates.ToDateTimeOffset(FhirJson.Member(observation, "issued"u8), latest: false);
        if (recorded is null)
        {
            issues.Add(new DataIssue("no-date", "A pregnancy-intention answer has no date and was not used."));
            return;
        }

        intents.Add(new FertilityIntentRecord(intent, recorded.Value, resource.SourceId));
    }

    private void MapCondition(FhirJsonResource resource, ref PooledList<ConditionFact> conditions)
    {
        var condition = resource.Json;
        var clinical = default(JsonElement);
        foreach (var coding in FhirJson.Array(FhirJson.Object(condition, "clinicalStatus"u8), "coding"u8))
        {
            if (FhirJson.TryGet(coding, "code"u8, out var statusCode) && statusCode.ValueKind == JsonValueKind.String)
            {
                clinical = statusCode;
                break;
            }
        }

        if (clinical.ValueKind != JsonValueKind.String || !IsActiveClinicalStatus(clinical))
        {
            return;
        }

        foreach (var coding in FhirJson.Array(FhirJson.Object(condition, "verificationStatus"u8), "coding"u8))
        {
            if (FhirJson.TryGet(coding, "code"u8, out var verification) && verification.ValueKind == JsonValueKind.String
                && IsExcludedVerification(verification))
            {
                return;
            }
        }

        // Most conditions on a problem list are none of the kinds the rules read: their dates, text and displays are
        // only read once a coding has matched a kind.
        var concept = FhirJson.Object(condition, "code"u8);
        HashSet<ConditionKind>? kindsSeen = null;
        DateTimeOffset? onset = null;
        DateTimeOffset? recorded = null;
        string? text = null;
        foreach (var coding in FhirJson.Array(concept, "coding"u8))
        {
            if (coding.ValueKind != JsonValueKind.Object)
            {
                continue;
            }

            var code = FhirJson.String(coding, "code"u8);
            var kinds = _terminology.ConditionKinds(FhirJson.System(coding), code);
            if (kinds.IsEmpty)
            {
                continue;
            }

            if (kindsSeen is null)
            {
                kindsSeen = [];

                // The onset decides "recent MI or stroke" (within 6 months): a vague onset takes the latest possible
                // date. onset[x] as dateTime or Period.start; Age, Range and string onsets carry no date.
                var onsetDateTime = FhirJson.Member(condition, "onsetDateTime"u8);
                onset = onsetDateTime.ValueKind == JsonValueKind.String
                    ? FhirDates.ToDateTimeOffset(onsetDateTime, latest: true)
                    : FhirDates.ToDateTimeOffset(FhirJson.Member(FhirJson.Object(condition, "onsetPeriod"u8), "start"u8), latest: true);
                recorded = FhirDates.ToDateTimeOffset(FhirJson.Member(condition, "recordedDate"u8), latest: true);
                text = FhirJson.String(concept, "text"u8);
            }

            string? display = null;
            var displayRead = false;
            foreach (var kind in kinds)
            {
                if (kindsSeen.Add(kind))
                {
                    if (!displayRead)
                    {
                        display = FhirJson.String(coding, "display"u8);
                        displayRead = true;
                    }

                    conditions.Add(new ConditionFact
                    {
                        Kind = kind,
                        Onset = onset,
                        Recorded = recorded,
                        Code = code,
                        Display = display ?? text,
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

    private void MapMedicationRequest(FhirJsonResource resource, FhirResourceSet resources, ref PooledList<MedicationFact> medications, List<DataIssue> issues)
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
            Start = FhirDates.ToDateTimeOffset(FhirJson.Member(request, "authoredOn"u8), latest: false)
                ?? FhirDates.ToDateTimeOffset(FhirJson.Member(validity, "start"u8), latest: false),
            End = state == MedicationState.Active ? null : FhirDates.ToDateTimeOffset(FhirJson.Member(validity, "end"u8), latest: true),
            Display = display,
            SourceId = resource.SourceId,
        });
    }

    private void MapMedicationStatement(FhirJsonResource resource, FhirResourceSet resources, ref PooledList<MedicationFact> medications, List<DataIssue> issues)
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
        var dateTime = FhirJson.Member(statement, "effectiveDateTime"u8);
        if (dateTime.ValueKind == JsonValueKind.String)
        {
            (start, end) = (FhirDates.ToDateTimeOffset(dateTime, latest: false), FhirDates.ToDateTimeOffset(dateTime, latest: true));
        }
        else if (FhirJson.IsObject(period))
        {
            (start, end) = (FhirDates.ToDateTimeOffset(FhirJson.Member(period, "start"u8), latest: false), FhirDates.ToDateTimeOffset(FhirJson.Member(period, "end"u8), latest: true));
        }
        else
        {
            (start, end) = (FhirDates.ToDateTimeOffset(FhirJson.Member(statement, "dateAsserted"u8), latest: false), null);
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
        var codings = default(PooledList<CodingText>);
        var texts = default(PooledList<string?>);
        try
        {
            var concept = FhirJson.Object(resource, "medicationCodeableConcept"u8);
            var reference = FhirJson.Object(resource, "medicationReference"u8);
            if (FhirJson.IsObject(concept))
            {
                AddConcept(concept, ref codings, ref texts);
            }
            else if (FhirJson.IsObject(reference))
            {
                var referenceDisplay = FhirJson.String(reference, "display"u8);
                texts.Add(referenceDisplay);
                if (Resolve(FhirJson.String(reference, "reference"u8), resource, resources) is { } resolved)
                {
                    AddConcept(FhirJson.Object(resolved, "code"u8), ref codings, ref texts);
                    foreach (var ingredient in FhirJson.Array(resolved, "ingredient"u8))
                    {
                        var item = FhirJson.Object(ingredient, "itemCodeableConcept"u8);
                        if (FhirJson.IsObject(item))
                        {
                            AddConcept(item, ref codings, ref texts);
                        }
                    }
                }
                else if (string.IsNullOrWhiteSpace(referenceDisplay))
                {
                    issues.Add(new DataIssue("unresolved-medication", "A medication record refers to a Medication that was not provided, so its drug could not be identified."));
                }
            }

            return MedicationClassifier.TryClassify(_terminology, codings.Items, texts.Items, out medicationClass, out display);
        }
        finally
        {
            codings.Dispose();
            texts.Dispose();
        }
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
        return index >= 0 && index + 1 < parts.Length && resources.Medications?.TryGetValue(parts[index + 1], out var found) == true
            ? found
            : null;
    }

    private static void AddConcept(JsonElement concept, ref PooledList<CodingText> codings, ref PooledList<string?> texts)
    {
        if (!FhirJson.IsObject(concept))
        {
            return;
        }

        var firstCoding = codings.Count;
        foreach (var coding in FhirJson.Array(concept, "coding"u8))
        {
            if (coding.ValueKind == JsonValueKind.Object)
            {
                codings.Add(new CodingText(FhirJson.System(coding), FhirJson.String(coding, "code"u8), FhirJson.String(coding, "display"u8)));
            }
        }

        texts.Add(TextOf(concept, codings.Items[firstCoding..]));
    }

    // CodeableConcept.text, as the instance of an equal coding display when there is one (the text usually repeats
    // the display): the same value, one string fewer.
    private static string? TextOf(JsonElement concept, ReadOnlySpan<CodingText> codings)
    {
        if (!FhirJson.TryGet(concept, "text"u8, out var text) || text.ValueKind != JsonValueKind.String)
        {
            return null;
        }

        foreach (var coding in codings)
        {
            if (coding.Display is { } display && text.ValueEquals(display))
            {
                return display;
            }
        }

        return text.GetString();
    }

    private static string Truncate(string text) => text.Length <= 20 ? text : string.Concat(text.AsSpan(0, 20), "…");

    /// <summary>The patient in context, to tell whether a resource's <c>subject</c> is someone else (OWASP API1).</summary>
    private sealed class Subject(string patientId)
    {
        private readonly byte[] _relative = RelativeReference(patientId);

        // "Patient/{id}" in UTF-8, composed directly (no intermediate string).
        private static byte[] RelativeReference(string patientId)
        {
            var prefix = "Patient/"u8;
            var bytes = new byte[prefix.Length + System.Text.Encoding.UTF8.GetByteCount(patientId)];
            prefix.CopyTo(bytes);
            System.Text.Encoding.UTF8.GetBytes(patientId, bytes.AsSpan(prefix.Length));
            return bytes;
        }

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
