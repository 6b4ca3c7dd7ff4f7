using System.Text.Json;
using CdsService.Clinical.Model;
using CdsService.Fhir.Mapping;
using CdsService.Fhir.Terminology;
using CdsService.Protocol;
using Microsoft.Extensions.Time.Testing;
using static CdsService.UnitTests.Fhir.FhirTestData;

namespace CdsService.UnitTests.Fhir;

/// <summary>
/// The FHIR side of the clinical safety rules (docs/clinical/hypogonadism-rules.md; evidence note docs/clinical/evidence/confirmation-causes-scope.md):
/// sex and gender on Patient (§12), the free testosterone method (§1.3), transferrin saturation and BMI, and the drug
/// classes with the glucocorticoid route filter (§6.1, §7).
/// </summary>
public sealed class SafetyMappingTests
{
    private const string RxNorm = CodeSystems.RxNorm;
    private static readonly DateTimeOffset Now = new(2026, 11, 15, 12, 0, 0, TimeSpan.Zero);

    private static PatientSnapshot Map(params string[] resources)
    {
        var set = new FhirResourceSet();
        foreach (var json in resources)
        {
            set.AddJson(JsonDocument.Parse(json).RootElement);
        }

        return new SnapshotMapper(TerminologyCatalog.Default, new FakeTimeProvider(Now)).Map(set, PatientId, []);
    }

    internal static string PatientWith(string extensions, string birthDate = "\"birthDate\":\"1980-04-02\",") =>
        $$"""{"resourceType":"Patient","id":"{{PatientId}}","gender":"male",{{birthDate}}"extension":[{{extensions}}]}""";

    internal static string BirthSex(string code) =>
        $$"""{"url":"http://hl7.org/fhir/us/core/StructureDefinition/us-core-birthsex","valueCode":"{{code}}"}""";

    internal static string SexForClinicalUse(string code, string? start = null, string? end = null)
    {
        var bounds = new List<string>();
        if (start is not null)
        {
            bounds.Add("\"start\":\"" + start + "\"");
        }

        if (end is not null)
        {
            bounds.Add("\"end\":\"" + end + "\"");
        }

        var period = bounds.Count == 0 ? "" : ",{\"url\":\"period\",\"valuePeriod\":{" + string.Join(",", bounds) + "}}";
        return """
            {"url":"http://hl7.org/fhir/StructureDefinition/patient-sexParameterForClinicalUse","extension":[
              {"url":"value","valueCodeableConcept":{"coding":[{"system":"http://terminology.hl7.org/CodeSystem/sex-parameter-for-clinical-use","code":"
            """.TrimEnd() + code + "\"}]}}" + period + "]}";
    }

    internal static string UsCoreGenderIdentity(string system, string code) =>
        $$$"""{"url":"http://hl7.org/fhir/us/core/StructureDefinition/us-core-genderIdentity","valueCodeableConcept":{"coding":[{"system":"{{{system}}}","code":"{{{code}}}"}]}}""";

    internal static string IndividualGenderIdentity(string system, string code) =>
        $$$"""{"url":"http://hl7.org/fhir/StructureDefinition/individual-genderIdentity","extension":[{"url":"value","valueCodeableConcept":{"coding":[{"system":"{{{system}}}","code":"{{{code}}}"}]}}]}""";

    internal static string FreeTestosterone(string id, string method, string code = "2991-8", string codeText = "")
    {
        var text = codeText.Length == 0 ? "" : ",\"text\":\"" + codeText + "\"";
        return $$$"""
            {"resourceType":"Observation","id":"{{{id}}}","status":"final",
             "code":{"coding":[{"system":"http://loinc.org","code":"{{{code}}}"}]{{{text}}}},
             "subject":{"reference":"Patient/{{{PatientId}}}"},"effectiveDateTime":"2026-10-01T08:30:00-05:00",
             "valueQuantity":{"value":55,"unit":"pg/mL","system":"http://unitsofmeasure.org","code":"pg/mL"}{{{method}}}}
            """;
    }

