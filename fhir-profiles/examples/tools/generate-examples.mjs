// Builds the synthetic scenario Bundles in fhir-profiles/examples/ (one transaction Bundle per patient, patient id =
// scenario id). Run `node fhir-profiles/examples/tools/generate-examples.mjs` after editing; the output is committed.
// The expected assessments in ../scenarios.json are written by hand from the issue-3 rules, NOT generated here, so
// they stay an independent cross-check of the clinical engine.
// All people are synthetic. Dates are in 2026 so that with the test evaluation time 2026-12-01T12:00:00Z every
// hormone lab falls in the 12-month lookback (from 2025-12-01), except in the scenario that tests the lookback.
import { createHash } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const outDir = join(dirname(fileURLToPath(import.meta.url)), '..');
const CANONICAL = 'https://hypogonadism-cds.org/StructureDefinition';
const LAB_PROFILE = `${CANONICAL}/hormone-lab-observation`;
const INTENT_PROFILE = `${CANONICAL}/pregnancy-intent-observation`;
const TRT_PROFILE = `${CANONICAL}/androgen-medication-request`;
const LOINC = 'http://loinc.org';
const SNOMED = 'http://snomed.info/sct';
const ICD10CM = 'http://hl7.org/fhir/sid/icd-10-cm';
const UCUM = 'http://unitsofmeasure.org';

// Clinical brief §5.1 (LOINC) with UCUM units.
const ANALYTES = {
    ttMass: { code: '2986-8', display: 'Testosterone [Mass/volume] in Serum or Plasma', unit: 'ng/dL' },
    ttMolar: { code: '14913-8', display: 'Testosterone [Moles/volume] in Serum or Plasma', unit: 'nmol/L' },
    freeT: { code: '2991-8', display: 'Testosterone Free [Mass/volume] in Serum or Plasma', unit: 'pg/mL' },
    shbg: { code: '13967-5', display: 'Sex hormone binding globulin [Moles/volume] in Serum or Plasma', unit: 'nmol/L' },
    albumin: { code: '1751-7', display: 'Albumin [Mass/volume] in Serum or Plasma', unit: 'g/dL' },
    lh: { code: '10501-5', display: 'Lutropin [Units/volume] in Serum or Plasma', unit: '[IU]/L', human: 'IU/L' },
    lhMilli: { code: '10501-5', display: 'Lutropin [Units/volume] in Serum or Plasma', unit: 'm[IU]/mL', human: 'mIU/mL' },
    fsh: { code: '15067-2', display: 'Follitropin [Units/volume] in Serum or Plasma', unit: '[IU]/L', human: 'IU/L' },
    prolactin: { code: '2842-3', display: 'Prolactin [Mass/volume] in Serum or Plasma', unit: 'ng/mL' },
    estradiol: { code: '2243-4', display: 'Estradiol (E2) [Mass/volume] in Serum or Plasma', unit: 'pg/mL' },
    hematocrit: { code: '4544-3', display: 'Hematocrit [Volume Fraction] of Blood by Automated count', unit: '%' },
    psa: { code: '2857-1', display: 'Prostate specific Ag [Mass/volume] in Serum or Plasma', unit: 'ng/mL' },
    ferritin: { code: '2276-4', display: 'Ferritin [Mass/volume] in Serum or Plasma', unit: 'ng/mL' },
    // Clinical safety I (rules-spec): prolactin in WHO units, iron saturation and BMI (terminology/ValueSet-analyte-*.json).
    prolactinMiu: { code: '15081-3', display: 'Prolactin [Units/volume] in Serum or Plasma', unit: 'm[IU]/L', human: 'mIU/L' },
    tsat: { code: '2502-3', display: 'Iron saturation [Mass Fraction] in Serum or Plasma', unit: '%' },
    bmi: { code: '39156-5', display: 'Body mass index (BMI) [Ratio]', unit: 'kg/m2', human: 'kg/m2', vitalSign: true },
};

const US_CORE_BIRTHSEX = 'http://hl7.org/fhir/us/core/StructureDefinition/us-core-birthsex';
// US Core race: ombCategory from the CDC Race and Ethnicity code system, plus the required text sub-extension.
const US_CORE_RACE = 'http://hl7.org/fhir/us/core/StructureDefinition/us-core-race';
const CDC_RACE = 'urn:oid:2.16.840.1.113883.6.238';
const RACES = { black: { code: '2054-5', display: 'Black or African American' } };
const V3_ROLE_CODE = 'http://terminology.hl7.org/CodeSystem/v3-RoleCode';
const RELATIVES = { father: { code: 'FTH', display: 'father' }, uncle: { code: 'UNCLE', display: 'uncle' } };
const SNOMED_ROUTES = {
    oral: { system: SNOMED, code: '26643006', display: 'Oral route' },
    topical: { system: SNOMED, code: '6064005', display: 'Topical route' },
    subcutaneous: { system: SNOMED, code: '34206005', display: 'Subcutaneous route' },
    intramuscular: { system: SNOMED, code: '78421000', display: 'Intramuscular route' },
};

// US Core pregnancy-intent answers (issue 3 §Fertility intent).
const INTENT_ANSWERS = {
    desired: { system: SNOMED, code: '454411000124108', display: 'Wants to become pregnant (finding)' },
    desiredLoinc: { system: LOINC, code: 'LA26438-4', display: 'Yes, I want to become pregnant' },
    okEither: { system: SNOMED, code: '454391000124108', display: 'Ambivalent about becoming pregnant (finding)' },
    notDesired: { system: SNOMED, code: '454401000124105', display: 'Does not want to become pregnant (finding)' },
    notDesiredLoinc: { system: LOINC, code: 'LA26440-0', display: "No, I don't want to become pregnant" },
    unsure: { system: SNOMED, code: '454381000124105', display: 'Unsure of desire for pregnancy (finding)' },
    unsureLoinc: { system: LOINC, code: 'LA14072-5', display: 'Unsure' },
};

/** Deterministic urn:uuid so regenerating gives byte-identical files. */
function uuidFor(text) {
    const h = createHash('sha1').update(text).digest('hex');
    return `urn:uuid:${h.substring(0, 8)}-${h.substring(8, 12)}-5${h.substring(13, 16)}-a${h.substring(17, 20)}-${h.substring(20, 32)}`;
}

class ScenarioBundle {
    constructor(id) {
        this.id = id;
        this.entries = [];
        this.counters = {};
    }

    nextId(kind) {
        this.counters[kind] = (this.counters[kind] ?? 0) + 1;
        return `${this.id}-${kind}-${this.counters[kind]}`;
    }

    add(resource) {
        const key = `${resource.resourceType}/${resource.id}`;
        this.entries.push({ fullUrl: uuidFor(key), resource, request: { method: 'PUT', url: key } });
        return this;
    }

    get subject() {
        return { reference: `Patient/${this.id}` };
    }

    /**
     * birthDate may be omitted (no-birth-date); birthSex adds the US Core birth-sex extension (M, F, UNK); race (a key of
     * RACES) adds the US Core race extension with its OMB category.
     */
    patient({ gender, birthDate, given, family = 'Synthetic', birthSex, race }) {
        const extension = [
            ...(birthSex ? [{ url: US_CORE_BIRTHSEX, valueCode: birthSex }] : []),
            ...(race ? [{
                url: US_CORE_RACE,
                extension: [
                    { url: 'ombCategory', valueCoding: { system: CDC_RACE, ...RACES[race] } },
                    { url: 'text', valueString: RACES[race].display },
                ],
            }] : []),
        ];
        return this.add({
            resourceType: 'Patient',
            id: this.id,
            meta: { tag: [{ system: 'http://terminology.hl7.org/CodeSystem/v3-ActReason', code: 'HTEST', display: 'test health data' }] },
            ...(extension.length ? { extension } : {}),
            active: true,
            name: [{ use: 'official', family, given: [given] }],
            gender,
            birthDate,
        });
    }

