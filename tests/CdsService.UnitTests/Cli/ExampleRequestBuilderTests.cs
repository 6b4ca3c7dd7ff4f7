using System.Text.Json;
using System.Text.Json.Nodes;
using CdsService.Clinical.Model;
using CdsService.Examples;
using CdsService.Fhir.Prefetch;
using CdsService.Fhir.Terminology;
using CdsService.Protocol;
using Hl7.Fhir.Model;
using Hl7.Fhir.Serialization;

namespace CdsService.UnitTests.Cli;

/// <summary>
/// The request the preview page and the CLI send for an example patient (shared builder in CdsService.Fhir/Examples):
/// every prefetch key answered exactly as its catalog query would answer it, drafts that are valid R4 and recognised
/// by the terminology, and dates moved without changing clock time or offset.
/// </summary>
public sealed class ExampleRequestBuilderTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 28, 13, 0, 0, TimeSpan.Zero);

    public static TheoryData<string> ScenarioIds()
    {
        var data = new TheoryData<string>();
        foreach (var scenario in Library().Scenarios)
        {
            data.Add(scenario.Id);
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(ScenarioIds))]
    public void GivenAnExample_WhenBuiltForItsOwnHook_ThenEveryPrefetchKeyHoldsExactlyWhatItsQuerySelects(string id)
    {
        var library = Library();
        var scenario = library.Find(id)!;
        Assert.True(WireCodes.TryParse<HookKind>(scenario.Hook, out var hook));
        ExampleDraftOrder? order = ExampleDraftOrders.TryParse(scenario.DraftOrder, out var parsed) ? parsed : null;
        var bundle = library.LoadBundle(id);

        var request = ExampleRequestBuilder.Build(bundle, new ExampleRequestOptions { Hook = hook, DraftOrder = order, Now = Now, ShiftDates = false });

        var prefetch = request.Body["prefetch"]!.AsObject();
        Assert.Equal(PrefetchCatalog.All.Select(q => q.Key).Order(), prefetch.Select(p => p.Key).Order());
        Assert.Equal(id, prefetch[PrefetchCatalog.PatientKey]!["id"]!.GetValue<string>());
        Assert.Equal(id, request.Body["context"]!["patientId"]!.GetValue<string>());

        var resources = ExampleRequestBuilder.Resources(bundle);
        foreach (var query in PrefetchCatalog.All.Where(q => q.ResourceType == "Observation"))
        {
            var wanted = CodesOf(query);
            var expected = resources.Where(r => (string?)r["resourceType"] == "Observation" && Codings(r).Any(wanted.Contains))
                .Select(r => (string)r["id"]!).Order().ToList();
            var sent = Entries(prefetch[query.Key]).Select(r => (string)r["id"]!).Order().ToList();
            Assert.Equal(expected, sent);
            Assert.Equal("searchset", (string?)prefetch[query.Key]!["type"]);
        }

        var conditions = Entries(prefetch[PrefetchCatalog.ConditionsKey]);
        Assert.All(conditions, c => Assert.Contains((string?)c["clinicalStatus"]!["coding"]![0]!["code"], new[] { "active", "recurrence", "relapse" }));
    }

    [Fact]
    public void GivenHormoneLabs_WhenBuilt_ThenNewestResultComesFirst()
    {
        var request = Build("secondary-desired", HookKind.PatientView, null);

        var dates = Entries(request.Body["prefetch"]![PrefetchCatalog.HormoneLabsKey])
            .Select(o => DateTimeOffset.Parse((string)o["effectiveDateTime"]!, System.Globalization.CultureInfo.InvariantCulture))
            .ToList();
        Assert.True(dates.Count >= 3);
        Assert.Equal(dates.OrderByDescending(d => d), dates);
    }

    [Fact]
    public void GivenOrderSelect_WhenBuilt_ThenSelectionsNameTheDraftInACollectionBundle()
    {
        var request = Build("secondary-unsure", HookKind.OrderSelect, ExampleDraftOrder.TestosteroneGel);

        var context = request.Body["context"]!;
        Assert.Equal("hypogonadism-order-select", request.ServiceId);
        Assert.Equal("collection", (string?)context["draftOrders"]!["type"]);
        var draft = context["draftOrders"]!["entry"]![0]!["resource"]!;
        Assert.Equal($"MedicationRequest/{draft["id"]}", (string?)context["selections"]![0]);
        Assert.Equal("Patient/secondary-unsure", (string?)draft["subject"]!["reference"]);
    }

    [Fact]
    public void GivenPatientView_WhenBuilt_ThenNoDraftOrdersAreSent()
    {
        var request = Build("eugonadal", HookKind.PatientView, ExampleDraftOrder.TestosteroneGel);

        Assert.Null(request.Body["context"]!["draftOrders"]);
        Assert.Equal("patient-view", (string?)request.Body["hook"]);
    }

    [Fact]
    public void GivenAFhirServer_WhenBuilt_ThenFhirServerAndAuthorizationAreSentInsteadOfPrefetch()
    {
        var request = Build("secondary-desired", HookKind.OrderSign, ExampleDraftOrder.Clomiphene, new Uri("https://fhir.example.org/r4/"), "opaque");

        Assert.Null(request.Body["prefetch"]);
        Assert.Equal("https://fhir.example.org/r4", (string?)request.Body["fhirServer"]);
        Assert.Equal("Bearer", (string?)request.Body["fhirAuthorization"]!["token_type"]);
    }

    [Theory]
    [InlineData("2026-08-03T08:20:00-07:00", -3, "2026-07-31T08:20:00-07:00")]
    [InlineData("2026-03-01", 5, "2026-03-06")]
    [InlineData("1994-07-21", -3, "1994-07-18")]
    [InlineData("2026-09-14T10:00:00.123Z", 30, "2026-10-14T10:00:00.123Z")]
    [InlineData("2026-09", 30, "2026-09")]
    [InlineData("secondary-desired-lab-1", 30, "secondary-desired-lab-1")]
    public void GivenAValue_WhenShifted_ThenOnlyFullDatesMoveAndClockTimeAndOffsetStay(string value, int days, string expected)
    {
        var shifted = ExampleRequestBuilder.Shift(new JsonObject { ["resourceType"] = "Observation", ["x"] = value, ["a"] = new JsonArray(value) }, days);

        Assert.Equal(expected, (string?)shifted["x"]);
        Assert.Equal(expected, (string?)shifted["a"]![0]);
    }

    [Fact]
    public void GivenToday_WhenDaysAreComputed_ThenTheExampleReferenceDateMapsToToday()
    {
        Assert.Equal(0, ExampleRequestBuilder.ShiftDays(new DateTimeOffset(2026, 12, 1, 23, 0, 0, TimeSpan.Zero)));
        Assert.Equal(-3, ExampleRequestBuilder.ShiftDays(Now));
    }

    [Theory]
    [InlineData(ExampleDraftOrder.TestosteroneCypionate, MedicationClass.Testosterone)]
    [InlineData(ExampleDraftOrder.TestosteroneGel, MedicationClass.Testosterone)]
    [InlineData(ExampleDraftOrder.Clomiphene, MedicationClass.Clomiphene)]
    [InlineData(ExampleDraftOrder.Enclomiphene, MedicationClass.Enclomiphene)]
    [InlineData(ExampleDraftOrder.Hcg, MedicationClass.Hcg)]
    public void GivenADraftOrder_WhenCreated_ThenItIsStrictR4AndTheTerminologyRecognisesTheDrug(ExampleDraftOrder order, MedicationClass expected)
    {
        var json = ExampleDraftOrders.Create(order, "p1", "Practitioner/u1", Now);

        var request = JsonSerializer.Deserialize<MedicationRequest>(json.ToJsonString(), new JsonSerializerOptions().ForFhir())!;
        Assert.Equal(MedicationRequest.MedicationrequestStatus.Draft, request.Status);
        Assert.Equal(MedicationRequest.MedicationRequestIntent.Order, request.Intent);
        var concept = Assert.IsType<CodeableConcept>(request.Medication);
        var terminology = TerminologyCatalog.Default;
        var byCode = concept.Coding.Any(c => terminology.TryGetMedicationClass(c.System, c.Code, out var cls) && cls == expected);
        var byName = terminology.TryMatchDrugName(concept.Text, out var named) && named == expected;
        Assert.True(byCode || byName, $"{order} is not recognised as {expected}");
        Assert.True(ExampleDraftOrders.TryParse(order.ToCode(), out var roundTrip) && roundTrip == order);
    }

    [Fact]
    public void GivenAnUnknownScenarioId_WhenLoaded_ThenNoFileIsOpened()
    {
        Assert.Throws<KeyNotFoundException>(() => Library().LoadBundle("../../etc/passwd"));
        Assert.Null(Library().Find("../scenarios"));
    }

    private static ExampleRequest Build(string id, HookKind hook, ExampleDraftOrder? order, Uri? fhirServer = null, string? token = null) =>
        ExampleRequestBuilder.Build(Library().LoadBundle(id), new ExampleRequestOptions
        {
            Hook = hook, DraftOrder = order, Now = Now, FhirServer = fhirServer, FhirAccessToken = token,
        });

    internal static ExampleLibrary Library() => ExampleLibrary.FromDirectory(RepositoryPaths.Examples);

    private static HashSet<string> CodesOf(PrefetchQuery query)
    {
        var code = query.QueryTemplate.Split('?')[1].Split('&').Single(p => p.StartsWith("code=", StringComparison.Ordinal));
        return [.. code["code=".Length..].Split(',')];
    }

    private static IEnumerable<string> Codings(JsonObject resource) =>
        (resource["code"]?["coding"] as JsonArray ?? []).OfType<JsonObject>().Select(c => $"{c["system"]}|{c["code"]}");

    private static List<JsonObject> Entries(JsonNode? searchset) =>
        [.. (searchset?["entry"] as JsonArray ?? []).Select(e => e?["resource"]).OfType<JsonObject>()];
}