    internal static string MedicationRequest(string id, string medication, string extra = "") =>
        $$"""
        {"resourceType":"MedicationRequest","id":"{{id}}","status":"active","intent":"order",{{medication}},
         "subject":{"reference":"Patient/{{PatientId}}"},"authoredOn":"2026-06-01"{{extra}}}
        """;

    internal static string Coded(string rxnorm, string display) =>
        $$"""
        "medicationCodeableConcept":{"coding":[{"system":"{{RxNorm}}","code":"{{rxnorm}}","display":"{{display}}"}]}
        """;

    internal static string Text(string text) => $$"""
        "medicationCodeableConcept":{"text":"{{text}}"}
        """;

    // Patient: birth sex, sex parameter for clinical use, gender identity (evidence note §12).

    [Theory]
    [InlineData("M", AdministrativeSex.Male)]
    [InlineData("F", AdministrativeSex.Female)]
    [InlineData("UNK", AdministrativeSex.Unknown)]
    [InlineData("OTH", AdministrativeSex.Unknown)]
    public void GivenUsCoreBirthSex_WhenMapped_ThenBirthSexRead(string code, AdministrativeSex expected)
    {
        var snapshot = Map(PatientWith(BirthSex(code)));

        Assert.Equal(expected, snapshot.BirthSex);
        Assert.Equal(AdministrativeSex.Male, snapshot.Sex);
    }

    [Fact]
    public void GivenNoSexOrGenderExtension_WhenMapped_ThenAllNull()
    {
        var snapshot = Map(Patient());

        Assert.Null(snapshot.BirthSex);
        Assert.Null(snapshot.SexForClinicalUse);
        Assert.Null(snapshot.GenderIdentity);
    }

    [Fact]
    public void GivenBirthSexOfTheWrongJsonType_WhenMapped_ThenNotRecorded() =>
        Assert.Null(Map(PatientWith("""{"url":"http://hl7.org/fhir/us/core/StructureDefinition/us-core-birthsex","valueCode":1}""")).BirthSex);

    [Fact]
    public void GivenNoBirthDate_WhenMapped_ThenBirthDateStaysNull()
    {
        var snapshot = Map(PatientWith(BirthSex("M"), birthDate: ""));

        Assert.Null(snapshot.BirthDate);
        Assert.Equal(AdministrativeSex.Male, snapshot.BirthSex);
    }

    [Theory]
    [InlineData("male-typical", AdministrativeSex.Male)]
    [InlineData("female-typical", AdministrativeSex.Female)]
    [InlineData("specified", AdministrativeSex.Unknown)]
    [InlineData("unknown", AdministrativeSex.Unknown)]
    public void GivenSexParameterForClinicalUse_WhenMapped_ThenRead(string code, AdministrativeSex expected) =>
        Assert.Equal(expected, Map(PatientWith(SexForClinicalUse(code))).SexForClinicalUse);

    [Fact]
    public void GivenSeveralSexParametersForClinicalUse_WhenMapped_ThenTheCurrentPeriodWins()
    {
        var snapshot = Map(PatientWith(string.Join(",",
            SexForClinicalUse("female-typical", start: "2020-01-01", end: "2022-12-31"),
            SexForClinicalUse("male-typical", start: "2023-01-01"),
            SexForClinicalUse("specified", start: "2027-01-01"))));

        Assert.Equal(AdministrativeSex.Male, snapshot.SexForClinicalUse);
    }

    [Fact]
    public void GivenSeveralSexParametersForClinicalUseNoneCurrent_WhenMapped_ThenTheLastWins()
    {
        var snapshot = Map(PatientWith(string.Join(",",
            SexForClinicalUse("male-typical", start: "2020-01-01", end: "2021-12-31"),
            SexForClinicalUse("female-typical", start: "2022-01-01", end: "2022-12-31"))));

        Assert.Equal(AdministrativeSex.Female, snapshot.SexForClinicalUse);
    }