    /**
     * A result. A vital sign (BMI) is category vital-signs and claims no project profile (hormone-lab-observation is for
     * laboratory results); `method` is Observation.method text (free testosterone: how it was measured).
     */
    lab(analyteKey, value, effective, { status = 'final', comparator, referenceRange, absent, method } = {}) {
        const a = ANALYTES[analyteKey];
        const obs = {
            resourceType: 'Observation',
            id: this.nextId('lab'),
            ...(a.vitalSign ? {} : { meta: { profile: [LAB_PROFILE] } }),
            status,
            category: [a.vitalSign
                ? { coding: [{ system: 'http://terminology.hl7.org/CodeSystem/observation-category', code: 'vital-signs', display: 'Vital Signs' }] }
                : { coding: [{ system: 'http://terminology.hl7.org/CodeSystem/observation-category', code: 'laboratory', display: 'Laboratory' }] }],
            code: { coding: [{ system: LOINC, code: a.code, display: a.display }], text: a.display },
            subject: this.subject,
            ...effectiveOf(effective),
        };
        if (method) {
            obs.method = { text: method };
        }
        if (absent) {
            obs.dataAbsentReason = { coding: [{ system: 'http://terminology.hl7.org/CodeSystem/data-absent-reason', code: absent }] };
        } else {
            obs.valueQuantity = { value, ...(comparator ? { comparator } : {}), unit: a.human ?? a.unit, system: UCUM, code: a.unit };
        }
        if (referenceRange) {
            obs.referenceRange = [{
                low: { value: referenceRange[0], unit: a.human ?? a.unit, system: UCUM, code: a.unit },
                high: { value: referenceRange[1], unit: a.human ?? a.unit, system: UCUM, code: a.unit },
            }];
        }
        return this.add(obs);
    }

    intent(answerKey, effective) {
        return this.add({
            resourceType: 'Observation',
            id: this.nextId('intent'),
            meta: { profile: [INTENT_PROFILE] },
            status: 'final',
            category: [{ coding: [{ system: 'http://terminology.hl7.org/CodeSystem/observation-category', code: 'social-history', display: 'Social History' }] }],
            code: { coding: [{ system: LOINC, code: '86645-9', display: 'Pregnancy intention in the next year - Reported' }] },
            subject: this.subject,
            effectiveDateTime: effective,
            valueCodeableConcept: { coding: [INTENT_ANSWERS[answerKey]] },
        });
    }

    condition(code, display, { onset, recorded, severity, note, system = ICD10CM, clinical = 'active', snomed } = {}) {
        const codings = [{ system, code, display }];
        if (snomed) {
            codings.push({ system: SNOMED, code: snomed[0], display: snomed[1] });
        }
        return this.add({
            resourceType: 'Condition',
            id: this.nextId('condition'),
            clinicalStatus: { coding: [{ system: 'http://terminology.hl7.org/CodeSystem/condition-clinical', code: clinical }] },
            verificationStatus: { coding: [{ system: 'http://terminology.hl7.org/CodeSystem/condition-ver-status', code: 'confirmed' }] },
            category: [{ coding: [{ system: 'http://terminology.hl7.org/CodeSystem/condition-category', code: 'problem-list-item', display: 'Problem List Item' }] }],
            ...(severity ? { severity: { coding: [{ system: SNOMED, code: '24484000', display: 'Severe' }] } } : {}),
            code: { coding: codings, text: display },
            subject: this.subject,
            ...(onset ? { onsetDateTime: onset } : {}),
            ...(recorded ? { recordedDate: recorded } : {}),
            ...(note ? { note: [{ text: note }] } : {}),
        });
    }

    /** Medication names as text only: the RxNorm codes in the clinical brief are unverified, and the text match path must work anyway. */
    /**
     * `androgenProfile: false` for a drug that is not an androgen-medication-request (opioid, glucocorticoid, androgen
     * deprivation): the profile names testosterone, anabolic steroids and fertility drugs only. `route` adds
     * dosageInstruction.route (SNOMED), which tells a topical glucocorticoid from a systemic one.
     */
    medication(text, { status = 'active', authoredOn, validity, dosage, route, androgenProfile = true }) {
        return this.add({
            resourceType: 'MedicationRequest',
            id: this.nextId('medication'),
            ...(androgenProfile ? { meta: { profile: [TRT_PROFILE] } } : {}),
            status,
            intent: 'order',
            medicationCodeableConcept: { text },
            subject: this.subject,
            authoredOn,
            ...(dosage ? { dosageInstruction: [{ text: dosage, ...(route ? { route: { coding: [SNOMED_ROUTES[route]] } } : {}) }] } : {}),
            ...(validity ? { dispenseRequest: { validityPeriod: { start: validity[0], end: validity[1] } } } : {}),
        });
    }

    /** A relative's prostate cancer (SNOMED 399068003 "Malignant tumor of prostate"); relative is a key of RELATIVES. */
    familyProstateCancer(relative, date) {
        return this.add({
            resourceType: 'FamilyMemberHistory',
            id: this.nextId('family'),
            status: 'completed',
            patient: this.subject,
            date,
            relationship: { coding: [{ system: V3_ROLE_CODE, ...RELATIVES[relative] }] },
            condition: [{ code: { coding: [{ system: SNOMED, code: '399068003', display: 'Malignant tumor of prostate (disorder)' }] } }],
        });
    }

    toJSON() {
        return { resourceType: 'Bundle', id: `scenario-${this.id}`, type: 'transaction', entry: this.entries };
    }
}

function effectiveOf(effective) {
    if (typeof effective === 'object' && effective.period) {
        return { effectivePeriod: { start: effective.period } };
    }
    return { effectiveDateTime: effective };
}

const scenarios = [];
const scenario = (id) => {
    const b = new ScenarioBundle(id);
    scenarios.push(b);
    return b;
};

// --- Classification coverage --------------------------------------------------------------------------------------

scenario('primary-desired')
    .patient({ gender: 'male', birthDate: '1988-04-12', given: 'Adam' })
    .lab('ttMass', 210, '2026-09-10T08:15:00-05:00')
    .lab('ttMass', 190, '2026-10-05T08:40:00-05:00')
    .lab('lh', 18.2, '2026-10-05T08:40:00-05:00')
    .lab('fsh', 24.5, '2026-10-05T08:40:00-05:00')
    .intent('desired', '2026-10-05T09:30:00-05:00')
    .condition('E29.1', 'Testicular hypofunction', { onset: '2026-10-10' });

scenario('primary-not-desired-molar')
    .patient({ gender: 'male', birthDate: '1971-02-03', given: 'Bruno' })
    .lab('ttMolar', 6.1, '2026-08-18T07:50:00+01:00')
    .lab('ttMolar', 5.8, '2026-09-22T08:05:00+01:00')
    .lab('lhMilli', 14.5, '2026-09-22T08:05:00+01:00')
    .lab('fsh', 19.0, '2026-09-22T08:05:00+01:00')
    .lab('hematocrit', 44.1, '2026-09-22T08:05:00+01:00')
    .lab('psa', 1.2, '2026-09-22T08:05:00+01:00')
    .intent('notDesiredLoinc', '2026-09-22T09:00:00+01:00');

scenario('secondary-desired')
    .patient({ gender: 'male', birthDate: '1994-07-21', given: 'Carlos' })
    .lab('ttMass', 250, '2026-08-03T08:20:00-07:00')
    .lab('ttMass', 210, '2026-09-14T07:45:00-07:00')
    .lab('lh', 2.1, '2026-09-14T07:45:00-07:00')
    .lab('fsh', 1.8, '2026-09-14T07:45:00-07:00')
    .lab('prolactin', 9.0, '2026-09-14T07:45:00-07:00')
    .lab('ferritin', 120, '2026-09-14T07:45:00-07:00')
    .intent('desiredLoinc', '2026-09-14T10:00:00-07:00')
    .condition('E23.0', 'Hypopituitarism', { onset: '2026-09-20' });

