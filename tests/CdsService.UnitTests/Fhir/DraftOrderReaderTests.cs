using System.Text.Json;
using CdsService.Clinical.Model;
using CdsService.Fhir.Mapping;
using CdsService.Fhir.Terminology;
using CdsService.Protocol;

namespace CdsService.UnitTests.Fhir;

public sealed class DraftOrderReaderTests
{
    private static readonly DraftOrderReader Reader = new(TerminologyCatalog.Default);

    private const string Drafts = """
        {"resourceType":"Bundle","entry":[
          {"resource":{"resourceType":"MedicationRequest","id":"rx-t","status":"draft","intent":"order",
            "category":{"coding":[{"code":"outpatient"}]},
            "medicationCodeableConcept":{"text":"Testosterone enanthate 250 mg/mL IM"}}},
          {"resource":{"resourceType":"MedicationRequest","id":"rx-m","status":"draft","intent":"order",
            "medicationCodeableConcept":{"coding":[{"system":"http://www.nlm.nih.gov/research/umls/rxnorm","code":"860975","display":"metformin 500 MG"}]}}},
          {"resource":{"resourceType":"MedicationRequest","id":"rx-h","status":"draft","intent":"order",
            "contained":[{"resourceType":"Medication","id":"med","code":{"coding":[{"system":"http://www.nlm.nih.gov/research/umls/rxnorm","code":"896854"}]}}],
            "medicationReference":{"reference":"#med"}}},
          {"resource":{"resourceType":"MedicationRequest","id":"rx-e","status":"draft","intent":"order",
            "medicationCodeableConcept":{"coding":[{"system":"http://example.org/formulary","code":"X1","display":"Enclomiphene citrate 25 mg capsule"}]}}}
        ]}
        """;

    private static JsonElement Context(string body) => JsonDocument.Parse(body).RootElement.Clone();

    [Fact]
    public void GivenOrderSignBundleWithoutType_WhenRead_ThenEveryRelevantDraftIsClassified()
    {
        var orders = Reader.Read(HookKind.OrderSign, Context($$"""{"patientId":"p1","draftOrders":{{Drafts}}}"""));

        Assert.Equal(
            [("rx-t", MedicationClass.Testosterone), ("rx-h", MedicationClass.Hcg), ("rx-e", MedicationClass.Enclomiphene)],
            orders.Select(o => (o.ResourceId!, o.Class)));
        Assert.All(orders, o => Assert.Equal("MedicationRequest", o.ResourceType));
    }

    [Theory]
    [InlineData("Medication/med-t", "Medication/med-t", null)]
    [InlineData("https://ehr.example.org/fhir/Medication/med-t", "https://ehr.example.org/fhir/Medication/med-t", null)]
    [InlineData("Medication/med-t", "https://ehr.example.org/fhir/Medication/med-t", null)]
    [InlineData("Medication/elsewhere", null, "Testosterone cypionate 200 mg/mL")]
    public void GivenAMedicationReferenceOutsideTheOrder_WhenRead_ThenResolvedFromTheBundleOrItsDisplay(string reference, string? fullUrl, string? display)
    {
        // R4 allows medicationReference to a Medication that is not contained; real clients send it as a Bundle entry.
        var fullUrlMember = fullUrl is null ? "" : $$""" "fullUrl":"{{fullUrl}}", """;
        var displayMember = display is null ? "" : $$""","display":"{{display}}" """;
        var draft = """{"resource":{"resourceType":"MedicationRequest","id":"rx-1","status":"draft","intent":"order","medicationReference":{"reference":"""
            + "\"" + reference + "\"" + displayMember + "}}},";
        var medication = "{" + fullUrlMember + """ "resource":{"resourceType":"Medication","id":"med-t","code":{"coding":[{"system":"http://www.nlm.nih.gov/research/umls/rxnorm","code":"10379"}],"text":"testosterone cypionate"}}}""";
        var context = Context("""{"patientId":"p1","draftOrders":{"resourceType":"Bundle","entry":[""" + draft + medication + "]}}");
        var logs = new CapturingLogger();

        var orders = new DraftOrderReader(TerminologyCatalog.Default, logs).Read(HookKind.OrderSign, context);

        var order = Assert.Single(orders);
        Assert.Equal(MedicationClass.Testosterone, order.Class);
        Assert.Empty(logs.EventIds);
    }