    [Theory]
    [InlineData(CodeSystems.Snomed, "446151000124109", AdministrativeSex.Male)]
    [InlineData(CodeSystems.Snomed, "446141000124107", AdministrativeSex.Female)]
    [InlineData(CodeSystems.Snomed, "33791000087105", AdministrativeSex.Other)]
    [InlineData(CodeSystems.Snomed, "407377005", AdministrativeSex.Other)]
    [InlineData(CodeSystems.Snomed, "407376001", AdministrativeSex.Other)]
    [InlineData("http://terminology.hl7.org/CodeSystem/data-absent-reason", "asked-declined", null)]
    [InlineData("http://terminology.hl7.org/CodeSystem/data-absent-reason", "unknown", null)]
    [InlineData("http://terminology.hl7.org/CodeSystem/v3-NullFlavor", "ASKU", null)]
    public void GivenGenderIdentity_WhenMapped_ThenReadFromEitherExtension(string system, string code, AdministrativeSex? expected)
    {
        Assert.Equal(expected, Map(PatientWith(UsCoreGenderIdentity(system, code))).GenderIdentity);
        Assert.Equal(expected, Map(PatientWith(IndividualGenderIdentity(system, code))).GenderIdentity);
    }

    [Fact]
    public void GivenBothGenderIdentityExtensions_WhenMapped_ThenIndividualGenderIdentityWins()
    {
        var snapshot = Map(PatientWith(string.Join(",",
            UsCoreGenderIdentity(CodeSystems.Snomed, "446151000124109"),
            IndividualGenderIdentity(CodeSystems.Snomed, "33791000087105"))));

        Assert.Equal(AdministrativeSex.Other, snapshot.GenderIdentity);
    }

    // Free testosterone method (evidence note §1.3).

    [Theory]
    [InlineData("""{"text":"Equilibrium dialysis"}""", FreeTestosteroneMethod.EquilibriumDialysis)]
    [InlineData("""{"text":"ultrafiltration"}""", FreeTestosteroneMethod.EquilibriumDialysis)]
    [InlineData("""{"coding":[{"system":"http://example.org/methods","code":"ED","display":"Dialysis"}]}""", FreeTestosteroneMethod.EquilibriumDialysis)]
    [InlineData("""{"text":"LC-MS/MS"}""", FreeTestosteroneMethod.MassSpectrometry)]
    [InlineData("""{"text":"lc/ms"}""", FreeTestosteroneMethod.MassSpectrometry)]
    [InlineData("""{"coding":[{"system":"http://example.org/methods","code":"tandem"}]}""", FreeTestosteroneMethod.MassSpectrometry)]
    [InlineData("""{"text":"Liquid chromatography mass spectrometry"}""", FreeTestosteroneMethod.MassSpectrometry)]
    [InlineData("""{"text":"Direct analog"}""", FreeTestosteroneMethod.DirectImmunoassay)]
    [InlineData("""{"text":"analogue immunoassay"}""", FreeTestosteroneMethod.DirectImmunoassay)]
    [InlineData("""{"coding":[{"system":"http://example.org/methods","code":"EIA"}]}""", FreeTestosteroneMethod.DirectImmunoassay)]
    [InlineData("""{"text":"RIA"}""", FreeTestosteroneMethod.DirectImmunoassay)]
    [InlineData("""{"text":"ELISA"}""", FreeTestosteroneMethod.DirectImmunoassay)]
    [InlineData("""{"text":"chemiluminescent"}""", FreeTestosteroneMethod.DirectImmunoassay)]
    [InlineData("""{"text":"equilibrium dialysis then immunoassay"}""", FreeTestosteroneMethod.EquilibriumDialysis)]
    [InlineData("""{"text":"direct immunoassay after ultrafiltration"}""", FreeTestosteroneMethod.EquilibriumDialysis)]
    [InlineData("""{"text":"analog assay with LC-MS confirmation"}""", FreeTestosteroneMethod.MassSpectrometry)]
    [InlineData("""{"text":"Indirect"}""", FreeTestosteroneMethod.Unknown)]
    [InlineData("""{"text":"Tandemly run"}""", FreeTestosteroneMethod.Unknown)]
    [InlineData("""{"text":42}""", FreeTestosteroneMethod.Unknown)]
    public void GivenAFreeTestosteroneMethod_WhenMapped_ThenItsWordsDecide(string method, FreeTestosteroneMethod expected)
    {
        var lab = Assert.Single(Map(Bundle(FreeTestosterone("ft1", ",\"method\":" + method))).Labs);

        Assert.Equal(expected, lab.Method);
        Assert.False(lab.IsCalculated);
    }