scenario('secondary-not-desired')
    .patient({ gender: 'male', birthDate: '1978-11-30', given: 'Dmitri' })
    .lab('ttMass', 205, '2026-07-07T09:10:00-04:00')
    .lab('ttMass', 198, '2026-08-11T08:30:00-04:00')
    .lab('lh', 3.0, '2026-08-11T08:30:00-04:00')
    .lab('prolactin', 11.2, '2026-08-11T08:30:00-04:00')
    .lab('ferritin', 95, '2026-08-11T08:30:00-04:00')
    .lab('hematocrit', 43.0, '2026-08-11T08:30:00-04:00')
    .lab('psa', 0.9, '2026-08-11T08:30:00-04:00')
    .intent('notDesired', '2026-08-11T09:15:00-04:00');

scenario('secondary-unsure')
    .patient({ gender: 'male', birthDate: '1991-05-09', given: 'Emil' })
    .lab('ttMass', 180, '2026-10-01T08:00:00+02:00')
    .lab('ttMass', 170, '2026-10-20T08:30:00+02:00')
    .lab('lh', 2.5, '2026-10-20T08:30:00+02:00')
    .intent('unsure', '2026-10-20T09:00:00+02:00');

scenario('secondary-intent-unknown')
    .patient({ gender: 'male', birthDate: '1985-01-17', given: 'Farid' })
    .lab('ttMass', 220, '2026-06-15T08:45:00-06:00')
    .lab('ttMass', 205, '2026-07-20T07:55:00-06:00')
    .lab('lh', 1.9, '2026-07-20T07:55:00-06:00');

scenario('secondary-infertility-condition')
    .patient({ gender: 'male', birthDate: '1990-09-02', given: 'Gustav' })
    .lab('ttMass', 190, '2026-05-12T08:10:00-05:00')
    .lab('ttMass', 200, '2026-06-09T08:25:00-05:00')
    .lab('lh', 2.2, '2026-06-09T08:25:00-05:00')
    .condition('N46.9', 'Male infertility, unspecified', { onset: '2026-04-01', snomed: ['2904007', 'Male infertility (disorder)'] });

scenario('secondary-ok-either-way')
    .patient({ gender: 'male', birthDate: '1987-03-28', given: 'Hassan' })
    .lab('ttMass', 195, '2026-09-01T08:00:00-05:00')
    .lab('ttMass', 185, '2026-09-29T08:10:00-05:00')
    .lab('lh', 2.8, '2026-09-29T08:10:00-05:00')
    .intent('notDesired', '2026-03-02T10:00:00-05:00')
    .intent('okEither', '2026-10-06T10:00:00-05:00');

scenario('compensated')
    .patient({ gender: 'male', birthDate: '1954-06-14', given: 'Ivan' })
    .lab('ttMass', 420, '2026-08-25T08:30:00-05:00')
    .lab('ttMass', 390, '2026-10-02T08:15:00-05:00')
    .lab('lh', 12.8, '2026-10-02T08:15:00-05:00')
    .lab('fsh', 15.1, '2026-10-02T08:15:00-05:00');

scenario('eugonadal')
    .patient({ gender: 'male', birthDate: '1981-12-01', given: 'Jonas' })
    .lab('ttMass', 520, '2026-09-08T08:05:00-04:00')
    .lab('ttMass', 610, '2026-10-13T07:40:00-04:00')
    .lab('lh', 4.1, '2026-10-13T07:40:00-04:00');

scenario('grey-zone-shbg-low')
    .patient({ gender: 'male', birthDate: '1979-08-08', given: 'Kofi' })
    .lab('ttMass', 265, '2026-09-03T08:00:00-05:00')
    .lab('ttMass', 280, '2026-10-08T08:20:00-05:00')
    .lab('shbg', 11, '2026-10-08T08:20:00-05:00')
    .lab('albumin', 4.3, '2026-10-08T08:20:00-05:00')
    .lab('lh', 3.5, '2026-10-08T08:20:00-05:00');

scenario('shbg-high-primary')
    .patient({ gender: 'male', birthDate: '1960-10-19', given: 'Lars' })
    .lab('ttMass', 445, '2026-09-02T08:30:00+00:00')
    .lab('ttMass', 420, '2026-10-14T08:10:00+00:00')
    .lab('shbg', 85, '2026-10-14T08:10:00+00:00')
    .lab('albumin', 3.9, '2026-10-14T08:10:00+00:00')
    .lab('lh', 13.1, '2026-10-14T08:10:00+00:00')
    .lab('hematocrit', 45.0, '2026-10-14T08:10:00+00:00')
    .lab('psa', 1.8, '2026-10-14T08:10:00+00:00')
    .intent('notDesired', '2026-10-14T09:00:00+00:00');

// --- Exogenous androgen -------------------------------------------------------------------------------------------

scenario('on-testosterone-wants-children')
    .patient({ gender: 'male', birthDate: '1989-02-14', given: 'Marco' })
    .medication('testosterone cypionate 200 mg/mL injectable solution', {
        authoredOn: '2025-06-10', dosage: '100 mg intramuscularly once weekly',
    })
    .lab('ttMass', 650, '2026-10-21T08:30:00-05:00')
    .lab('lh', 0.3, '2026-10-21T08:30:00-05:00')
    .lab('fsh', 0.4, '2026-10-21T08:30:00-05:00')
    .lab('hematocrit', 47.2, '2026-10-21T08:30:00-05:00')
    .intent('desired', '2026-11-02T10:00:00-05:00')
    .condition('Z31.69', 'Encounter for other general counseling and advice on procreation', { recorded: '2026-11-02' });

scenario('testosterone-recently-stopped')
    .patient({ gender: 'male', birthDate: '1975-04-04', given: 'Nils' })
    .medication('testosterone 1.62% topical gel', {
        status: 'completed', authoredOn: '2026-07-20', validity: ['2026-07-20', '2026-10-20'], dosage: '40.5 mg applied daily',
    })
    .lab('ttMass', 240, '2026-11-10T08:00:00-05:00')
    .lab('ttMass', 230, '2026-11-17T08:15:00-05:00')
    .lab('lh', 1.1, '2026-11-17T08:15:00-05:00');

// --- Insufficient data ----------------------------------------------------------------------------------------------

scenario('single-value-no-lh')
    .patient({ gender: 'male', birthDate: '1983-07-07', given: 'Oscar' })
    .lab('ttMass', 210, '2026-10-19T08:30:00-05:00');

scenario('afternoon-sample')
    .patient({ gender: 'male', birthDate: '1972-12-12', given: 'Pavel' })
    .lab('ttMass', 200, '2026-09-09T09:00:00-06:00')
    .lab('ttMass', 190, '2026-10-14T15:30:00-06:00')
    .lab('lh', 3.0, '2026-10-14T15:30:00-06:00')
    .intent('notDesired', '2026-10-14T16:00:00-06:00');

scenario('lookback-expired')
    .patient({ gender: 'male', birthDate: '1969-03-03', given: 'Quentin' })
    .lab('ttMass', 180, '2025-06-10T08:00:00-05:00')
    .lab('ttMass', 175, '2025-08-12T08:15:00-05:00')
    .lab('lh', 2.0, '2025-08-12T08:15:00-05:00')
    .intent('desired', '2025-05-10T10:00:00-05:00')
    .condition('E29.1', 'Testicular hypofunction', { onset: '2025-08-20' });

// --- Dates, units and statuses --------------------------------------------------------------------------------------

scenario('date-only-samples')
    .patient({ gender: 'male', birthDate: '1976-01-25', given: 'Rafael' })
    .lab('ttMass', 180, '2026-08-12')
    .lab('ttMass', 195, '2026-09-20')
    .lab('lh', 11.2, { period: '2026-09-20T08:00:00-05:00' })
    .lab('hematocrit', 45.5, '2026-09-20')
    .lab('psa', 0.7, '2026-09-20')
    .intent('notDesiredLoinc', '2026-09-20');