    [Fact]
    public void GivenAMedicationReferenceNothingResolves_WhenRead_ThenLoggedNotSilent()
    {
        var context = Context("""
            {"patientId":"p1","draftOrders":{"resourceType":"Bundle","entry":[
              {"resource":{"resourceType":"MedicationRequest","id":"rx-1","status":"draft","intent":"order",
                "medicationReference":{"reference":"Medication/not-sent"}}}
            ]}}
            """);
        var logs = new CapturingLogger();

        var orders = new DraftOrderReader(TerminologyCatalog.Default, logs).Read(HookKind.OrderSign, context);

        Assert.Empty(orders);
        Assert.Equal([4062], logs.EventIds);
        Assert.DoesNotContain(logs.Messages, m => m.Contains("not-sent", StringComparison.Ordinal));
    }

    private sealed class CapturingLogger : Microsoft.Extensions.Logging.ILogger<DraftOrderReader>
    {
        public List<int> EventIds { get; } = [];

        public List<string> Messages { get; } = [];

        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(Microsoft.Extensions.Logging.LogLevel logLevel) => true;

        public void Log<TState>(Microsoft.Extensions.Logging.LogLevel logLevel, Microsoft.Extensions.Logging.EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            EventIds.Add(eventId.Id);
            Messages.Add(formatter(state, exception));
        }
    }

    [Fact]
    public void GivenOrderSelect_WhenRead_ThenOnlySelectedDraftsCount()
    {
        var orders = Reader.Read(HookKind.OrderSelect,
            Context($$"""{"patientId":"p1","selections":["MedicationRequest/rx-e","MedicationRequest/rx-m"],"draftOrders":{{Drafts}}}"""));

        var order = Assert.Single(orders);
        Assert.Equal(MedicationClass.Enclomiphene, order.Class);
    }

    [Fact]
    public void GivenOrderSelectWithoutSelections_WhenRead_ThenNothingIsSelected() =>
        Assert.Empty(Reader.Read(HookKind.OrderSelect, Context($$"""{"patientId":"p1","draftOrders":{{Drafts}}}""")));

    [Fact]
    public void GivenPatientView_WhenRead_ThenNoDraftOrders() =>
        Assert.Empty(Reader.Read(HookKind.PatientView, Context($$"""{"patientId":"p1","draftOrders":{{Drafts}}}""")));

    [Theory]
    [InlineData("""{"patientId":"p1","draftOrders":"not a bundle"}""")]
    [InlineData("""{"patientId":"p1","draftOrders":{"entry":{"resource":1}}}""")]
    [InlineData("""{"patientId":"p1","draftOrders":{"entry":[1,"x",{"resource":[]},{"resource":{"id":"no-type"}}]}}""")]
    [InlineData("""[]""")]
    public void GivenMalformedDraftOrders_WhenRead_ThenNoOrderAndNoException(string context) =>
        Assert.Empty(Reader.Read(HookKind.OrderSign, Context(context)));

    [Fact]
    public void GivenAromataseInhibitorCodedByRxNorm_WhenRead_ThenAromataseInhibitor()
    {
        var orders = Reader.Read(HookKind.OrderSign, Context("""
            {"patientId":"p1","draftOrders":{"resourceType":"Bundle","type":"collection","entry":[{"resource":{
              "resourceType":"MedicationRequest","id":"ai","medicationCodeableConcept":{"coding":[{"system":"http://www.nlm.nih.gov/research/umls/rxnorm","code":"84857"}]}}}]}}
            """));

        Assert.Equal(MedicationClass.AromataseInhibitor, Assert.Single(orders).Class);
    }
}