    [Fact]
    public void GivenAFreeTestosteroneWithoutMethod_WhenTheCodeTextNamesOne_ThenItIsRead()
    {
        Assert.Equal(FreeTestosteroneMethod.DirectImmunoassay,
            Assert.Single(Map(Bundle(FreeTestosterone("ft1", "", codeText: "Testosterone, free (direct)"))).Labs).Method);
        Assert.Equal(FreeTestosteroneMethod.Unknown, Assert.Single(Map(Bundle(FreeTestosterone("ft1", ""))).Labs).Method);
    }

    [Fact]
    public void GivenALabCalculatedCode_WhenMapped_ThenCalculatedWhateverTheMethodText()
    {
        var lab = Assert.Single(Map(Bundle(FreeTestosterone("ft1", ",\"method\":{\"text\":\"direct immunoassay\"}", code: "103227-5"))).Labs);

        Assert.Equal(FreeTestosteroneMethod.Calculated, lab.Method);
        Assert.True(lab.IsCalculated);
    }

    [Fact]
    public void GivenAnotherAnalyteWithAMethod_WhenMapped_ThenNoMethod() =>
        Assert.Equal(FreeTestosteroneMethod.Unknown,
            Assert.Single(Map(Bundle(Observation("tt1", "2986-8", 250m, "ng/dL", extra: ",\"method\":{\"text\":\"LC-MS/MS\"}"))).Labs).Method);

    // Transferrin saturation and BMI.

    [Theory]
    [InlineData("2502-3", 52, "%", Ucum, Analyte.TransferrinSaturation, LabUnit.Percent)]
    [InlineData("6796-7", 52, "%", Ucum, Analyte.TransferrinSaturation, LabUnit.Percent)]
    [InlineData("39156-5", 31.2, "kg/m2", Ucum, Analyte.Bmi, LabUnit.KilogramsPerSquareMeter)]
    [InlineData("39156-5", 31.2, "kg/m2", "http://example.org/units", Analyte.Bmi, LabUnit.KilogramsPerSquareMeter)]
    [InlineData("39156-5", 31.2, "kg/m²", "http://example.org/units", Analyte.Bmi, LabUnit.KilogramsPerSquareMeter)]
    [InlineData("39156-5", 31.2, "KG/M2", "http://example.org/units", Analyte.Bmi, LabUnit.KilogramsPerSquareMeter)]
    public void GivenTransferrinSaturationOrBmi_WhenMapped_ThenAnalyteAndUnitRead(
        string code, double value, string unit, string unitSystem, Analyte analyte, LabUnit expected)
    {
        var lab = Assert.Single(Map(Bundle(Observation("o1", code, (decimal)value, unit, unitSystem: unitSystem))).Labs);

        Assert.Equal(analyte, lab.Analyte);
        Assert.Equal(new LabQuantity((decimal)value, expected), lab.Quantity);
        Assert.Equal(FreeTestosteroneMethod.Unknown, lab.Method);
    }

    [Fact]
    public void GivenABmiInAnUnknownUnit_WhenMapped_ThenReportedByName()
    {
        var snapshot = Map(Bundle(Observation("o1", "39156-5", 31m, "lb/in2")));

        Assert.Empty(snapshot.Labs);
        Assert.Contains(snapshot.DataIssues, i => i.Kind == "unknown-unit" && i.Description.Contains("BMI", StringComparison.Ordinal));
    }

    // Drug classes: opioid, androgen deprivation, glucocorticoid and its route filter (evidence note §6.1, §7).