scenario('amended-and-entered-in-error')
    .patient({ gender: 'male', birthDate: '1980-10-10', given: 'Stefan' })
    .lab('ttMass', 205, '2026-09-01T08:00:00-05:00', { status: 'corrected' })
    .lab('ttMass', 210, '2026-10-01T08:10:00-05:00', { status: 'amended' })
    .lab('ttMass', 480, '2026-10-15T08:05:00-05:00', { status: 'preliminary' })
    .lab('ttMass', 450, '2026-10-20T08:00:00-05:00', { status: 'entered-in-error' })
    .lab('ttMass', undefined, '2026-10-25T08:00:00-05:00', { absent: 'error' })
    .lab('lh', 3.1, '2026-10-01T08:10:00-05:00')
    .lab('lh', 12.0, '2026-10-20T08:00:00-05:00', { status: 'entered-in-error' })
    .lab('lh', 14.0, '2026-10-22T08:00:00-05:00', { status: 'cancelled' })
    .lab('hematocrit', 44.0, '2026-10-01T08:10:00-05:00')
    .lab('psa', 1.0, '2026-10-01T08:10:00-05:00')
    .intent('notDesired', '2026-10-01T09:00:00-05:00');

// --- Not applicable -------------------------------------------------------------------------------------------------

scenario('female-patient')
    .patient({ gender: 'female', birthDate: '1992-02-29', given: 'Tereza' })
    .lab('ttMass', 45, '2026-09-15T08:30:00-05:00')
    .lab('lh', 6.0, '2026-09-15T08:30:00-05:00');

scenario('age-17')
    .patient({ gender: 'male', birthDate: '2009-03-10', given: 'Uri' })
    .lab('ttMass', 180, '2026-09-01T08:00:00-05:00')
    .lab('ttMass', 170, '2026-10-01T08:00:00-05:00')
    .lab('lh', 1.2, '2026-10-01T08:00:00-05:00');

// --- TRT contraindications (testosterone drafted, fertility not desired) --------------------------------------------

scenario('contra-hematocrit-psa')
    .patient({ gender: 'male', birthDate: '1964-05-05', given: 'Viktor' })
    .lab('ttMass', 210, '2026-09-04T08:00:00-05:00')
    .lab('ttMass', 200, '2026-10-09T08:30:00-05:00')
    .lab('lh', 3.3, '2026-10-09T08:30:00-05:00')
    .lab('hematocrit', 50.5, '2026-10-09T08:30:00-05:00')
    .lab('psa', 5.2, '2026-10-09T08:30:00-05:00')
    .intent('notDesired', '2026-10-09T09:00:00-05:00');

scenario('contra-prostate-breast-cancer')
    .patient({ gender: 'male', birthDate: '1958-09-09', given: 'Walter' })
    .lab('ttMass', 160, '2026-08-05T08:00:00-05:00')
    .lab('ttMass', 170, '2026-09-16T08:20:00-05:00')
    .lab('lh', 15.5, '2026-09-16T08:20:00-05:00')
    .lab('hematocrit', 42.0, '2026-09-16T08:20:00-05:00')
    .lab('psa', 2.1, '2026-09-16T08:20:00-05:00')
    .intent('notDesired', '2026-09-16T09:00:00-05:00')
    .condition('C61', 'Malignant neoplasm of prostate', { onset: '2025-11-03' })
    .condition('C50.921', 'Malignant neoplasm of unspecified site of right male breast', { onset: '2026-02-17' });

scenario('contra-sleep-apnea-heart-failure')
    .patient({ gender: 'male', birthDate: '1966-11-11', given: 'Xaver' })
    .lab('ttMass', 215, '2026-07-14T08:00:00-05:00')
    .lab('ttMass', 205, '2026-08-18T08:10:00-05:00')
    .lab('lh', 2.6, '2026-08-18T08:10:00-05:00')
    .lab('hematocrit', 46.0, '2026-08-18T08:10:00-05:00')
    .lab('psa', 1.5, '2026-08-18T08:10:00-05:00')
    .intent('notDesired', '2026-08-18T09:00:00-05:00')
    .condition('G47.33', 'Obstructive sleep apnea (adult) (pediatric)', {
        onset: '2026-03-01', severity: true, note: 'Severe (AHI 42/h); CPAP declined, untreated.',
    })
    .condition('I50.23', 'Acute on chronic systolic (congestive) heart failure', { onset: '2026-10-28' });

scenario('contra-recent-mi-thrombophilia')
    .patient({ gender: 'male', birthDate: '1963-01-30', given: 'Yusuf' })
    .lab('ttMass', 190, '2026-09-21T08:00:00-05:00')
    .lab('ttMass', 200, '2026-10-26T08:15:00-05:00')
    .lab('lh', 2.9, '2026-10-26T08:15:00-05:00')
    .lab('hematocrit', 44.5, '2026-10-26T08:15:00-05:00')
    .lab('psa', 1.1, '2026-10-26T08:15:00-05:00')
    .intent('notDesired', '2026-10-26T09:00:00-05:00')
    .condition('I21.4', 'Non-ST elevation (NSTEMI) myocardial infarction', { onset: '2026-08-20' })
    .condition('I63.9', 'Cerebral infarction, unspecified', { onset: '2024-03-02' })
    .condition('D68.51', 'Activated protein C resistance', { onset: '2019-05-14' });

// === Clinical safety (contract of 71e0356: causes, androgen deprivation, fertility therapy, symptoms, scope) =========
// Every patient who should be classified has at least one coded symptom (AUA 2018 statement 3), except
// no-symptoms-secondary. Hormone totals are kept below the grey zone (< 231 ng/dL) and at or above 150 ng/dL unless a
// scenario is about them, and FSH, prolactin, ferritin, hematocrit and PSA are sent where they would otherwise add
// missing data, work-up or contraindications the scenario is not about.

const ED = ['N52.9', 'Male erectile dysfunction, unspecified'];
const LOW_LIBIDO = ['R68.82', 'Decreased libido'];
const FATIGUE = ['R53.83', 'Other fatigue'];
const HOT_FLUSHES = ['R23.2', 'Flushing'];

// --- Causes that change management ------------------------------------------------------------------------------------

scenario('prolactin-high-secondary')
    .patient({ gender: 'male', birthDate: '1982-06-19', given: 'Abdul' })
    .lab('ttMass', 215, '2026-09-08T08:15:00-05:00')
    .lab('ttMass', 200, '2026-10-13T08:30:00-05:00')
    .lab('lh', 2.4, '2026-10-13T08:30:00-05:00')
    .lab('fsh', 2.9, '2026-10-13T08:30:00-05:00')
    .lab('prolactin', 48, '2026-10-13T08:30:00-05:00')
    .lab('ferritin', 110, '2026-10-13T08:30:00-05:00')
    .lab('hematocrit', 44.0, '2026-10-13T08:30:00-05:00')
    .lab('psa', 0.8, '2026-10-13T08:30:00-05:00')
    .intent('notDesired', '2026-10-13T09:15:00-05:00')
    .condition(...LOW_LIBIDO, { onset: '2026-07-01' })
    .condition(...ED, { onset: '2026-07-01' });

scenario('prolactin-miu-own-range')
    .patient({ gender: 'male', birthDate: '1992-02-08', given: 'Bjorn' })
    .lab('ttMass', 205, '2026-08-20T08:10:00+01:00')
    .lab('ttMass', 190, '2026-09-24T08:25:00+01:00')
    .lab('lh', 1.8, '2026-09-24T08:25:00+01:00')
    .lab('fsh', 2.2, '2026-09-24T08:25:00+01:00')
    .lab('prolactinMiu', 620, '2026-09-24T08:25:00+01:00', { referenceRange: [86, 324] })
    .lab('ferritin', 140, '2026-09-24T08:25:00+01:00')
    .intent('desired', '2026-09-24T09:30:00+01:00')
    .condition(...LOW_LIBIDO, { onset: '2026-06-15' });

