using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Nodes;

namespace CdsService.IntegrationTests.Sandbox;

/// <summary>
/// Proves the sandbox wrapper fixes what the bare Medplum router gets wrong (shared/reference/fhir-sandbox-findings.md
/// §3 and §11), with plain HTTP so the checks do not depend on the service's own FHIR client.
/// </summary>
[Collection(FhirSandboxCollection.Name)]
public sealed class FhirSandboxTests(FhirSandboxFixture sandbox)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task GivenSandbox_WhenReadingMetadata_ThenAnswersAnR4CapabilityStatement()
    {
        var baseUrl = sandbox.RequireBaseUrl();

        var metadata = await GetJsonAsync(new Uri($"{baseUrl}/metadata"));

        Assert.Equal("CapabilityStatement", (string?)metadata["resourceType"]);
        Assert.Equal("4.0.1", (string?)metadata["fhirVersion"]);
        var observation = metadata["rest"]![0]!["resource"]!.AsArray().Single(r => (string?)r!["type"] == "Observation");
        Assert.Contains(observation!["searchParam"]!.AsArray(), p => (string?)p!["name"] == "patient");
    }

    [Fact]
    public async Task GivenSeededExamples_WhenSearchingByBarePatientId_ThenReturnsOnlyThatPatientsResults()
    {
        var baseUrl = sandbox.RequireBaseUrl();

        // The bare router matched only the literal "Patient/x", so patient=x returned nothing (findings §3).
        var bundle = await GetJsonAsync(new Uri($"{baseUrl}/Observation?patient=primary-desired&code=http://loinc.org|2986-8"));

        Assert.Equal(2, (int?)bundle["total"]);
        Assert.All(Entries(bundle), e => Assert.Equal("Patient/primary-desired", (string?)e["subject"]!["reference"]));
    }

    [Fact]
    public async Task GivenSeededExamples_WhenReadingEachScenario_ThenEveryResourceOfEveryBundleIsStored()
    {
        var baseUrl = sandbox.RequireBaseUrl();

        foreach (var file in RepositoryPaths.ScenarioBundleFiles())
        {
            var entries = JsonNode.Parse(await File.ReadAllTextAsync(file, Ct))!["entry"]!.AsArray();
            foreach (var group in entries.GroupBy(e => (string)e!["resource"]!["resourceType"]!))
            {
                var patientId = Path.GetFileNameWithoutExtension(file);
                var query = group.Key == "Patient" ? $"_id={patientId}" : $"patient={patientId}";
                var bundle = await GetJsonAsync(new Uri($"{baseUrl}/{group.Key}?{query}&_summary=count"));
                Assert.True(group.Count() == (int?)bundle["total"], $"{Path.GetFileName(file)}: {group.Key} count {bundle["total"]} != {group.Count()}");
            }
        }
    }

    [Fact]
    public async Task GivenResultsInMixedTimeZones_WhenSortingByDateDescending_ThenOrdersByInstantNotByText()
    {
        var baseUrl = sandbox.RequireBaseUrl();
        var patient = $"sort-{Guid.NewGuid():N}";
        // As text, "2026-03-01T09:00:00+02:00" sorts after "2026-03-01T08:00:00Z"; as instants it is an hour earlier.
        await PostTransactionAsync(baseUrl, patient,
            ("a", "\"effectiveDateTime\": \"2026-03-01T09:00:00+02:00\""),
            ("b", "\"effectiveDateTime\": \"2026-03-01T08:00:00Z\""),
            ("c", "\"effectiveDateTime\": \"2026-03-01\""),
            ("d", "\"effectivePeriod\": { \"start\": \"2026-02-28T23:30:00-05:00\" }"),
            ("e", "\"effectiveDateTime\": \"2026-03-01T10:30:00+05:30\""));

        var bundle = await GetJsonAsync(new Uri($"{baseUrl}/Observation?patient={patient}&_sort=-date"));

        // b 08:00Z, a 07:00Z, e 05:00Z, d 04:30Z, c 00:00Z (date only, taken as the start of the day).
        Assert.Equal(["b", "a", "e", "d", "c"], Entries(bundle).Select(e => ((string)e["id"]!)[^1..]));
    }

    [Fact]
    public async Task GivenMoreResultsThanThePageSize_WhenFollowingNextLinks_ThenEveryResultArrivesOnce()
    {
        var baseUrl = sandbox.RequireBaseUrl();
        const string patient = "amended-and-entered-in-error";

        var first = await GetJsonAsync(new Uri($"{baseUrl}/Observation?patient={patient}&_count=3&_sort=-date"));
        var total = (int)first["total"]!;
        Assert.True(total > 3, $"the scenario needs more than one page, has {total}");

        var ids = new List<string>();
        var page = first;
        var pages = 0;
        while (true)
        {
            pages++;
            ids.AddRange(Entries(page).Select(e => (string)e["id"]!));
            var next = page["link"]!.AsArray().FirstOrDefault(l => (string?)l!["relation"] == "next");
            if (next is null || pages > 20)
            {
                break;
            }

            page = await GetJsonAsync(new Uri((string)next["url"]!));
        }

        Assert.Equal((total + 2) / 3, pages);
        Assert.Equal(total, ids.Count);
        Assert.Equal(total, ids.Distinct(StringComparer.Ordinal).Count());
    }

    [Theory]
    [InlineData("Observation?patientt=primary-desired", "Unknown search parameter")]
    [InlineData("Observation?patient.name=x", "Chained")]
    [InlineData("Observation?code:text=testosterone", "Modifier")]
    [InlineData("Observation?value-quantity=gt300", "quantity")]
    public async Task GivenAParameterTheSandboxCannotHonour_WhenSearching_ThenAnswers400NotASilentEmptyResult(string query, string expected)
    {
        var baseUrl = sandbox.RequireBaseUrl();

        using var response = await sandbox.Http.GetAsync(new Uri($"{baseUrl}/{query}"), Ct);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var outcome = JsonNode.Parse(await response.Content.ReadAsStringAsync(Ct))!;
        Assert.Equal("OperationOutcome", (string?)outcome["resourceType"]);
        Assert.Contains(expected, (string?)outcome["issue"]![0]!["diagnostics"], StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task GivenATransactionWithAFailingEntry_WhenPosted_ThenNothingOfItIsStored()
    {
        var baseUrl = sandbox.RequireBaseUrl();
        var patient = $"atomic-{Guid.NewGuid():N}";
        var transaction = $$"""
            { "resourceType": "Bundle", "type": "transaction", "entry": [
              { "resource": { "resourceType": "Patient", "id": "{{patient}}" }, "request": { "method": "PUT", "url": "Patient/{{patient}}" } },
              { "resource": { "resourceType": "Observation", "id": "x", "status": "final", "code": { "text": "t" } },
                "request": { "method": "PUT", "url": "Observation/not-x" } } ] }
            """;

        using var response = await PostAsync(baseUrl, transaction);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        using var read = await sandbox.Http.GetAsync(new Uri($"{baseUrl}/Patient/{patient}"), Ct);
        Assert.Equal(HttpStatusCode.NotFound, read.StatusCode);
    }

    [Fact]
    public async Task GivenSandbox_WhenFhirRequestsArrive_ThenTheRequestCounterCountsThem()
    {
        var baseUrl = sandbox.RequireBaseUrl();
        var before = await sandbox.GetRequestCountAsync(Ct);

        using var a = await sandbox.Http.GetAsync(new Uri($"{baseUrl}/Patient/eugonadal"), Ct);
        using var b = await sandbox.Http.GetAsync(new Uri($"{baseUrl}/Patient/compensated"), Ct);

        // >= because other tests in the collection may run requests too; the admin route itself is not counted.
        Assert.True(await sandbox.GetRequestCountAsync(Ct) >= before + 2);
        Assert.Equal(HttpStatusCode.OK, a.StatusCode);
    }

    [Fact]
    public async Task GivenAnInjectedFault_WhenReading_ThenTheFaultIsAnsweredUntilCleared()
    {
        var baseUrl = sandbox.RequireBaseUrl();
        try
        {
            await sandbox.SetFaultsAsync(delayMs: 0, status: 503, body: "not json", Ct);
            using var faulty = await sandbox.Http.GetAsync(new Uri($"{baseUrl}/Patient/eugonadal"), Ct);
            Assert.Equal(HttpStatusCode.ServiceUnavailable, faulty.StatusCode);
            Assert.Equal("not json", await faulty.Content.ReadAsStringAsync(Ct));
        }
        finally
        {
            await sandbox.ClearFaultsAsync(Ct);
        }

        using var healthy = await sandbox.Http.GetAsync(new Uri($"{baseUrl}/Patient/eugonadal"), Ct);
        Assert.Equal(HttpStatusCode.OK, healthy.StatusCode);
    }

    [Fact]
    public async Task GivenADeletedResource_WhenRead_ThenAnswers410Gone()
    {
        var baseUrl = sandbox.RequireBaseUrl();
        var patient = $"gone-{Guid.NewGuid():N}";
        using var created = await sandbox.Http.PutAsync(
            new Uri($"{baseUrl}/Patient/{patient}"), Json($$"""{ "resourceType": "Patient", "id": "{{patient}}" }"""), Ct);
        created.EnsureSuccessStatusCode();

        using var deleted = await sandbox.Http.DeleteAsync(new Uri($"{baseUrl}/Patient/{patient}"), Ct);
        using var read = await sandbox.Http.GetAsync(new Uri($"{baseUrl}/Patient/{patient}"), Ct);

        Assert.Equal(HttpStatusCode.OK, deleted.StatusCode);
        Assert.Equal(HttpStatusCode.Gone, read.StatusCode);
    }

    private async Task<JsonNode> GetJsonAsync(Uri uri)
    {
        using var response = await sandbox.Http.GetAsync(uri, Ct);
        var text = await response.Content.ReadAsStringAsync(Ct);
        Assert.True(response.IsSuccessStatusCode, $"GET {uri} -> {(int)response.StatusCode}: {text}");
        return JsonNode.Parse(text)!;
    }

    private static IEnumerable<JsonNode> Entries(JsonNode bundle) =>
        bundle["entry"]?.AsArray().Select(e => e!["resource"]!) ?? [];

    private static StringContent Json(string json) => new(json, Encoding.UTF8, "application/fhir+json");

    private Task<HttpResponseMessage> PostAsync(Uri baseUrl, string json) =>
        sandbox.Http.PostAsync(baseUrl, Json(json), Ct);

    private async Task PostTransactionAsync(Uri baseUrl, string patient, params (string Suffix, string Effective)[] observations)
    {
        var entries = observations.Select(o => $$"""
            { "resource": { "resourceType": "Observation", "id": "{{patient}}-{{o.Suffix}}", "status": "final",
                "code": { "coding": [ { "system": "http://loinc.org", "code": "2986-8" } ] },
                "subject": { "reference": "Patient/{{patient}}" }, {{o.Effective}},
                "valueQuantity": { "value": 300, "system": "http://unitsofmeasure.org", "code": "ng/dL" } },
              "request": { "method": "PUT", "url": "Observation/{{patient}}-{{o.Suffix}}" } }
            """);
        var transaction = $$"""
            { "resourceType": "Bundle", "type": "transaction", "entry": [
              { "resource": { "resourceType": "Patient", "id": "{{patient}}" }, "request": { "method": "PUT", "url": "Patient/{{patient}}" } },
              {{string.Join(",", entries)}} ] }
            """;
        using var response = await PostAsync(baseUrl, transaction);
        Assert.True(response.IsSuccessStatusCode, await response.Content.ReadAsStringAsync(Ct));
        _ = await response.Content.ReadFromJsonAsync<JsonObject>(Ct);
    }
}