    [Theory]
    [InlineData("7804", "oxycodone", MedicationClass.Opioid)]
    [InlineData("6813", "methadone", MedicationClass.Opioid)]
    [InlineData("1819", "buprenorphine", MedicationClass.Opioid)]
    [InlineData("1307298", "enzalutamide", MedicationClass.AndrogenDeprivation)]
    [InlineData("1100072", "abiraterone", MedicationClass.AndrogenDeprivation)]
    [InlineData("8640", "prednisone", MedicationClass.Glucocorticoid)]
    [InlineData("19831", "budesonide", MedicationClass.Glucocorticoid)]
    public void GivenAnRxNormIngredientCode_WhenMapped_ThenItsClass(string rxnorm, string display, MedicationClass expected) =>
        Assert.Equal(expected, Assert.Single(Map(Bundle(MedicationRequest("mr1", Coded(rxnorm, display)))).Medications).Class);

    [Theory]
    [InlineData("Oxycodone hydrochloride 10 MG Oral Tablet", MedicationClass.Opioid)]
    [InlineData("Suboxone 8 mg/2 mg sublingual film", MedicationClass.Opioid)]
    [InlineData("Fentanyl 25 mcg/hr transdermal patch", MedicationClass.Opioid)]
    [InlineData("Leuprolide acetate 22.5 mg depot injection", MedicationClass.AndrogenDeprivation)]
    [InlineData("Zoladex 10.8 mg implant", MedicationClass.AndrogenDeprivation)]
    [InlineData("Bicalutamide 50 MG Oral Tablet", MedicationClass.AndrogenDeprivation)]
    [InlineData("Prednisone 5 MG Oral Tablet", MedicationClass.Glucocorticoid)]
    [InlineData("Methylprednisolone sodium succinate 125 MG Injectable Powder", MedicationClass.Glucocorticoid)]
    [InlineData("Dexamethasone 4 MG/ML Injectable Solution", MedicationClass.Glucocorticoid)]
    public void GivenADrugName_WhenMapped_ThenItsClass(string text, MedicationClass expected) =>
        Assert.Equal(expected, Assert.Single(Map(Bundle(MedicationRequest("mr1", Text(text)))).Medications).Class);

    [Theory]
    [InlineData("Naloxone 4 MG/ACTUAT Nasal Spray")]
    [InlineData("Naltrexone 50 MG Oral Tablet")]
    public void GivenAnOpioidAntagonist_WhenMapped_ThenNotAnOpioid(string text) =>
        Assert.Empty(Map(Bundle(MedicationRequest("mr1", Text(text)))).Medications);

    [Theory]
    [InlineData("Hydrocortisone 1 % Topical Cream")]
    [InlineData("Budesonide 0.18 MG/ACTUAT Dry Powder Inhaler")]
    [InlineData("budesonide 0.5 MG/ML Inhalation Suspension")]
    [InlineData("Triamcinolone acetonide 55 MCG/ACTUAT Nasal Spray")]
    [InlineData("Dexamethasone 0.1 % Ophthalmic Suspension")]
    [InlineData("Betamethasone valerate 0.1% ointment")]
    [InlineData("Hydrocortisone 10 % Rectal Foam")]
    [InlineData("Kenalog-40 intra-articular")]
    public void GivenALocalGlucocorticoidByName_WhenMapped_ThenNotASystemicGlucocorticoid(string text) =>
        Assert.Empty(Map(Bundle(MedicationRequest("mr1", Text(text)))).Medications);

    [Fact]
    public void GivenAGlucocorticoidCodeWithALocalDisplay_WhenMapped_ThenNotASystemicGlucocorticoid() =>
        Assert.Empty(Map(Bundle(MedicationRequest("mr1", Coded("19831", "budesonide 32 MCG/ACTUAT Metered Dose Nasal Spray")))).Medications);