scenario('pituitary-adenoma-desired')
    .patient({ gender: 'male', birthDate: '1990-11-23', given: 'Cedric' })
    .lab('ttMass', 190, '2026-08-04T08:00:00-06:00')
    .lab('ttMass', 180, '2026-09-15T08:20:00-06:00')
    .lab('lh', 1.5, '2026-09-15T08:20:00-06:00')
    .lab('fsh', 1.6, '2026-09-15T08:20:00-06:00')
    .lab('prolactin', 12.0, '2026-09-15T08:20:00-06:00')
    .lab('ferritin', 130, '2026-09-15T08:20:00-06:00')
    .intent('desiredLoinc', '2026-09-15T10:00:00-06:00')
    .condition('D35.2', 'Benign neoplasm of pituitary gland', { onset: '2026-05-12', snomed: ['254956000', 'Pituitary adenoma (disorder)'] })
    .condition(...ED, { onset: '2026-04-01' });

scenario('pituitary-single-sample')
    .patient({ gender: 'male', birthDate: '1974-03-30', given: 'Darius' })
    .lab('ttMass', 205, '2026-10-27T08:40:00-05:00')
    .lab('lh', 2.0, '2026-10-27T08:40:00-05:00')
    .lab('fsh', 2.2, '2026-10-27T08:40:00-05:00')
    .lab('prolactin', 10.0, '2026-10-27T08:40:00-05:00')
    .lab('ferritin', 160, '2026-10-27T08:40:00-05:00')
    .lab('hematocrit', 45.0, '2026-10-27T08:40:00-05:00')
    .lab('psa', 1.0, '2026-10-27T08:40:00-05:00')
    .intent('notDesired', '2026-10-27T09:30:00-05:00')
    .condition('D35.2', 'Benign neoplasm of pituitary gland', { onset: '2025-09-03' })
    .condition(...FATIGUE, { onset: '2026-08-10' });

scenario('klinefelter-normal-lh')
    .patient({ gender: 'male', birthDate: '1997-01-14', given: 'Elias' })
    .lab('ttMass', 180, '2026-07-21T08:00:00-04:00')
    .lab('ttMass', 170, '2026-08-25T08:30:00-04:00')
    .lab('lh', 8.0, '2026-08-25T08:30:00-04:00')
    .lab('fsh', 10.5, '2026-08-25T08:30:00-04:00')
    .lab('hematocrit', 42.0, '2026-08-25T08:30:00-04:00')
    .lab('psa', 0.5, '2026-08-25T08:30:00-04:00')
    .intent('notDesired', '2026-08-25T09:00:00-04:00')
    .condition('Q98.0', 'Klinefelter syndrome karyotype 47, XXY', { onset: '2012-05-02', snomed: ['405769009', 'Klinefelter syndrome (disorder)'] })
    .condition(...LOW_LIBIDO, { onset: '2026-05-01' });

scenario('fsh-high-primary')
    .patient({ gender: 'male', birthDate: '1968-08-27', given: 'Felix' })
    .lab('ttMass', 200, '2026-09-16T08:05:00-05:00')
    .lab('ttMass', 185, '2026-10-21T08:15:00-05:00')
    .lab('lh', 7.0, '2026-10-21T08:15:00-05:00')
    .lab('fsh', 19.0, '2026-10-21T08:15:00-05:00')
    .lab('hematocrit', 43.5, '2026-10-21T08:15:00-05:00')
    .lab('psa', 1.3, '2026-10-21T08:15:00-05:00')
    .intent('notDesired', '2026-10-21T09:00:00-05:00')
    .condition(...ED, { onset: '2026-06-20' });

scenario('opioid-secondary')
    .patient({ gender: 'male', birthDate: '1977-05-16', given: 'Goran' })
    .medication('methadone hydrochloride 10 mg oral tablet', {
        authoredOn: '2025-04-08', dosage: '60 mg by mouth once daily (opioid agonist therapy)', route: 'oral', androgenProfile: false,
    })
    .lab('ttMass', 195, '2026-09-02T08:20:00-05:00')
    .lab('ttMass', 205, '2026-10-07T08:10:00-05:00')
    .lab('lh', 1.7, '2026-10-07T08:10:00-05:00')
    .lab('fsh', 2.0, '2026-10-07T08:10:00-05:00')
    .lab('prolactin', 14.0, '2026-10-07T08:10:00-05:00')
    .lab('ferritin', 150, '2026-10-07T08:10:00-05:00')
    .lab('hematocrit', 43.0, '2026-10-07T08:10:00-05:00')
    .lab('psa', 0.9, '2026-10-07T08:10:00-05:00')
    .intent('notDesired', '2026-10-07T09:00:00-05:00')
    .condition(...LOW_LIBIDO, { onset: '2026-03-01' });

scenario('opioid-secondary-desired')
    .patient({ gender: 'male', birthDate: '1989-10-02', given: 'Hiro' })
    .medication('oxycodone hydrochloride 10 mg extended-release oral tablet', {
        authoredOn: '2026-02-11', dosage: '10 mg by mouth every 12 hours (chronic back pain)', route: 'oral', androgenProfile: false,
    })
    .lab('ttMass', 210, '2026-08-12T08:30:00-07:00')
    .lab('ttMass', 190, '2026-09-16T08:00:00-07:00')
    .lab('lh', 2.0, '2026-09-16T08:00:00-07:00')
    .lab('fsh', 2.4, '2026-09-16T08:00:00-07:00')
    .lab('prolactin', 13.0, '2026-09-16T08:00:00-07:00')
    .lab('ferritin', 90, '2026-09-16T08:00:00-07:00')
    .intent('desired', '2026-09-16T09:30:00-07:00')
    .condition(...ED, { onset: '2026-05-05' });

scenario('glucocorticoid-secondary')
    .patient({ gender: 'male', birthDate: '1970-12-05', given: 'Idris' })
    .medication('prednisone 10 mg oral tablet', {
        authoredOn: '2026-03-16', dosage: '10 mg by mouth once daily (polymyalgia rheumatica)', route: 'oral', androgenProfile: false,
    })
    .medication('hydrocortisone 1% topical cream', {
        authoredOn: '2026-06-02', dosage: 'apply thinly to the affected skin twice daily', route: 'topical', androgenProfile: false,
    })
    .lab('ttMass', 220, '2026-09-22T08:00:00-05:00')
    .lab('ttMass', 200, '2026-10-27T08:20:00-05:00')
    .lab('lh', 2.2, '2026-10-27T08:20:00-05:00')
    .lab('fsh', 2.6, '2026-10-27T08:20:00-05:00')
    .lab('prolactin', 9.5, '2026-10-27T08:20:00-05:00')
    .lab('ferritin', 180, '2026-10-27T08:20:00-05:00')
    .lab('hematocrit', 45.5, '2026-10-27T08:20:00-05:00')
    .lab('psa', 1.4, '2026-10-27T08:20:00-05:00')
    .intent('notDesired', '2026-10-27T09:00:00-05:00')
    .condition(...FATIGUE, { onset: '2026-08-01' })
    .condition(...LOW_LIBIDO, { onset: '2026-08-01' });

scenario('iron-overload')
    .patient({ gender: 'male', birthDate: '1973-07-09', given: 'Jakob' })
    .lab('ttMass', 205, '2026-09-10T08:10:00-05:00')
    .lab('ttMass', 195, '2026-10-15T08:25:00-05:00')
    .lab('lh', 1.9, '2026-10-15T08:25:00-05:00')
    .lab('fsh', 2.1, '2026-10-15T08:25:00-05:00')
    .lab('prolactin', 9.0, '2026-10-15T08:25:00-05:00')
    .lab('ferritin', 850, '2026-10-15T08:25:00-05:00')
    .lab('tsat', 62, '2026-10-15T08:25:00-05:00')
    .lab('hematocrit', 44.0, '2026-10-15T08:25:00-05:00')
    .lab('psa', 1.1, '2026-10-15T08:25:00-05:00')
    .intent('notDesired', '2026-10-15T09:00:00-05:00')
    .condition(...ED, { onset: '2026-06-01' })
    .condition(...FATIGUE, { onset: '2026-06-01' });

scenario('obesity-osa-secondary')
    .patient({ gender: 'male', birthDate: '1971-04-21', given: 'Kenji' })
    .lab('ttMass', 225, '2026-09-01T08:30:00-05:00')
    .lab('ttMass', 210, '2026-10-06T08:00:00-05:00')
    .lab('lh', 3.2, '2026-10-06T08:00:00-05:00')
    .lab('fsh', 3.8, '2026-10-06T08:00:00-05:00')
    .lab('prolactin', 8.4, '2026-10-06T08:00:00-05:00')
    .lab('ferritin', 210, '2026-10-06T08:00:00-05:00')
    .lab('hematocrit', 46.0, '2026-10-06T08:00:00-05:00')
    .lab('psa', 1.2, '2026-10-06T08:00:00-05:00')
    .lab('bmi', 36, '2026-10-06T08:00:00-05:00')
    .intent('notDesired', '2026-10-06T09:00:00-05:00')
    .condition('G47.33', 'Obstructive sleep apnea (adult) (pediatric)', {
        onset: '2026-10-20', note: 'Polysomnography AHI 32/h; CPAP prescribed, not yet started.',
    })
    .condition('E11.9', 'Type 2 diabetes mellitus without complications', { onset: '2021-02-10' })
    .condition(...ED, { onset: '2026-04-01' });

// --- Not hypogonadism as a disease: androgen deprivation, fertility therapy -------------------------------------------

scenario('androgen-deprivation')
    .patient({ gender: 'male', birthDate: '1955-09-12', given: 'Luca' })
    .medication('leuprolide acetate 22.5 mg depot suspension for injection', {
        authoredOn: '2026-05-04', dosage: '22.5 mg intramuscularly every 3 months', route: 'intramuscular', androgenProfile: false,
    })
    .lab('ttMass', 28, '2026-08-18T08:00:00-05:00')
    .lab('ttMass', 22, '2026-11-03T08:15:00-05:00')
    .lab('lh', 0.2, '2026-11-03T08:15:00-05:00')
    .lab('hematocrit', 41.0, '2026-11-03T08:15:00-05:00')
    .lab('psa', 0.3, '2026-11-03T08:15:00-05:00')
    .condition('C61', 'Malignant neoplasm of prostate', { onset: '2026-03-20' })
    .condition(...HOT_FLUSHES, { onset: '2026-06-15' })
    .condition(...LOW_LIBIDO, { onset: '2026-06-15' });

scenario('on-clomiphene')
    .patient({ gender: 'male', birthDate: '1991-08-30', given: 'Mateo' })
    .medication('clomiphene citrate 50 mg oral tablet', {
        authoredOn: '2026-08-03', dosage: '25 mg (half a tablet) by mouth once daily', route: 'oral',
    })
    .lab('ttMass', 210, '2026-06-09T08:10:00-05:00')
    .lab('ttMass', 195, '2026-07-14T08:20:00-05:00')
    .lab('lh', 2.0, '2026-07-14T08:20:00-05:00')
    .lab('fsh', 2.3, '2026-07-14T08:20:00-05:00')
    .lab('prolactin', 10.0, '2026-07-14T08:20:00-05:00')
    .lab('ferritin', 120, '2026-07-14T08:20:00-05:00')
    .lab('ttMass', 520, '2026-10-20T08:15:00-05:00')
    .lab('lh', 6.5, '2026-10-20T08:15:00-05:00')
    .lab('estradiol', 38, '2026-10-20T08:15:00-05:00')
    .intent('desired', '2026-07-14T09:30:00-05:00')
    .condition(...LOW_LIBIDO, { onset: '2026-05-01' });

// --- Confirmation and symptoms -----------------------------------------------------------------------------------------

scenario('single-low-sample-free-t')
    .patient({ gender: 'male', birthDate: '1980-01-29', given: 'Nikolai' })
    .lab('ttMass', 250, '2026-10-28T08:15:00-05:00')
    .lab('shbg', 12, '2026-10-28T08:15:00-05:00')
    .lab('albumin', 4.4, '2026-10-28T08:15:00-05:00')
    .lab('freeT', 55, '2026-10-28T08:15:00-05:00', { referenceRange: [66, 309], method: 'Equilibrium dialysis' })
    .lab('lh', 3.0, '2026-10-28T08:15:00-05:00')
    .lab('fsh', 3.5, '2026-10-28T08:15:00-05:00')
    .lab('prolactin', 10.0, '2026-10-28T08:15:00-05:00')
    .lab('ferritin', 150, '2026-10-28T08:15:00-05:00')
    .lab('hematocrit', 44.0, '2026-10-28T08:15:00-05:00')
    .lab('psa', 0.9, '2026-10-28T08:15:00-05:00')
    .intent('notDesired', '2026-10-28T09:00:00-05:00')
    .condition(...ED, { onset: '2026-07-15' });

scenario('no-symptoms-secondary')
    .patient({ gender: 'male', birthDate: '1976-10-03', given: 'Omar' })
    .lab('ttMass', 215, '2026-08-26T08:00:00-05:00')
    .lab('ttMass', 205, '2026-09-30T08:10:00-05:00')
    .lab('lh', 2.3, '2026-09-30T08:10:00-05:00')
    .lab('fsh', 2.7, '2026-09-30T08:10:00-05:00')
    .lab('prolactin', 11.0, '2026-09-30T08:10:00-05:00')
    .lab('ferritin', 170, '2026-09-30T08:10:00-05:00')
    .lab('hematocrit', 44.5, '2026-09-30T08:10:00-05:00')
    .lab('psa', 1.0, '2026-09-30T08:10:00-05:00')
    .intent('notDesired', '2026-09-30T09:00:00-05:00')
    .condition('I10', 'Essential (primary) hypertension', { onset: '2019-04-11' });

// --- Scope: birth sex, missing birth date -------------------------------------------------------------------------------

scenario('female-birth-sex')
    .patient({ gender: 'male', birthDate: '1993-05-17', given: 'Sam', birthSex: 'F' })
    .lab('ttMass', 32, '2026-09-29T08:30:00-05:00')
    .lab('lh', 5.5, '2026-09-29T08:30:00-05:00')
    .lab('estradiol', 95, '2026-09-29T08:30:00-05:00');

scenario('no-birth-date')
    .patient({ gender: 'male', given: 'Pieter' })
    .lab('ttMass', 200, '2026-08-31T08:05:00-05:00')
    .lab('ttMass', 190, '2026-10-05T08:20:00-05:00')
    .lab('lh', 2.1, '2026-10-05T08:20:00-05:00')
    .lab('fsh', 2.5, '2026-10-05T08:20:00-05:00')
    .lab('prolactin', 9.0, '2026-10-05T08:20:00-05:00')
    .lab('ferritin', 115, '2026-10-05T08:20:00-05:00')
    .intent('desired', '2026-10-05T09:30:00-05:00')
    .condition(...LOW_LIBIDO, { onset: '2026-06-01' });

// --- Time zones ------------------------------------------------------------------------------------------------------------

// Samples stored in UTC: 13:30Z and 14:00Z in November 2026 (after the end of US daylight saving time on 2026-11-01) are
// 08:30 and 09:00 EST in America/New_York, the site zone the expected outcome assumes (Clinical:SiteTimeZone).
scenario('utc-morning-sample')
    .patient({ gender: 'male', birthDate: '1979-02-22', given: 'Ravi' })
    .lab('ttMass', 210, '2026-11-09T13:30:00Z')
    .lab('ttMass', 195, '2026-11-16T14:00:00Z')
    .lab('lh', 2.6, '2026-11-16T14:00:00Z')
    .lab('fsh', 3.0, '2026-11-16T14:00:00Z')
    .lab('prolactin', 10.5, '2026-11-16T14:00:00Z')
    .lab('ferritin', 140, '2026-11-16T14:00:00Z')
    .lab('hematocrit', 45.0, '2026-11-16T14:00:00Z')
    .lab('psa', 1.1, '2026-11-16T14:00:00Z')
    .intent('notDesired', '2026-11-16T15:00:00Z')
    .condition(...LOW_LIBIDO, { onset: '2026-09-01' });