    [Theory]
    [InlineData(""","dosageInstruction":[{"route":{"coding":[{"system":"http://snomed.info/sct","code":"46713006","display":"Nasal route"}]}}]""")]
    [InlineData(""","dosageInstruction":[{"text":"Apply a thin layer to the affected skin twice daily (topical)"}]""")]
    [InlineData(""","dosageInstruction":[{"route":{"text":"Inhalation"}}]""")]
    public void GivenAGlucocorticoidWithALocalRoute_WhenMapped_ThenNotASystemicGlucocorticoid(string dosage) =>
        Assert.Empty(Map(Bundle(MedicationRequest("mr1", Coded("19831", "budesonide"), dosage))).Medications);

    [Fact]
    public void GivenAGlucocorticoidWithAnOralRoute_WhenMapped_ThenSystemic()
    {
        const string dosage = ""","dosageInstruction":[{"text":"9 mg once daily","route":{"coding":[{"system":"http://snomed.info/sct","code":"26643006","display":"Oral route"}]}}]""";

        var medication = Assert.Single(Map(Bundle(MedicationRequest("mr1", Coded("19831", "budesonide 3 MG Delayed Release Oral Capsule"), dosage))).Medications);

        Assert.Equal(MedicationClass.Glucocorticoid, medication.Class);
    }

    [Fact]
    public void GivenAReferencedGlucocorticoidWhoseFormIsLocal_WhenMapped_ThenNotASystemicGlucocorticoid()
    {
        const string inhaler = """
            {"resourceType":"Medication","id":"med1","code":{"coding":[{"system":"http://www.nlm.nih.gov/research/umls/rxnorm","code":"19831"}]},
             "form":{"coding":[{"system":"http://snomed.info/sct","code":"420317006","display":"Inhalation powder"}]}}
            """;
        const string tablet = """
            {"resourceType":"Medication","id":"med2","code":{"coding":[{"system":"http://www.nlm.nih.gov/research/umls/rxnorm","code":"8640"}]},
             "form":{"text":"Oral tablet"}}
            """;

        var snapshot = Map(Bundle(
            MedicationRequestByReference("mr1", "Medication/med1", status: "active"), inhaler,
            MedicationRequestByReference("mr2", "Medication/med2", status: "active"), tablet));

        var medication = Assert.Single(snapshot.Medications);
        Assert.Equal(("MedicationRequest/mr2", MedicationClass.Glucocorticoid), (medication.SourceId, medication.Class));
    }

    [Fact]
    public void GivenAGlucocorticoidStatementWithANasalDosageRoute_WhenMapped_ThenNotASystemicGlucocorticoid()
    {
        const string statement = """
            {"resourceType":"MedicationStatement","id":"ms1","status":"active",
             "medicationCodeableConcept":{"coding":[{"system":"http://www.nlm.nih.gov/research/umls/rxnorm","code":"10759","display":"triamcinolone"}]},
             "subject":{"reference":"Patient/p1"},"effectivePeriod":{"start":"2025-11-01"},
             "dosage":[{"route":{"text":"intranasal"}}]}
            """;

        Assert.Empty(Map(Bundle(statement)).Medications);
    }

    [Fact]
    public void GivenANonGlucocorticoidWithALocalForm_WhenMapped_ThenTheFilterDoesNotApply() =>
        Assert.Equal(MedicationClass.Testosterone, Assert.Single(Map(Bundle(MedicationRequest("mr1", Text("Testosterone 1.62 % topical gel")))).Medications).Class);