// --- Clinical safety II: every drafted drug class screened, contraindication severity, PSA risk ---------------------------
// Drafts come from scenarios.json (clomiphene, enclomiphene, hcg, follitropin-alfa, anastrozole, nandrolone-decanoate,
// testosterone); the bundles hold what each screen reads (rules document §10 and §10a).

scenario('clomiphene-liver-vte')
    .patient({ gender: 'male', birthDate: '1986-03-14', given: 'Quentin' })
    .lab('ttMass', 205, '2026-09-08T08:10:00-05:00')
    .lab('ttMass', 195, '2026-10-13T08:20:00-05:00')
    .lab('lh', 2.2, '2026-10-13T08:20:00-05:00')
    .lab('fsh', 2.6, '2026-10-13T08:20:00-05:00')
    .lab('prolactin', 10.2, '2026-10-13T08:20:00-05:00')
    .lab('ferritin', 160, '2026-10-13T08:20:00-05:00')
    .intent('desired', '2026-10-13T09:00:00-05:00')
    .condition(...LOW_LIBIDO, { onset: '2026-06-01' })
    .condition('K70.30', 'Alcoholic cirrhosis of liver without ascites', { onset: '2025-04-22' })
    .condition('Z86.718', 'Personal history of other venous thrombosis and embolism', { recorded: '2024-02-09' });

scenario('enclomiphene-pe-visual')
    .patient({ gender: 'male', birthDate: '1990-08-30', given: 'Rafael' })
    .lab('ttMass', 215, '2026-08-24T08:05:00-05:00')
    .lab('ttMass', 200, '2026-09-28T08:15:00-05:00')
    .lab('lh', 2.7, '2026-09-28T08:15:00-05:00')
    .lab('fsh', 3.1, '2026-09-28T08:15:00-05:00')
    .lab('prolactin', 8.8, '2026-09-28T08:15:00-05:00')
    .lab('ferritin', 140, '2026-09-28T08:15:00-05:00')
    .intent('desired', '2026-09-28T09:00:00-05:00')
    .condition(...ED, { onset: '2026-05-10' })
    .condition('I26.99', 'Other pulmonary embolism without acute cor pulmonale', { onset: '2025-12-19' })
    .condition('H53.19', 'Other subjective visual disturbances', { onset: '2026-07-02' });

scenario('hcg-prostate-cancer')
    .patient({ gender: 'male', birthDate: '1972-12-05', given: 'Stefan' })
    .lab('ttMass', 190, '2026-09-15T08:00:00-05:00')
    .lab('ttMass', 180, '2026-10-20T08:10:00-05:00')
    .lab('lh', 1.9, '2026-10-20T08:10:00-05:00')
    .lab('fsh', 2.2, '2026-10-20T08:10:00-05:00')
    .lab('prolactin', 9.5, '2026-10-20T08:10:00-05:00')
    .lab('ferritin', 130, '2026-10-20T08:10:00-05:00')
    .lab('hematocrit', 43.5, '2026-10-20T08:10:00-05:00')
    .lab('psa', 6.8, '2026-10-20T08:10:00-05:00')
    .intent('desired', '2026-10-20T09:00:00-05:00')
    .condition(...LOW_LIBIDO, { onset: '2026-04-01' })
    .condition('C61', 'Malignant neoplasm of prostate', { onset: '2026-11-05' });

scenario('follitropin-unconfirmed')
    .patient({ gender: 'male', birthDate: '1989-06-11', given: 'Tobias' })
    .lab('ttMass', 215, '2026-10-27T08:30:00-05:00')
    .lab('lh', 2.4, '2026-10-27T08:30:00-05:00')
    .lab('fsh', 2.9, '2026-10-27T08:30:00-05:00')
    .lab('prolactin', 9.9, '2026-10-27T08:30:00-05:00')
    .lab('ferritin', 120, '2026-10-27T08:30:00-05:00')
    .intent('desired', '2026-10-27T09:00:00-05:00')
    .condition(...LOW_LIBIDO, { onset: '2026-08-01' });

scenario('anastrozole-osteoporosis')
    .patient({ gender: 'male', birthDate: '1982-01-19', given: 'Ulrich' })
    .lab('ttMass', 210, '2026-09-01T08:00:00-05:00')
    .lab('ttMass', 200, '2026-10-06T08:10:00-05:00')
    .lab('lh', 2.5, '2026-10-06T08:10:00-05:00')
    .lab('fsh', 3.0, '2026-10-06T08:10:00-05:00')
    .lab('prolactin', 10.0, '2026-10-06T08:10:00-05:00')
    .lab('ferritin', 150, '2026-10-06T08:10:00-05:00')
    .lab('estradiol', 42, '2026-10-06T08:10:00-05:00')
    .intent('desired', '2026-10-06T09:00:00-05:00')
    .condition(...LOW_LIBIDO, { onset: '2026-05-01' })
    .condition('M81.0', 'Age-related osteoporosis without current pathological fracture', { onset: '2025-09-30' });

scenario('nandrolone-wants-children')
    .patient({ gender: 'male', birthDate: '1993-10-02', given: 'Vincent' })
    .lab('ttMass', 200, '2026-09-09T08:00:00-05:00')
    .lab('ttMass', 190, '2026-10-14T08:15:00-05:00')
    .lab('lh', 2.3, '2026-10-14T08:15:00-05:00')
    .lab('fsh', 2.8, '2026-10-14T08:15:00-05:00')
    .lab('prolactin', 9.1, '2026-10-14T08:15:00-05:00')
    .lab('ferritin', 135, '2026-10-14T08:15:00-05:00')
    .intent('desired', '2026-10-14T09:00:00-05:00')
    .condition(...FATIGUE, { onset: '2026-06-15' });

scenario('prostate-history-polycythemia')
    .patient({ gender: 'male', birthDate: '1960-04-27', given: 'Winston' })
    .lab('ttMass', 200, '2026-08-17T08:00:00-05:00')
    .lab('ttMass', 190, '2026-09-21T08:10:00-05:00')
    .lab('lh', 2.8, '2026-09-21T08:10:00-05:00')
    .lab('fsh', 3.4, '2026-09-21T08:10:00-05:00')
    .lab('prolactin', 10.4, '2026-09-21T08:10:00-05:00')
    .lab('ferritin', 180, '2026-09-21T08:10:00-05:00')
    .lab('hematocrit', 46.5, '2026-09-21T08:10:00-05:00')
    .lab('psa', 0.1, '2026-09-21T08:10:00-05:00')
    .intent('notDesired', '2026-09-21T09:00:00-05:00')
    .condition(...ED, { onset: '2026-03-01' })
    .condition('Z85.46', 'Personal history of malignant neoplasm of prostate', { recorded: '2021-06-14' })
    .condition('D75.1', 'Secondary polycythemia', { onset: '2026-02-03' });

scenario('psa-high-risk-race')
    .patient({ gender: 'male', birthDate: '1974-07-08', given: 'Xavier', race: 'black' })
    .lab('ttMass', 205, '2026-09-14T08:00:00-05:00')
    .lab('ttMass', 195, '2026-10-19T08:05:00-05:00')
    .lab('lh', 2.6, '2026-10-19T08:05:00-05:00')
    .lab('fsh', 3.2, '2026-10-19T08:05:00-05:00')
    .lab('prolactin', 9.7, '2026-10-19T08:05:00-05:00')
    .lab('ferritin', 145, '2026-10-19T08:05:00-05:00')
    .lab('hematocrit', 44.0, '2026-10-19T08:05:00-05:00')
    .lab('psa', 3.4, '2026-10-19T08:05:00-05:00')
    .intent('notDesired', '2026-10-19T09:00:00-05:00')
    .condition(...LOW_LIBIDO, { onset: '2026-06-20' });

scenario('psa-family-history')
    .patient({ gender: 'male', birthDate: '1968-02-16', given: 'Yannick' })
    .lab('ttMass', 210, '2026-08-31T08:00:00-05:00')
    .lab('ttMass', 200, '2026-10-05T08:10:00-05:00')
    .lab('lh', 3.1, '2026-10-05T08:10:00-05:00')
    .lab('fsh', 3.6, '2026-10-05T08:10:00-05:00')
    .lab('prolactin', 11.0, '2026-10-05T08:10:00-05:00')
    .lab('ferritin', 155, '2026-10-05T08:10:00-05:00')
    .lab('hematocrit', 45.0, '2026-10-05T08:10:00-05:00')
    .lab('psa', 3.6, '2026-10-05T08:10:00-05:00')
    .intent('notDesired', '2026-10-05T09:00:00-05:00')
    .condition(...ED, { onset: '2026-04-12' })
    .familyProstateCancer('father', '2026-10-05')
    .familyProstateCancer('uncle', '2026-10-05');

scenario('breast-cancer-chart')
    .patient({ gender: 'male', birthDate: '1963-09-23', given: 'Zoltan' })
    .lab('ttMass', 195, '2026-09-02T08:00:00-05:00')
    .lab('ttMass', 185, '2026-10-07T08:10:00-05:00')
    .lab('lh', 2.4, '2026-10-07T08:10:00-05:00')
    .lab('fsh', 3.0, '2026-10-07T08:10:00-05:00')
    .lab('prolactin', 10.1, '2026-10-07T08:10:00-05:00')
    .lab('ferritin', 165, '2026-10-07T08:10:00-05:00')
    .lab('hematocrit', 44.0, '2026-10-07T08:10:00-05:00')
    .lab('psa', 1.2, '2026-10-07T08:10:00-05:00')
    .intent('notDesired', '2026-10-07T09:00:00-05:00')
    .condition(...LOW_LIBIDO, { onset: '2026-05-18' })
    .condition('C50.921', 'Malignant neoplasm of unspecified site of right male breast', { onset: '2026-08-11' });

// === Clinical safety II: men already on testosterone, fertility-intent answers ===========================================
// A renewal is a testosterone order drafted while an active testosterone prescription is on record (authoredOn = start).
// On-treatment results: hematocrit, PSA and total testosterone taken after starting (ES 2018 Table 8).

scenario('renewal-hematocrit-55')
    .patient({ gender: 'male', birthDate: '1974-05-06', given: 'Anton' })
    .medication('testosterone cypionate 200 mg/mL injectable solution', {
        authoredOn: '2024-09-02', dosage: '100 mg intramuscularly once weekly', route: 'intramuscular',
    })
    .lab('ttMass', 540, '2026-11-10T08:30:00-05:00')
    .lab('hematocrit', 55.3, '2026-11-10T08:30:00-05:00')
    .lab('psa', 1.2, '2026-11-10T08:30:00-05:00')
    .intent('notDesired', '2026-11-10T09:00:00-05:00')
    .condition(...ED, { onset: '2024-06-01' });

scenario('renewal-hematocrit-50')
    .patient({ gender: 'male', birthDate: '1971-10-11', given: 'Bastian' })
    .medication('testosterone cypionate 200 mg/mL injectable solution', {
        authoredOn: '2024-08-19', dosage: '100 mg intramuscularly once weekly', route: 'intramuscular',
    })
    .lab('ttMass', 560, '2026-11-09T08:20:00-05:00')
    .lab('hematocrit', 50.4, '2026-11-09T08:20:00-05:00')
    .lab('psa', 1.4, '2026-11-09T08:20:00-05:00')
    .intent('notDesired', '2026-11-09T09:00:00-05:00')
    .condition(...LOW_LIBIDO, { onset: '2024-05-01' });

scenario('renewal-psa-rise')
    .patient({ gender: 'male', birthDate: '1965-01-30', given: 'Conrad' })
    .medication('testosterone 1.62% topical gel', {
        authoredOn: '2025-03-03', dosage: '40.5 mg applied daily', route: 'topical',
    })
    .lab('psa', 1.1, '2025-12-15T08:10:00-05:00')
    .lab('ttMass', 520, '2026-11-12T11:30:00-05:00')
    .lab('hematocrit', 46.2, '2026-11-12T11:30:00-05:00')
    .lab('psa', 2.7, '2026-11-12T11:30:00-05:00')
    .intent('notDesired', '2026-11-12T12:00:00-05:00')
    .condition(...FATIGUE, { onset: '2025-01-10' });

scenario('renewal-overdue-labs')
    .patient({ gender: 'male', birthDate: '1979-07-14', given: 'Dario' })
    .medication('testosterone cypionate 200 mg/mL injectable solution', {
        authoredOn: '2024-10-01', dosage: '100 mg intramuscularly once weekly', route: 'intramuscular',
    })
    .lab('ttMass', 540, '2025-05-20T08:00:00-05:00')
    .lab('hematocrit', 45.1, '2025-05-20T08:00:00-05:00')
    .lab('psa', 0.9, '2025-05-20T08:00:00-05:00')
    .intent('notDesired', '2026-11-18T09:00:00-05:00')
    .condition(...ED, { onset: '2024-07-01' });

scenario('renewal-intent-unknown')
    .patient({ gender: 'male', birthDate: '1982-03-08', given: 'Emre' })
    .medication('testosterone cypionate 200 mg/mL injectable solution', {
        authoredOn: '2025-01-13', dosage: '100 mg intramuscularly once weekly', route: 'intramuscular',
    })
    .lab('ttMass', 530, '2026-10-27T08:40:00-05:00')
    .lab('hematocrit', 46.0, '2026-10-27T08:40:00-05:00')
    .lab('psa', 0.8, '2026-10-27T08:40:00-05:00')
    .condition(...LOW_LIBIDO, { onset: '2024-11-01' });

scenario('intent-recorded-14-months-ago')
    .patient({ gender: 'male', birthDate: '1984-12-02', given: 'Fabian' })
    .lab('ttMass', 210, '2026-09-15T08:10:00-05:00')
    .lab('ttMass', 195, '2026-10-20T08:20:00-05:00')
    .lab('lh', 2.4, '2026-10-20T08:20:00-05:00')
    .lab('fsh', 2.9, '2026-10-20T08:20:00-05:00')
    .lab('prolactin', 10.0, '2026-10-20T08:20:00-05:00')
    .lab('ferritin', 130, '2026-10-20T08:20:00-05:00')
    .lab('hematocrit', 44.0, '2026-10-20T08:20:00-05:00')
    .lab('psa', 0.9, '2026-10-20T08:20:00-05:00')
    .intent('notDesired', '2025-10-01T09:00:00-05:00')
    .condition(...ED, { onset: '2026-06-01' });

scenario('young-man-starting-trt')
    .patient({ gender: 'male', birthDate: '1995-06-21', given: 'Gianni' })
    .lab('ttMass', 205, '2026-09-22T08:05:00-05:00')
    .lab('ttMass', 190, '2026-10-27T08:15:00-05:00')
    .lab('lh', 2.2, '2026-10-27T08:15:00-05:00')
    .lab('fsh', 2.6, '2026-10-27T08:15:00-05:00')
    .lab('prolactin', 9.5, '2026-10-27T08:15:00-05:00')
    .lab('ferritin', 120, '2026-10-27T08:15:00-05:00')
    .lab('hematocrit', 44.5, '2026-10-27T08:15:00-05:00')
    .intent('notDesired', '2026-10-27T09:00:00-05:00')
    .condition(...LOW_LIBIDO, { onset: '2026-07-01' });

for (const s of scenarios) {
    writeFileSync(join(outDir, `${s.id}.json`), `${JSON.stringify(s.toJSON(), null, 2)}\n`);
}
process.stdout.write(`wrote ${scenarios.length} scenario bundles to ${outDir}\n`);