    [Fact]
    public void GivenDraftGlucocorticoidOrders_WhenRead_ThenOnlyTheSystemicOneIsAGlucocorticoid()
    {
        const string drafts = """
            {"patientId":"p1","draftOrders":{"resourceType":"Bundle","entry":[
              {"resource":{"resourceType":"MedicationRequest","id":"rx-p","status":"draft","intent":"order",
                "medicationCodeableConcept":{"coding":[{"system":"http://www.nlm.nih.gov/research/umls/rxnorm","code":"8640","display":"prednisone"}]}}},
              {"resource":{"resourceType":"MedicationRequest","id":"rx-c","status":"draft","intent":"order",
                "medicationCodeableConcept":{"text":"Hydrocortisone 2.5 % Topical Cream"}}},
              {"resource":{"resourceType":"MedicationRequest","id":"rx-i","status":"draft","intent":"order",
                "contained":[{"resourceType":"Medication","id":"m","code":{"coding":[{"system":"http://www.nlm.nih.gov/research/umls/rxnorm","code":"19831"}]},"form":{"text":"Inhaler"}}],
                "medicationReference":{"reference":"#m"}}},
              {"resource":{"resourceType":"MedicationRequest","id":"rx-n","status":"draft","intent":"order",
                "medicationCodeableConcept":{"text":"Triamcinolone acetonide"},
                "dosageInstruction":[{"route":{"coding":[{"display":"Nasal"}]}}]}}
            ]}}
            """;

        var orders = new DraftOrderReader(TerminologyCatalog.Default).Read(HookKind.OrderSign, JsonDocument.Parse(drafts).RootElement.Clone());

        var order = Assert.Single(orders);
        Assert.Equal(("rx-p", MedicationClass.Glucocorticoid), (order.ResourceId, order.Class));
    }

    [Fact]
    public void GivenTheGlucocorticoidValueSet_WhenLoaded_ThenItsNonSystemicWordsAreWholeWords()
    {
        var terminology = TerminologyCatalog.Default;

        Assert.True(terminology.HasNonSystemicForms(MedicationClass.Glucocorticoid));
        Assert.False(terminology.HasNonSystemicForms(MedicationClass.Opioid));
        Assert.True(terminology.IsNonSystemicForm(MedicationClass.Glucocorticoid, "Ear drops"));
        Assert.True(terminology.IsNonSystemicForm(MedicationClass.Glucocorticoid, "INTRA-ARTICULAR injection"));
        Assert.False(terminology.IsNonSystemicForm(MedicationClass.Glucocorticoid, "Prednisone 5 MG softgel"));
        Assert.False(terminology.IsNonSystemicForm(MedicationClass.Glucocorticoid, "Solu-Medrol 125 MG Injectable Powder"));
        Assert.False(terminology.IsNonSystemicForm(MedicationClass.Glucocorticoid, "Prednisolone 15 MG/5ML Oral Solution"));
        Assert.False(terminology.IsNonSystemicForm(MedicationClass.Opioid, "Fentanyl nasal spray"));
    }

    // Condition groups from the new ValueSets (ids "condition-" + kebab code).

    [Theory]
    [InlineData("E22.0", ConditionKind.PituitaryDisorder)]
    [InlineData("E22.8", ConditionKind.PituitaryDisorder)]
    [InlineData("E24.0", ConditionKind.PituitaryDisorder)]
    [InlineData("E23.0", ConditionKind.PituitaryDisorder)]
    [InlineData("E23.6", ConditionKind.PituitaryDisorder)]
    [InlineData("Q98.0", ConditionKind.Klinefelter)]
    [InlineData("E83.110", ConditionKind.Hemochromatosis)]
    [InlineData("E66.01", ConditionKind.Obesity)]
    [InlineData("E11.9", ConditionKind.Type2Diabetes)]
    [InlineData("G47.33", ConditionKind.SleepApnea)]
    [InlineData("N52.9", ConditionKind.AndrogenDeficiencySymptom)]
    [InlineData("C62.10", ConditionKind.TesticularCause)]
    public void GivenANewConditionCode_WhenMapped_ThenItsGroup(string icd, ConditionKind expected) =>
        Assert.Contains(Map(Bundle(Condition("c1", CodeSystems.Icd10Cm, icd))).Conditions, c => c.Kind == expected);

    [Theory]
    [InlineData("E22.1")]
    [InlineData("E24.2")]
    [InlineData("Q98.5")]
    public void GivenACodeKeptOutOfTheCauseGroups_WhenMapped_ThenNotPituitaryNorKlinefelter(string icd) =>
        Assert.DoesNotContain(Map(Bundle(Condition("c1", CodeSystems.Icd10Cm, icd))).Conditions,
            c => c.Kind is ConditionKind.PituitaryDisorder or ConditionKind.Klinefelter);
}
